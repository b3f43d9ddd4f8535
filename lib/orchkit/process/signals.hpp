// SIGINT and SIGTERM as a request to stop, noticed at safe points: a cancelled CI job stops the
// command orchkit runs (its whole process group) and writes no verdict.
#pragma once

namespace orchkit::signals {

// Catches SIGINT and SIGTERM for its lifetime (the previous dispositions come back after).
class StopOnSignal {
 public:
  StopOnSignal();
  ~StopOnSignal();
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;
};

// The first SIGINT or SIGTERM received while a StopOnSignal lived, else 0.
int pending();

// The conventional exit status for it: 128 + the signal number (130, 143).
inline int exit_status(int sig) { return 128 + sig; }

}  // namespace orchkit::signals
