// queue-report: read the task folders and the state file, build the report, write it.
#pragma once

#include "orchkit/result.hpp"
#include "queue-report/options.hpp"

namespace queue_report {
orchkit::Result<orchkit::Exit> run(const Options& opts);
}  // namespace queue_report
