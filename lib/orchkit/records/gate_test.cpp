#include "orchkit/records/gate.hpp"

#include <catch2/catch.hpp>

using namespace orchkit;
using namespace orchkit::records;

namespace {
GateRecord sample() {
  GateRecord r;
  r.status = GateStatus::fail;
  r.task = "ORCH-27";
  r.commit = std::string(40, 'a');
  r.tree = std::string(40, 'b');
  r.target = "main";
  r.target_commit = std::string(40, 'c');
  r.head_commit = std::string(40, 'f');
  r.mode = "both";
  r.line_covered = 8123;
  r.line_total = 9650;
  r.line_pct = "84.17";
  r.baseline_pct = "90.00";
  r.baseline_commit = std::string(40, 'd');
  r.baseline_covered = 9;
  r.baseline_total = 10;
  r.min_pct = "80";
  r.epsilon_pp = "0.1";
  r.patch_min_pct = "60";
  r.patch_covered = 40;
  r.patch_total = 44;
  r.patch_pct = "90.90";
  r.reasons = {"policy_changed", "below_baseline"};
  r.policy = "main:orchkit.toml (at 123456789abc)";
  r.policy_changed = {"coverage.min", "coverage.patch_min"};
  r.unmatched_paths = 3;
  r.reports = {{"coverage.json", "coveragepy-json", std::string(64, 'e')}, {"out dir/lcov, x.info", "lcov", ""}};
  r.generated_by = "coverage-gate 0.1.0";
  return r;
}
}  // namespace

TEST_CASE("gate record: render then parse gives the same record, no problem", "[records]") {
  GateRecord r = sample();
  std::string text = render_gate(r) + "\n# body\n";
  auto parsed = parse_gate(text, "18-coverage-report.md");
  REQUIRE(parsed);
  CHECK(parsed->problems.empty());
  CHECK(render_gate(parsed->record) == render_gate(r));
  const GateRecord& p = parsed->record;
  CHECK(p.status == GateStatus::fail);
  CHECK(p.reasons == r.reasons);
  REQUIRE(p.reports.size() == 2);
  CHECK(p.reports[1].path == "out dir/lcov, x.info");
  CHECK(p.reports[1].sha256.empty());
  CHECK(p.policy_changed == r.policy_changed);
  CHECK(p.head_commit == r.head_commit);
}

TEST_CASE("gate record: head_commit is optional (older records) and must be 40 hex", "[records]") {
  GateRecord r = sample();
  r.head_commit.reset();
  auto old = parse_gate(render_gate(r), "x");
  REQUIRE(old);
  CHECK(old->problems.empty());
  CHECK_FALSE(old->record.head_commit);
  r.head_commit = "abc";
  auto bad = parse_gate(render_gate(r), "x");
  REQUIRE(bad);
  REQUIRE(bad->problems.size() == 1);
  CHECK(bad->problems[0] == "head_commit is not a 40-hex commit id");
}

TEST_CASE("gate record: nulls survive (nothing measured, no measurable changed line)", "[records]") {
  GateRecord r = sample();
  r.status = GateStatus::warn;
  r.line_covered = r.line_total = 0;
  r.line_pct.reset();
  r.patch_covered = r.patch_total = 0;
  r.patch_pct.reset();
  r.baseline_pct.reset();
  r.baseline_commit.reset();
  r.baseline_covered.reset();
  r.baseline_total.reset();
  auto parsed = parse_gate(render_gate(r), "x");
  REQUIRE(parsed);
  CHECK(parsed->problems.empty());
  CHECK_FALSE(parsed->record.line_pct);
  CHECK_FALSE(parsed->record.patch_pct);
  CHECK(render_gate(parsed->record) == render_gate(r));
  CHECK(measured_nothing(parsed->record.status));
}

TEST_CASE("gate record: a front matter that disagrees with itself is listed", "[records]") {
  auto problems = [](const std::string& fm) {
    auto p = parse_gate("---\n" + fm + "---\n", "x");
    REQUIRE(p);
    return p->problems;
  };
  std::string ids = "commit: " + std::string(40, 'a') + "\ntree: " + std::string(40, 'b') + "\n";
  CHECK(problems("coverage_status: PASS\n" + ids + "line_covered: 5\nline_total: 10\nline_pct: \"50.00\"\n").empty());
  CHECK(problems("coverage_status: PASS\n" + ids + "line_covered: 5\nline_total: 10\nline_pct: \"90.00\"\n").size() ==
        1);
  CHECK(problems("coverage_status: PASS\n" + ids + "line_covered: 11\nline_total: 10\n").size() == 1);
  CHECK(problems("coverage_status: MAYBE\n" + ids + "line_covered: 1\nline_total: 1\n").size() == 1);
  CHECK(problems("coverage_status: PASS\ncommit: abc\n" + std::string("tree: ") + std::string(40, 'b') +
                 "\nline_covered: 1\nline_total: 1\n")
            .size() == 1);
  CHECK(problems("coverage_status: PASS\n" + ids + "line_covered: x\nline_total: 1\n").size() == 1);
}

TEST_CASE("gate record: the differential fields round-trip; a bad diff or hash is listed", "[records][differential]") {
  GateRecord r = sample();
  r.rule = "differential";
  r.diff = {{"GNC", 3}, {"UNC", 1}, {"LBC", 2}, {"DCB", 40}};
  r.files_below_min = {"src/core/a.c", "src/odd, name.c"};
  r.line_data_sha256 = std::string(64, 'f');
  std::string text = render_gate(r);
  CHECK_THAT(text, Catch::Contains("diff: {GNC: 3, UNC: 1, LBC: 2, DCB: 40}\n"));
  auto parsed = parse_gate(text, "a.md");
  REQUIRE(parsed);
  CHECK(parsed->problems.empty());
  CHECK(parsed->record.diff == r.diff);
  CHECK(parsed->record.files_below_min == r.files_below_min);
  CHECK(parsed->record.line_data_sha256 == r.line_data_sha256);
  CHECK(render_gate(parsed->record) == text);

  auto bad = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    t.replace(t.find(from), from.size(), to);
    auto p = parse_gate(t, "a.md");
    REQUIRE(p);
    return p->problems;
  };
  CHECK(bad("UNC: 1", "UNC: x").size() == 1);
  CHECK(bad("diff: {", "diff: [").size() == 1);
  CHECK(bad("line_data_sha256: " + std::string(64, 'f'), "line_data_sha256: abc").size() == 1);
}
