// The baseline history of every target branch as an SVG line chart: one panel per branch, axes
// with labels, the coverage.min floor as a dashed line, overrides marked. Pure.
#pragma once

#include <string>

#include "queue-report/report.hpp"

namespace queue_report {

std::string render_svg(const Report& r);

}  // namespace queue_report
