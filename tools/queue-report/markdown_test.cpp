#include "queue-report/markdown.hpp"

#include "queue-report/test_support.hpp"

using namespace queue_report;
using namespace queue_report::test;

namespace {

Report sample() {
  Inputs in;
  in.repo = "acme/demo";
  in.artefacts = "w";
  in.floor = orchkit::Percent{80 * orchkit::Percent::kScale};
  in.state.present = true;
  BranchFacts main = branch("main", 85, 100);
  main.history = {change(1, "bootstrap", std::nullopt, 80, "2024-05-01T01:00:00Z"),
                  change(2, "override", 80, 85, "2024-05-03T01:00:00Z", "alice", "tests | moved\nelsewhere")};
  in.state.branches.push_back(main);
  in.tasks.push_back(folder("T-2", stage_md("T-2", "development"), coverage_md("T-2", "PASS", 88)));
  in.tasks.push_back(folder("T-4", stage_md("T-4", "code_review"), coverage_md("T-4", "FAIL", 70)));
  in.tasks.push_back(folder("T-8", stage_md("T-8", "development"), "garbage\n"));
  in.chart = "queue.svg";
  return build_report(in);
}

}  // namespace

TEST_CASE("queue md: the table, in attention order, with the columns of the issue", "[queue]") {
  std::string md = render_markdown(sample());
  CHECK(md.find("# Queue report: acme/demo\n") == 0);
  CHECK(md.find("3 tasks in `w`, 2 need attention: 1 FAIL or ERROR, 1 with broken artefacts.") != std::string::npos);
  CHECK(md.find("| key | stage | coverage | line % | Δ baseline (pp) | patch % | stop | updated |") !=
        std::string::npos);
  size_t t4 = md.find("| T-4 | code_review | **FAIL** | 70.00 | -15.00 | — | — | 2024-05-01T10:00:00Z |");
  size_t t8 = md.find("| T-8 | development | **broken** |");
  size_t t2 = md.find("| T-2 | development | PASS | 88.00 | +3.00 |");
  REQUIRE(t4 != std::string::npos);
  REQUIRE(t8 != std::string::npos);
  REQUIRE(t2 != std::string::npos);
  CHECK(t4 < t8);
  CHECK(t8 < t2);
  CHECK(md.find("- `w/T-8/18-coverage-report.md`: line 1: no front matter") != std::string::npos);
}

TEST_CASE("queue md: coverage block with who and why of an override, the chart linked", "[queue]") {
  std::string md = render_markdown(sample());
  CHECK(md.find("Floor (`coverage.min`): 80 %.") != std::string::npos);
  CHECK(
      md.find(
          "| main | 85.00 % | `bbbbbbbbbbbb` | 2024-05-01T09:00:00Z | 2 (1 override) | ▁█ 80.00 → 85.00 (+5.00 pp, up) |") !=
      std::string::npos);
  CHECK(md.find("![Baseline history per target branch](queue.svg)") != std::string::npos);
  // Newest first; the reason's | and line break cannot break the table.
  size_t o = md.find(
      "| 2024-05-03T01:00:00Z | **override** | 80.00 | 85.00 | `cccccccccccc` | — | alice | tests \\| moved elsewhere |");
  size_t b = md.find("| 2024-05-01T01:00:00Z | bootstrap | — | 80.00 |");
  REQUIRE(o != std::string::npos);
  REQUIRE(b != std::string::npos);
  CHECK(o < b);
}

TEST_CASE("queue md: no state file says no baseline yet; empty stop block says none", "[queue]") {
  Inputs in;
  in.repo = "acme/demo";
  in.artefacts = "w";
  std::string md = render_markdown(build_report(in));
  CHECK(md.find("0 tasks in `w`.") != std::string::npos);
  CHECK(md.find("No baseline yet: there is no state file") != std::string::npos);
  CHECK(md.find("### Deferred stops\n\nNone.") != std::string::npos);
  CHECK(md.find("As of") == std::string::npos);  // no clock unless --now
  in.now = "2024-06-01T00:00:00Z";
  CHECK(render_markdown(build_report(in)).find("As of 2024-06-01T00:00:00Z.") != std::string::npos);
}

TEST_CASE("queue md: cells and sparklines", "[queue]") {
  CHECK(md_cell("") == "—");
  CHECK(md_cell("a|b\nc") == "a\\|b c");
  CHECK(md_cell("red\x1b[31m") == "red [31m");  // no terminal escapes in a report
  CHECK(sparkline({8000, 9000, 8500}, 20) == "▁█▄");
  CHECK(sparkline({8000}, 20).empty());
  CHECK(sparkline({1, 2, 3}, 2) == "▁█");
}

TEST_CASE("markdown: a task judged by the differential rule shows its UNC and LBC", "[queue][differential]") {
  Inputs in;
  in.repo = "acme/demo";
  in.artefacts = "w";
  in.floor = orchkit::Percent{80 * orchkit::Percent::kScale};
  std::string diff = "rule: differential\ndiff: {GNC: 4, UNC: 2, CBC: 10, LBC: 3, DCB: 7}\n";
  in.tasks.push_back(folder("T-9", stage_md("T-9", "development"), coverage_md("T-9", "FAIL", 88, 100, diff)));
  in.tasks.push_back(folder("T-2", stage_md("T-2", "development"), coverage_md("T-2", "PASS", 88)));
  Report r = build_report(in);
  const TaskRow& t9 = *std::find_if(r.tasks.begin(), r.tasks.end(), [](const TaskRow& t) { return t.key == "T-9"; });
  REQUIRE(t9.coverage);
  CHECK(t9.coverage->unc == 2u);
  CHECK(t9.coverage->lbc == 3u);
  std::string md = render_markdown(r);
  CHECK_THAT(md, Catch::Contains("| **FAIL** (UNC 2, LBC 3) |"));
  CHECK_THAT(md, Catch::Contains("| PASS |"));  // a percent-judged task shows no categories
}
