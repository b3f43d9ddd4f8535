// What a coverage verdict is: a pure function of the measured facts and the policy (SPEC §5).
// Includes nothing but the standard library and orchkit's value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "orchkit/units.hpp"

namespace coverage_gate {

enum class Mode { absolute, baseline, both };
enum class Status { pass, fail, warn, skipped, error };
enum class Reason {
  below_min,               // line coverage < min
  below_baseline,          // line coverage < baseline − epsilon
  patch_below_min,         // changed lines covered < patch_min
  bootstrap,               // no baseline yet: the absolute check alone
  within_epsilon,          // below the baseline, but by no more than epsilon
  patch_no_lines,          // patch_min is set but no changed line is measurable
  tool_error,              // the measure command could not run or timed out
  report_missing,          // a report file is not there
  report_invalid,          // a report could not be read (or is not a regular file)
  nothing_measured,        // the reports measure no line at all
  disabled,                // coverage.enabled = false
  out_of_scope,            // the repository is not in coverage.scope
  policy_changed,          // the tree under test changes the policy: the target's decides
  not_caught_up,           // the target's tip is not in the measured commit: not what would land
  shallow_clone,           // no history: patch coverage and the caught-up check are unavailable
  command_failed,          // coverage.command exited non-zero
  report_stale,            // a report was not written by this run
  report_paths_unmatched,  // changed files have no record while report paths match no file
};

std::string_view status_name(Status s);  // PASS, FAIL, WARN, SKIPPED, ERROR
std::string_view reason_name(Reason r);  // below_min, ...
std::optional<Mode> mode_from_name(std::string_view s);
std::string_view mode_name(Mode m);

struct Ratio {
  uint64_t covered = 0;
  uint64_t total = 0;
};

// What the gate found. `problems` are the coverage tool's failures (fail-open: WARN, or ERROR
// under fail-closed); they never turn a measured FAIL into WARN. `measured` says the line facts
// are whole (every report read and fresh), so the floor and the baseline may judge them.
struct Facts {
  bool enabled = true;
  bool in_scope = true;
  std::vector<Reason> problems = {};
  bool measured = true;
  bool policy_changed = false;
  std::optional<bool> caught_up = true;  // nullopt: unknown (shallow clone)
  Ratio line = {};
  std::optional<Ratio> baseline = {};
  std::optional<Ratio> patch = {};  // changed lines; nullopt when not computed
};

struct Policy {
  Mode mode = Mode::both;
  orchkit::Percent min = {};
  orchkit::Percent epsilon = {};
  orchkit::Percent patch_min = {};
  bool fail_closed = false;
};

struct Verdict {
  Status status = Status::pass;
  std::vector<Reason> reasons = {};
};

Verdict decide(const Facts& facts, const Policy& policy);

// Exact comparisons on integers. 0 of 0 counts as 100 %.
bool at_least(Ratio r, orchkit::Percent p);                          // r ≥ p
bool at_least_minus(Ratio r, Ratio base, orchkit::Percent epsilon);  // r ≥ base − epsilon
bool less_than(Ratio a, Ratio b);                                    // a < b as fractions

}  // namespace coverage_gate
