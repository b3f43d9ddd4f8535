// The queue report as Markdown: the task table in attention order, the coverage block and the
// stop block. Pure: the same report gives the same bytes.
#pragma once

#include <string>

#include "queue-report/report.hpp"

namespace queue_report {

std::string render_markdown(const Report& r);

// A table cell: `|` escaped, line breaks flattened, "—" for nothing.
std::string md_cell(std::string_view s);

// Up to the last `n` values as a bar sparkline (▁..█), scaled between their min and max.
std::string sparkline(const std::vector<int64_t>& hundredths, size_t n);

}  // namespace queue_report
