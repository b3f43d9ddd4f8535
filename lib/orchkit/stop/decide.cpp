#include "orchkit/stop/decide.hpp"

namespace orchkit::stop {

StopDecision decide_stop(const StopFacts& f, const std::string& task) {
  const std::string live = std::to_string(f.live);
  if (!f.enabled)
    return {Verdict::disabled, "disabled", "stop.enabled = false (ORCH_STOP_STATUS_ENABLED=0): nothing touched"};
  if (f.asked && *f.asked != f.live)
    return {Verdict::stale, "stale",
            "generation " + std::to_string(*f.asked) + " is not the live generation " + live +
                ": a late or replayed stop; nothing touched",
            !f.dry_run && !f.asked_recorded};
  if (f.live_done)
    return {Verdict::already, "already_cancelled", task + " generation " + live + " is already cancelled"};
  if (f.window && !f.dry_run) {
    if (f.wait) return {Verdict::wait, "", "deferred: waiting for " + *f.window + " to end"};
    return {Verdict::defer, "deferred",
            "inside the critical window " + *f.window + " (held by " + f.window_holder +
                "): the stop runs when the irreversible step ends"};
  }
  return {Verdict::proceed, "", ""};
}

}  // namespace orchkit::stop
