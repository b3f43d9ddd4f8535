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

Policy both(const char* min, const char* eps, const char* patch = "0") {
  return Policy{Mode::both, pct(min), pct(eps), pct(patch), false};
}

}  // namespace

TEST_CASE("verdict: every branch and boundary", "[verdict]") {
  // clang-format off
  const std::vector<Row> rows = {
      {"exactly at min passes", {true, true, {}, {80, 100}, {}, {}}, {Mode::absolute, pct("80"), {}, {}, false}, Status::pass, {}},
      {"one line below min fails", {true, true, {}, {79, 100}, {}, {}}, {Mode::absolute, pct("80"), {}, {}, false}, Status::fail, {Reason::below_min}},
      {"just below min by a fraction fails", {true, true, {}, {7999999, 10000000}, {}, {}}, {Mode::absolute, pct("80"), {}, {}, false}, Status::fail, {Reason::below_min}},
      {"fractional min 80.5 exact", {true, true, {}, {161, 200}, {}, {}}, {Mode::absolute, pct("80.5"), {}, {}, false}, Status::pass, {}},
      {"100 % passes a 100 floor", {true, true, {}, {5, 5}, {}, {}}, {Mode::absolute, pct("100"), {}, {}, false}, Status::pass, {}},
      {"0 of 0 lines is 100 %", {true, true, {}, {0, 0}, {}, {}}, {Mode::absolute, pct("100"), {}, {}, false}, Status::pass, {}},
      {"bootstrap: no baseline, floor alone", {true, true, {}, {85, 100}, {}, {}}, both("80", "0.1"), Status::pass, {Reason::bootstrap}},
      {"bootstrap below floor fails", {true, true, {}, {70, 100}, {}, {}}, both("80", "0.1"), Status::fail, {Reason::bootstrap, Reason::below_min}},
      {"baseline mode bootstrap uses floor", {true, true, {}, {70, 100}, {}, {}}, {Mode::baseline, pct("80"), pct("0.1"), {}, false}, Status::fail, {Reason::bootstrap, Reason::below_min}},
      {"exactly at baseline - epsilon passes", {true, true, {}, {8390, 10000}, Ratio{8400, 10000}, {}}, both("80", "0.1"), Status::pass, {Reason::within_epsilon}},
      {"one line below baseline - epsilon fails", {true, true, {}, {8389, 10000}, Ratio{8400, 10000}, {}}, both("80", "0.1"), Status::fail, {Reason::below_baseline}},
      {"at baseline passes silently", {true, true, {}, {84, 100}, Ratio{8400, 10000}, {}}, both("80", "0.1"), Status::pass, {}},
      {"above baseline passes", {true, true, {}, {90, 100}, Ratio{84, 100}, {}}, both("80", "0"), Status::pass, {}},
      {"epsilon 0: any drop fails", {true, true, {}, {839, 1000}, Ratio{84, 100}, {}}, both("80", "0"), Status::fail, {Reason::below_baseline}},
      {"both fail together", {true, true, {}, {70, 100}, Ratio{90, 100}, {}}, both("80", "0.1"), Status::fail, {Reason::below_min, Reason::below_baseline}},
      {"absolute mode ignores baseline", {true, true, {}, {81, 100}, Ratio{99, 100}, {}}, {Mode::absolute, pct("80"), pct("0.1"), {}, false}, Status::pass, {}},
      {"baseline mode ignores floor", {true, true, {}, {50, 100}, Ratio{50, 100}, {}}, {Mode::baseline, pct("80"), pct("0.1"), {}, false}, Status::pass, {}},
      {"patch at floor passes", {true, true, {}, {90, 100}, {}, Ratio{9, 10}}, both("80", "0.1", "90"), Status::pass, {Reason::bootstrap}},
      {"patch one line below fails", {true, true, {}, {90, 100}, {}, Ratio{8, 10}}, both("80", "0.1", "90"), Status::fail, {Reason::bootstrap, Reason::patch_below_min}},
      {"patch with no measurable lines passes, said so", {true, true, {}, {90, 100}, {}, Ratio{0, 0}}, both("80", "0.1", "90"), Status::pass, {Reason::bootstrap, Reason::patch_no_lines}},
      {"patch off ignores patch", {true, true, {}, {90, 100}, {}, Ratio{0, 10}}, both("80", "0.1", "0"), Status::pass, {Reason::bootstrap}},
      {"kill-switch", {false, true, {}, {0, 100}, {}, {}}, both("80", "0.1"), Status::skipped, {Reason::disabled}},
      {"out of scope", {true, false, {}, {0, 100}, {}, {}}, both("80", "0.1"), Status::skipped, {Reason::out_of_scope}},
      {"tool error fail-open", {true, true, Reason::tool_error, {}, {}, {}}, both("80", "0.1"), Status::warn, {Reason::tool_error}},
      {"tool error fail-closed", {true, true, Reason::report_invalid, {}, {}, {}}, {Mode::both, pct("80"), {}, {}, true}, Status::error, {Reason::report_invalid}},
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
