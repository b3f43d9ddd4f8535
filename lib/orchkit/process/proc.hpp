// Running a command (Boost.Process adapter; the only file that includes it): argv, no shell, in
// its own process group, output passed through to stderr, the whole group killed on timeout.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "orchkit/result.hpp"
#include "orchkit/util/units.hpp"

namespace orchkit::proc {

struct Outcome {
  int exit_code = 0;       // the command's exit status (128+N when killed by signal N)
  bool timed_out = false;  // killed because `timeout` passed
  int interrupted = 0;     // SIGINT/SIGTERM received (signals::pending()): the group was stopped
};

// Fails (exit 3) only when the command cannot be started at all. A timeout or a pending
// SIGINT/SIGTERM stops the whole group: SIGTERM, a 2 s grace, then SIGKILL. `progress` is called about
// every `tick` while the command runs, with the elapsed time.
Result<Outcome> run(const std::vector<std::string>& argv, const std::string& cwd, Duration timeout,
                    const std::function<void(Duration)>& progress = {}, Duration tick = Duration(10'000));

}  // namespace orchkit::proc
