#include "coverage-gate/verdict.hpp"

#include "orchkit/util/int128.hpp"

namespace coverage_gate {

using orchkit::i128;
using orchkit::Percent;

std::string_view status_name(Status s) {
  switch (s) {
    case Status::pass: return "PASS";
    case Status::fail: return "FAIL";
    case Status::warn: return "WARN";
    case Status::skipped: return "SKIPPED";
    case Status::error: return "ERROR";
  }
  return "ERROR";
}

std::string_view reason_name(Reason r) {
  switch (r) {
    case Reason::below_min: return "below_min";
    case Reason::below_baseline: return "below_baseline";
    case Reason::patch_below_min: return "patch_below_min";
    case Reason::bootstrap: return "bootstrap";
    case Reason::within_epsilon: return "within_epsilon";
    case Reason::patch_no_lines: return "patch_no_lines";
    case Reason::tool_error: return "tool_error";
    case Reason::report_missing: return "report_missing";
    case Reason::report_invalid: return "report_invalid";
    case Reason::nothing_measured: return "nothing_measured";
    case Reason::disabled: return "disabled";
    case Reason::out_of_scope: return "out_of_scope";
    case Reason::policy_changed: return "policy_changed";
    case Reason::not_caught_up: return "not_caught_up";
    case Reason::shallow_clone: return "shallow_clone";
    case Reason::command_failed: return "command_failed";
    case Reason::report_stale: return "report_stale";
    case Reason::report_paths_unmatched: return "report_paths_unmatched";
    case Reason::new_uncovered: return "new_uncovered";
    case Reason::lost_coverage: return "lost_coverage";
    case Reason::file_below_min: return "file_below_min";
    case Reason::patch_uncovered_budget: return "patch_uncovered_budget";
    case Reason::differential_unavailable: return "differential_unavailable";
  }
  return "unknown";
}

std::optional<Mode> mode_from_name(std::string_view s) {
  if (s == "absolute") return Mode::absolute;
  if (s == "baseline") return Mode::baseline;
  if (s == "both") return Mode::both;
  return std::nullopt;
}

std::string_view mode_name(Mode m) {
  switch (m) {
    case Mode::absolute: return "absolute";
    case Mode::baseline: return "baseline";
    case Mode::both: return "both";
  }
  return "both";
}

std::optional<Rule> rule_from_name(std::string_view s) {
  if (s == "percent") return Rule::percent;
  if (s == "differential") return Rule::differential;
  if (s == "both") return Rule::both;
  return std::nullopt;
}

std::string_view rule_name(Rule r) {
  switch (r) {
    case Rule::percent: return "percent";
    case Rule::differential: return "differential";
    case Rule::both: return "both";
  }
  return "percent";
}

bool at_least(Ratio r, Percent p) {
  if (r.total == 0) return true;
  // covered/total ≥ p/(100·D)  ⇔  covered·100·D ≥ p·total
  return static_cast<i128>(r.covered) * 100 * Percent::kScale >= static_cast<i128>(p.micro) * r.total;
}

bool at_least_minus(Ratio r, Ratio base, Percent epsilon) {
  if (r.total == 0) return true;
  if (base.total == 0) return true;  // a 0-of-0 baseline is 100 %: only the absolute floor judges
  // c/t ≥ bc/bt − e/(100·D)  ⇔  100·D·c·bt ≥ 100·D·bc·t − e·t·bt
  const i128 d = 100 * Percent::kScale;
  i128 lhs = d * r.covered * base.total;
  i128 rhs = d * base.covered * r.total - static_cast<i128>(epsilon.micro) * r.total * base.total;
  return lhs >= rhs;
}

bool less_than(Ratio a, Ratio b) {
  i128 an = a.total == 0 ? 1 : a.covered, ad = a.total == 0 ? 1 : a.total;
  i128 bn = b.total == 0 ? 1 : b.covered, bd = b.total == 0 ? 1 : b.total;
  return an * bd < bn * ad;
}

namespace {

// The percentages: floor and baseline; true when one of them fails.
bool judge_percent(const Facts& f, const Policy& p, Verdict& v) {
  bool failed = false;
  bool use_baseline = p.mode != Mode::absolute;
  bool use_absolute = p.mode != Mode::baseline || !f.baseline;  // bootstrap falls back to the floor
  if (use_baseline && !f.baseline) v.reasons.push_back(Reason::bootstrap);
  if (use_absolute && !at_least(f.line, p.min)) {
    v.reasons.push_back(Reason::below_min);
    failed = true;
  }
  if (use_baseline && f.baseline) {
    if (!at_least_minus(f.line, *f.baseline, p.epsilon)) {
      v.reasons.push_back(Reason::below_baseline);
      failed = true;
    } else if (less_than(f.line, *f.baseline)) {
      v.reasons.push_back(Reason::within_epsilon);
    }
  }
  return failed;
}

// UNC + LBC + UIC within the budget: deleted lines (DCB, DUB) never count.
bool judge_differential(const Facts::Diff& d, const Policy& p, Verdict& v) {
  if (d.unc + d.lbc + d.uic <= p.max_new_uncovered) return false;
  if (d.unc + d.uic > 0) v.reasons.push_back(Reason::new_uncovered);
  if (d.lbc > 0) v.reasons.push_back(Reason::lost_coverage);
  return true;
}

// The rule's checks, the per-file floors and the patch checks on whole line facts.
bool judge_lines(const Facts& f, const Policy& p, Verdict& v) {
  bool failed = false;
  bool differential = p.rule != Rule::percent && f.diff;
  if (p.rule != Rule::percent && !f.diff) v.reasons.push_back(Reason::differential_unavailable);
  if (p.rule != Rule::differential || !differential) failed = judge_percent(f, p, v);
  if (differential && judge_differential(*f.diff, p, v)) failed = true;
  if (f.files_below_min > 0) {
    v.reasons.push_back(Reason::file_below_min);
    failed = true;
  }
  if (p.patch_max_uncovered >= 0 && f.patch &&
      f.patch->total - f.patch->covered > static_cast<uint64_t>(p.patch_max_uncovered)) {
    v.reasons.push_back(Reason::patch_uncovered_budget);
    failed = true;
  }
  if (p.patch_min.micro > 0 && f.patch) {
    if (f.patch->total == 0) {
      v.reasons.push_back(Reason::patch_no_lines);
    } else if (!at_least(*f.patch, p.patch_min)) {
      v.reasons.push_back(Reason::patch_below_min);
      failed = true;
    }
  }
  return failed;
}

}  // namespace

Verdict decide(const Facts& f, const Policy& p) {
  Verdict v;
  if (!f.enabled) return {Status::skipped, {Reason::disabled}};
  if (!f.in_scope) return {Status::skipped, {Reason::out_of_scope}};
  if (f.policy_changed) v.reasons.push_back(Reason::policy_changed);
  bool failed = false;
  if (f.caught_up == false) {
    v.reasons.push_back(Reason::not_caught_up);
    failed = true;
  }
  if (f.measured && judge_lines(f, p, v)) failed = true;
  // A patch check that is on but could not be computed is a problem of its own (the caller
  // names it: shallow_clone, report_paths_unmatched, tool_error); it never passes silently.
  v.reasons.insert(v.reasons.end(), f.problems.begin(), f.problems.end());
  if (failed) v.status = Status::fail;
  else if (!f.problems.empty()) v.status = p.fail_closed ? Status::error : Status::warn;
  else v.status = Status::pass;
  return v;
}

}  // namespace coverage_gate
