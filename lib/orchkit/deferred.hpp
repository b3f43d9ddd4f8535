// Running the stops that were deferred for a task while its critical window was open
// (SPEC §7 step 2): the window's owner calls this once its irreversible step has ended.
#pragma once

#include <optional>
#include <string>

#include "orchkit/result.hpp"

namespace orchkit {

// Runs `stop-task --task KEY --generation N` (the binary beside this one) for every deferred
// stop of `task` in the state file; returns how many ran to completion. Failures are warnings.
Result<int> run_deferred_stops(const std::string& state_path, const std::string& task,
                               const std::optional<std::string>& config_flag, const std::string& dir);

// The directory of the running binary (to find its siblings).
std::string self_dir();

}  // namespace orchkit
