// The queue report as JSON, in the shape of the old `GET /queue`: {"tasks", "coverage", "stop"}
// plus a few top-level facts. The schema is documented in docs/queue-report.md. Pure.
#pragma once

#include <string>
#include <string_view>

#include "queue-report/report.hpp"

namespace queue_report {

std::string render_json(const Report& r);

// Re-indents compact JSON (two spaces, one member per line) without changing a value.
std::string pretty_json(std::string_view compact);

}  // namespace queue_report
