// What a coverage verdict is: a pure function of the measured facts and the policy (SPEC §5).
// Includes nothing but the standard library and orchkit's value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "orchkit/util/units.hpp"

namespace coverage_gate {

enum class Mode { absolute, baseline, both };
// Which rule judges the lines: the percentages (floor and baseline), lcov-style differential
// categories (docs/differential.md), or both.
enum class Rule { percent, differential, both };
enum class Status { pass, fail, warn, skipped, error };
enum class Reason {
  below_min,                 // line coverage < min
  below_baseline,            // line coverage < baseline − epsilon
  patch_below_min,           // changed lines covered < patch_min
  bootstrap,                 // no baseline yet: the absolute check alone
  within_epsilon,            // below the baseline, but by no more than epsilon
  patch_no_lines,            // patch_min is set but no changed line is measurable
  tool_error,                // the measure command could not run or timed out
  report_missing,            // a report file is not there
  report_invalid,            // a report could not be read (or is not a regular file)
  nothing_measured,          // the reports measure no line at all
  disabled,                  // coverage.enabled = false
  out_of_scope,              // the repository is not in coverage.scope
  policy_changed,            // the tree under test changes the policy: the target's decides
  not_caught_up,             // the target's tip is not in the measured commit: not what would land
  shallow_clone,             // no history: patch coverage and the caught-up check are unavailable
  command_failed,            // coverage.command exited non-zero
  report_stale,              // a report was not written by this run
  report_paths_unmatched,    // changed files have no record while report paths match no file
  new_uncovered,             // differential: UNC + UIC lines beyond max_new_uncovered
  lost_coverage,             // differential: LBC lines (unchanged lines that lost coverage) beyond it
  file_below_min,            // a file matching [coverage.files] is below its floor
  patch_uncovered_budget,    // more uncovered changed lines than patch_max_uncovered
  differential_unavailable,  // no baseline line data (or no diff): the percent rule decided
};

std::string_view status_name(Status s);  // PASS, FAIL, WARN, SKIPPED, ERROR
std::string_view reason_name(Reason r);  // below_min, ...
std::optional<Mode> mode_from_name(std::string_view s);
std::string_view mode_name(Mode m);
std::optional<Rule> rule_from_name(std::string_view s);
std::string_view rule_name(Rule r);

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
  // Differential line counts against the baseline's line data; nullopt when there is none.
  struct Diff {
    uint64_t unc = 0, lbc = 0, uic = 0;
  };
  std::optional<Diff> diff = {};
  uint64_t files_below_min = 0;  // files under their [coverage.files] floor
};

struct Policy {
  Mode mode = Mode::both;
  orchkit::Percent min = {};
  orchkit::Percent epsilon = {};
  orchkit::Percent patch_min = {};
  bool fail_closed = false;
  Rule rule = Rule::percent;
  uint64_t max_new_uncovered = 0;    // UNC + LBC + UIC allowed under differential
  int64_t patch_max_uncovered = -1;  // uncovered changed lines allowed; -1 = off
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
