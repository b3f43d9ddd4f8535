// What a stop does before it touches anything, as a pure function of the facts gathered from
// the config, the stage record and the state (SPEC §7 steps 1–2): nothing (disabled, a stale
// generation, already cancelled), record it for the window's owner (defer), wait for the owner,
// or go on to the plan and the journaled steps.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace orchkit::stop {

enum class Verdict { disabled, stale, already, defer, wait, proceed };

struct StopFacts {
  bool enabled = true;                     // stop.enabled
  int64_t live = 1;                        // the live generation (00-stage.md)
  std::optional<int64_t> asked = {};       // --generation
  bool asked_recorded = false;             // a stop of the asked generation is in the state
  bool live_done = false;                  // the live generation's stop is journaled done
  std::optional<std::string> window = {};  // the task's open critical window
  std::string window_holder = {};
  bool dry_run = false;
  bool wait = false;
};

struct StopDecision {
  Verdict verdict = Verdict::proceed;
  std::string status = {};    // the report's status for a verdict that ends here
  std::string message = {};   // why, for people
  bool record_stale = false;  // stale: record the replayed generation once (not on a dry run)
};

StopDecision decide_stop(const StopFacts& f, const std::string& task);

}  // namespace orchkit::stop
