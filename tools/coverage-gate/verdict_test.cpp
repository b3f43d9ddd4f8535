#include "coverage-gate/verdict.hpp"

#include <catch2/catch.hpp>

using namespace coverage_gate;
using orchkit::parse_percent;
using orchkit::Percent;

namespace {

Percent pct(const char* s) { return *parse_percent(s); }

struct Row {
  const char* name;
  Facts facts;
  Policy policy;
  Status status;
  std::vector<Reason> reasons;
};

// enabled, in scope, an optional tool problem (then nothing was measured), line, baseline, patch.
Facts F(bool enabled, bool in_scope, std::optional<Reason> problem, Ratio line, std::optional<Ratio> baseline,
        std::optional<Ratio> patch) {
  Facts f;
  f.enabled = enabled;
  f.in_scope = in_scope;
  if (problem) {
    f.problems = {*problem};
    f.measured = false;
  }
  f.line = line;
  f.baseline = baseline;
  f.patch = patch;
  return f;
}

// Measured line facts changed by `edit`.
template <class Edit>
Facts G(uint64_t covered, uint64_t total, Edit edit) {
  Facts f;
  f.line = Ratio{covered, total};
  edit(f);
  return f;
}

Policy both(const char* min, const char* eps, const char* patch = "0") {
  return Policy{Mode::both, pct(min), pct(eps), pct(patch), false};
}

}  // namespace

TEST_CASE("verdict: every branch and boundary", "[verdict]") {
  // clang-format off
  const std::vector<Row> rows = {
      {"exactly at min passes", F(true, true, std::nullopt, {80, 100}, {}, {}), {Mode::absolute, pct("80"), {}, {}, false}, Status::pass, {}},
      {"one line below min fails", F(true, true, std::nullopt, {79, 100}, {}, {}), {Mode::absolute, pct("80"), {}, {}, false}, Status::fail, {Reason::below_min}},
      {"just below min by a fraction fails", F(true, true, std::nullopt, {7999999, 10000000}, {}, {}), {Mode::absolute, pct("80"), {}, {}, false}, Status::fail, {Reason::below_min}},
      {"fractional min 80.5 exact", F(true, true, std::nullopt, {161, 200}, {}, {}), {Mode::absolute, pct("80.5"), {}, {}, false}, Status::pass, {}},
      {"100 % passes a 100 floor", F(true, true, std::nullopt, {5, 5}, {}, {}), {Mode::absolute, pct("100"), {}, {}, false}, Status::pass, {}},
      {"0 of 0 lines is 100 %", F(true, true, std::nullopt, {0, 0}, {}, {}), {Mode::absolute, pct("100"), {}, {}, false}, Status::pass, {}},
      {"bootstrap: no baseline, floor alone", F(true, true, std::nullopt, {85, 100}, {}, {}), both("80", "0.1"), Status::pass, {Reason::bootstrap}},
      {"bootstrap below floor fails", F(true, true, std::nullopt, {70, 100}, {}, {}), both("80", "0.1"), Status::fail, {Reason::bootstrap, Reason::below_min}},
      {"baseline mode bootstrap uses floor", F(true, true, std::nullopt, {70, 100}, {}, {}), {Mode::baseline, pct("80"), pct("0.1"), {}, false}, Status::fail, {Reason::bootstrap, Reason::below_min}},
      {"exactly at baseline - epsilon passes", F(true, true, std::nullopt, {8390, 10000}, Ratio{8400, 10000}, {}), both("80", "0.1"), Status::pass, {Reason::within_epsilon}},
      {"one line below baseline - epsilon fails", F(true, true, std::nullopt, {8389, 10000}, Ratio{8400, 10000}, {}), both("80", "0.1"), Status::fail, {Reason::below_baseline}},
      {"at baseline passes silently", F(true, true, std::nullopt, {84, 100}, Ratio{8400, 10000}, {}), both("80", "0.1"), Status::pass, {}},
      {"above baseline passes", F(true, true, std::nullopt, {90, 100}, Ratio{84, 100}, {}), both("80", "0"), Status::pass, {}},
      {"epsilon 0: any drop fails", F(true, true, std::nullopt, {839, 1000}, Ratio{84, 100}, {}), both("80", "0"), Status::fail, {Reason::below_baseline}},
      {"both fail together", F(true, true, std::nullopt, {70, 100}, Ratio{90, 100}, {}), both("80", "0.1"), Status::fail, {Reason::below_min, Reason::below_baseline}},
      {"absolute mode ignores baseline", F(true, true, std::nullopt, {81, 100}, Ratio{99, 100}, {}), {Mode::absolute, pct("80"), pct("0.1"), {}, false}, Status::pass, {}},
      {"baseline mode ignores floor", F(true, true, std::nullopt, {50, 100}, Ratio{50, 100}, {}), {Mode::baseline, pct("80"), pct("0.1"), {}, false}, Status::pass, {}},
      {"patch at floor passes", F(true, true, std::nullopt, {90, 100}, {}, Ratio{9, 10}), both("80", "0.1", "90"), Status::pass, {Reason::bootstrap}},
      {"patch one line below fails", F(true, true, std::nullopt, {90, 100}, {}, Ratio{8, 10}), both("80", "0.1", "90"), Status::fail, {Reason::bootstrap, Reason::patch_below_min}},
      {"patch with no measurable lines passes, said so", F(true, true, std::nullopt, {90, 100}, {}, Ratio{0, 0}), both("80", "0.1", "90"), Status::pass, {Reason::bootstrap, Reason::patch_no_lines}},
      {"patch off ignores patch", F(true, true, std::nullopt, {90, 100}, {}, Ratio{0, 10}), both("80", "0.1", "0"), Status::pass, {Reason::bootstrap}},
      {"kill-switch", F(false, true, std::nullopt, {0, 100}, {}, {}), both("80", "0.1"), Status::skipped, {Reason::disabled}},
      {"out of scope", F(true, false, std::nullopt, {0, 100}, {}, {}), both("80", "0.1"), Status::skipped, {Reason::out_of_scope}},
      {"tool error fail-open", F(true, true, Reason::tool_error, {}, {}, {}), both("80", "0.1"), Status::warn, {Reason::tool_error}},
      {"tool error fail-closed", F(true, true, Reason::report_invalid, {}, {}, {}), {Mode::both, pct("80"), {}, {}, true}, Status::error, {Reason::report_invalid}},
      {"not caught up fails whatever the numbers", G(100, 100, [](Facts& f) { f.caught_up = false; }), both("80", "0.1"), Status::fail, {Reason::not_caught_up, Reason::bootstrap}},
      {"policy changed is said, the numbers decide", G(90, 100, [](Facts& f) { f.policy_changed = true; }), both("80", "0.1"), Status::pass, {Reason::policy_changed, Reason::bootstrap}},
      {"command failed, fresh reports, FAIL stays FAIL", G(50, 100, [](Facts& f) { f.problems = {Reason::command_failed}; }), both("80", "0.1"), Status::fail, {Reason::bootstrap, Reason::below_min, Reason::command_failed}},
      {"command failed, fresh reports, no PASS: WARN", G(90, 100, [](Facts& f) { f.problems = {Reason::command_failed}; }), both("80", "0.1"), Status::warn, {Reason::bootstrap, Reason::command_failed}},
      {"stale report is never a PASS", G(90, 100, [](Facts& f) { f.problems = {Reason::report_stale}; f.measured = false; }), both("80", "0.1"), Status::warn, {Reason::report_stale}},
      {"shallow clone: the floor still fails", G(50, 100, [](Facts& f) { f.caught_up = std::nullopt; f.problems = {Reason::shallow_clone}; }), both("80", "0.1"), Status::fail, {Reason::bootstrap, Reason::below_min, Reason::shallow_clone}},
      {"shallow clone: no PASS without the caught-up check", G(90, 100, [](Facts& f) { f.caught_up = std::nullopt; f.problems = {Reason::shallow_clone}; }), both("80", "0.1"), Status::warn, {Reason::bootstrap, Reason::shallow_clone}},
      {"unmatched report paths fail closed as ERROR", G(90, 100, [](Facts& f) { f.problems = {Reason::report_paths_unmatched}; }), {Mode::both, pct("80"), {}, pct("50"), true}, Status::error, {Reason::bootstrap, Reason::report_paths_unmatched}},
  };
  // clang-format on
  for (const auto& row : rows) {
    INFO(row.name);
    Verdict v = decide(row.facts, row.policy);
    CHECK(status_name(v.status) == status_name(row.status));
    CHECK(v.reasons == row.reasons);
  }
}

TEST_CASE("verdict: exact arithmetic on huge counts", "[verdict]") {
  Ratio big{(1ull << 40) - 1, 1ull << 40};
  CHECK(at_least(big, pct("99.999999")));
  CHECK_FALSE(at_least(Ratio{(1ull << 40) - 20000000, 1ull << 40}, pct("99.999999")));
  CHECK(at_least_minus(Ratio{1ull << 39, 1ull << 40}, Ratio{(1ull << 39) + 1, 1ull << 40}, pct("0.000001")));
  CHECK(less_than(Ratio{1, 3}, Ratio{334, 1000}));
  CHECK_FALSE(less_than(Ratio{1, 3}, Ratio{333, 1000}));
}

TEST_CASE("verdict: printed percentage is truncated, never rounded up", "[verdict]") {
  CHECK(orchkit::format_ratio_pct(7999, 10000) == "79.99");
  CHECK(orchkit::format_ratio_pct(79999, 100000) == "79.99");
  CHECK(orchkit::format_ratio_pct(2, 3) == "66.66");
  CHECK(orchkit::format_ratio_pct(1, 1) == "100.00");
  CHECK(orchkit::format_ratio_pct(0, 7) == "0.00");
}

namespace {

Policy rule(Rule r, uint64_t budget = 0, int64_t patch_budget = -1) {
  Policy p = both("80", "0.1");
  p.rule = r;
  p.max_new_uncovered = budget;
  p.patch_max_uncovered = patch_budget;
  return p;
}

Facts::Diff D(uint64_t unc, uint64_t lbc, uint64_t uic) { return Facts::Diff{unc, lbc, uic}; }

}  // namespace

TEST_CASE("verdict: the differential rule, per-file floors and the patch budget", "[verdict][differential]") {
  // A deletion of covered code: the total drops below baseline − epsilon and below the floor.
  auto deletion = [](Facts& f) {
    f.baseline = Ratio{90, 100};
    f.diff = D(0, 0, 0);
  };
  // clang-format off
  const std::vector<Row> rows = {
      {"deletion only: percent fails", G(70, 90, deletion), rule(Rule::percent), Status::fail, {Reason::below_min, Reason::below_baseline}},
      {"deletion only: differential passes (DCB/DUB only inform)", G(70, 90, deletion), rule(Rule::differential), Status::pass, {}},
      {"deletion only: both still fails on the percentages", G(70, 90, deletion), rule(Rule::both), Status::fail, {Reason::below_min, Reason::below_baseline}},
      {"an LBC line fails although the total holds", G(95, 100, [](Facts& f) { f.baseline = Ratio{90, 100}; f.diff = D(0, 1, 0); }), rule(Rule::differential), Status::fail, {Reason::lost_coverage}},
      {"UNC within the budget passes", G(95, 100, [](Facts& f) { f.baseline = Ratio{90, 100}; f.diff = D(2, 0, 0); }), rule(Rule::differential, 2), Status::pass, {}},
      {"UNC one over the budget fails", G(95, 100, [](Facts& f) { f.baseline = Ratio{90, 100}; f.diff = D(3, 0, 0); }), rule(Rule::differential, 2), Status::fail, {Reason::new_uncovered}},
      {"UNC + LBC + UIC share one budget", G(95, 100, [](Facts& f) { f.baseline = Ratio{90, 100}; f.diff = D(1, 1, 1); }), rule(Rule::differential, 2), Status::fail, {Reason::new_uncovered, Reason::lost_coverage}},
      {"UIC counts as new uncovered", G(95, 100, [](Facts& f) { f.baseline = Ratio{90, 100}; f.diff = D(0, 0, 1); }), rule(Rule::differential), Status::fail, {Reason::new_uncovered}},
      {"no line data: said so, the percent rule decides (fail)", G(70, 90, [](Facts& f) { f.baseline = Ratio{90, 100}; }), rule(Rule::differential), Status::fail, {Reason::differential_unavailable, Reason::below_min, Reason::below_baseline}},
      {"no line data: said so, the percent rule decides (pass)", G(95, 100, [](Facts& f) { f.baseline = Ratio{90, 100}; }), rule(Rule::differential), Status::pass, {Reason::differential_unavailable}},
      {"no baseline at all under differential: bootstrap, said so", G(95, 100, [](Facts&) {}), rule(Rule::differential), Status::pass, {Reason::differential_unavailable, Reason::bootstrap}},
      {"percent rule ignores the categories", G(95, 100, [](Facts& f) { f.baseline = Ratio{90, 100}; f.diff = D(5, 5, 5); }), rule(Rule::percent), Status::pass, {}},
      {"a file below its floor fails while the total passes", G(95, 100, [](Facts& f) { f.files_below_min = 1; }), rule(Rule::percent), Status::fail, {Reason::bootstrap, Reason::file_below_min}},
      {"a file below its floor fails under differential too", G(95, 100, [](Facts& f) { f.baseline = Ratio{90, 100}; f.diff = D(0, 0, 0); f.files_below_min = 2; }), rule(Rule::differential), Status::fail, {Reason::file_below_min}},
      {"patch budget: exactly at it passes", G(95, 100, [](Facts& f) { f.patch = Ratio{8, 10}; }), rule(Rule::percent, 0, 2), Status::pass, {Reason::bootstrap}},
      {"patch budget: one over fails", G(95, 100, [](Facts& f) { f.patch = Ratio{7, 10}; }), rule(Rule::percent, 0, 2), Status::fail, {Reason::bootstrap, Reason::patch_uncovered_budget}},
      {"patch budget 0: one uncovered changed line fails", G(95, 100, [](Facts& f) { f.patch = Ratio{9, 10}; }), rule(Rule::percent, 0, 0), Status::fail, {Reason::bootstrap, Reason::patch_uncovered_budget}},
      {"patch budget off (-1)", G(95, 100, [](Facts& f) { f.patch = Ratio{0, 10}; }), rule(Rule::percent, 0, -1), Status::pass, {Reason::bootstrap}},
      {"a tool problem never turns a differential FAIL into WARN", G(95, 100, [](Facts& f) { f.baseline = Ratio{90, 100}; f.diff = D(0, 1, 0); f.problems = {Reason::command_failed}; }), rule(Rule::differential), Status::fail, {Reason::lost_coverage, Reason::command_failed}},
      {"unmeasured facts: no differential verdict", G(95, 100, [](Facts& f) { f.diff = D(0, 9, 0); f.measured = false; f.problems = {Reason::report_stale}; }), rule(Rule::differential), Status::warn, {Reason::report_stale}},
  };
  // clang-format on
  for (const auto& row : rows) {
    INFO(row.name);
    Verdict v = decide(row.facts, row.policy);
    CHECK(status_name(v.status) == status_name(row.status));
    CHECK(v.reasons == row.reasons);
  }
}
