// Reading the state file for the report: read-only, never created (a missing file means no
// baseline, no tombstone and no stop yet).
#pragma once

#include <string>

#include "orchkit/result.hpp"
#include "orchkit/workspace.hpp"
#include "queue-report/inputs.hpp"

namespace queue_report {

orchkit::Result<StateFacts> read_state(const orchkit::Workspace& ws);

}  // namespace queue_report
