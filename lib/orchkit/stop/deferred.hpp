// Running the stops that were deferred for a task while its critical window was open
// (SPEC §7 step 2): the window's owner (merge-verify, `stop-task guard`) calls this once its
// irreversible step has ended. Each runs in-process through stop::run_stop.
#pragma once

#include <string>

#include "orchkit/result.hpp"
#include "orchkit/workspace.hpp"

namespace orchkit::stop {

// Runs every deferred stop of `task` recorded in the state file; returns how many ran to
// completion. A stop that fails is a warning naming the command that finishes it.
Result<int> run_deferred_stops(Workspace& ws, const std::string& task);

}  // namespace orchkit::stop
