#include "queue-report/report.hpp"

#include "queue-report/test_support.hpp"

using namespace queue_report;
using namespace queue_report::test;

namespace {

Inputs sample() {
  Inputs in;
  in.repo = "acme/demo";
  in.artefacts = "w";
  in.floor = orchkit::Percent{80 * orchkit::Percent::kScale};
  in.state.present = true;
  BranchFacts main = branch("main", 85, 100);
  main.history = {change(1, "bootstrap", std::nullopt, 80, "2024-05-01T01:00:00Z"),
                  change(2, "ratchet", 80, 90, "2024-05-02T01:00:00Z"),
                  change(3, "override", 90, 85, "2024-05-03T01:00:00Z", "alice", "tests moved")};
  in.state.branches.push_back(main);
  in.tasks.push_back(folder("T-10", stage_md("T-10", "development")));
  in.tasks.push_back(folder("T-2", stage_md("T-2", "development"), coverage_md("T-2", "PASS", 88)));
  in.tasks.push_back(folder("T-3", stage_md("T-3", "done"), coverage_md("T-3", "FAIL", 10)));
  in.tasks.push_back(folder("T-4", stage_md("T-4", "code_review"), coverage_md("T-4", "FAIL", 70)));
  in.tasks.push_back(folder("T-5", stage_md("T-5", "development"), coverage_md("T-5", "WARN", 0, 0)));
  in.tasks.push_back(folder("T-6", stage_md("T-6", "merge"), coverage_md("T-6", "PASS", 86)));
  in.tasks.push_back(folder("T-7", stage_md("T-7", "cancelled")));
  in.tasks.push_back(folder("T-8", stage_md("T-8", "development"), "garbage\n"));
  in.tasks.push_back(folder("T-1", stage_md("T-1", "done"), coverage_md("T-1", "PASS", 80)));
  orchkit::state::StopRequest deferred{"T-6",
                                       1,
                                       "deferred",
                                       "merge:acme/demo:main",
                                       "operator asked",
                                       "",
                                       "2024-05-04T00:00:00Z",
                                       "2024-05-04T00:00:00Z"};
  in.state.stops.push_back(deferred);
  return in;
}

std::vector<std::string> keys(const Report& r) {
  std::vector<std::string> out;
  for (const auto& t : r.tasks) out.push_back(t.key);
  return out;
}

}  // namespace

TEST_CASE("queue: attention first, then live by natural key, then terminal", "[queue]") {
  Report r = build_report(sample());
  // FAIL (T-4), deferred stop (T-6), WARN (T-5), broken (T-8), live (T-2, T-10), terminal (T-1, T-3, T-7).
  CHECK(keys(r) == std::vector<std::string>{"T-4", "T-6", "T-5", "T-8", "T-2", "T-10", "T-1", "T-3", "T-7"});
  CHECK(r.tasks[0].group == Group::fail);
  CHECK(r.tasks[1].group == Group::deferred_stop);
  CHECK(r.tasks[1].stop == "deferred");
  CHECK(r.tasks[3].group == Group::broken);
  CHECK(r.tasks[3].problems.at(0).file == "w/T-8/18-coverage-report.md");
  CHECK(r.tasks[7].terminal);  // a FAIL on a done task is history, not attention
}

TEST_CASE("queue: the order does not depend on the order folders were read", "[queue]") {
  Inputs in = sample();
  Report a = build_report(in);
  std::reverse(in.tasks.begin(), in.tasks.end());
  Report b = build_report(in);
  CHECK(keys(a) == keys(b));
}

TEST_CASE("queue: delta against the current baseline, in points, exact on the shown numbers", "[queue]") {
  Report r = build_report(sample());
  const TaskRow& t2 = *std::find_if(r.tasks.begin(), r.tasks.end(), [](const TaskRow& t) { return t.key == "T-2"; });
  REQUIRE(t2.coverage);
  CHECK(*t2.coverage->line_pct == "88.00");
  CHECK(*t2.coverage->baseline_pct == "85.00");
  CHECK(*t2.coverage->delta_pp == "+3.00");
  const TaskRow& t4 = r.tasks[0];
  CHECK(*t4.coverage->delta_pp == "-15.00");
}

TEST_CASE("queue: trend, overrides and the coverage block", "[queue]") {
  Report r = build_report(sample());
  REQUIRE(r.branches.size() == 1);
  const Trend& t = r.branches[0].trend;
  CHECK(t.changes == 3);
  CHECK(t.overrides == 1);
  CHECK(t.first_pct == "80.00");
  CHECK(t.last_pct == "85.00");
  CHECK(t.change_pp == "+5.00");
  CHECK(t.direction == "up");
}

TEST_CASE("queue: broken values of known keys are problems; unknown keys are ignored", "[queue]") {
  Inputs in;
  in.repo = "acme/demo";
  in.tasks.push_back(folder("T-1", "---\ntask: T-1\nstage: development\ngeneration: two\nshiny: yes\n---\n",
                            "---\ncoverage_status: MAYBE\nline_covered: 5\nline_total: 4\n---\n"));
  in.tasks.push_back(folder("T-2", "---\ntask: T-9\nstage: development\n---\n"));
  Report r = build_report(in);
  REQUIRE(r.tasks.size() == 2);
  CHECK(r.tasks[0].key == "T-1");
  CHECK(r.tasks[0].group == Group::broken);
  std::vector<std::string> msgs;
  for (const auto& p : r.tasks[0].problems) msgs.push_back(p.message);
  CHECK(msgs == std::vector<std::string>{"generation 'two' is not a positive whole number",
                                         "coverage_status 'MAYBE' is not one of PASS, FAIL, WARN, SKIPPED, ERROR",
                                         "line_covered is larger than line_total"});
  CHECK(r.tasks[1].problems.at(0).message == "task is 'T-9', but the folder is T-2");
}

TEST_CASE("queue: stop block merges the state file and 90-stop.md", "[queue]") {
  Inputs in;
  in.repo = "acme/demo";
  in.now = "2024-06-01T00:00:00Z";
  in.state.present = true;
  in.tasks.push_back(folder("T-7", stage_md("T-7", "cancelled"), {},
                            "---\ntask: T-7\ngeneration: 1\nstatus: cancelled\nsaved_patch: w/T-7/uncommitted.patch\n"
                            "worktree_removed: true\nbranch_deleted: false\nsignalled: 3\nsurvivors: 0\nreason: STOP\n"
                            "updated_at: 2024-05-05T00:00:00Z\n---\n"));
  in.tasks.push_back(folder(
      "T-9", stage_md("T-9", "development", 2), {},
      "---\ntask: T-9\ngeneration: 1\nstatus: stale\nreason: old STOP\nupdated_at: 2024-05-06T00:00:00Z\n---\n"));
  in.state.tombstones.push_back({"task", "T-7", 1, "T-7", "STOP from the board", "2024-05-05T00:00:01Z"});
  in.state.tombstones.push_back({"task", "T-3", 1, "T-3", "older", "2024-04-01T00:00:00Z"});
  in.state.stops.push_back(
      {"T-5", 1, "deferred", "merge:acme/demo:main", "", "", "2024-05-07T00:00:00Z", "2024-05-07T00:00:00Z"});
  in.state.stops.push_back({"T-6", 1, "deferred", "guard:T-6", "", "", "2024-05-08T00:00:00Z", "2024-05-08T00:00:00Z"});
  in.state.leases.push_back(
      {"merge:acme/demo:main", "ci:1", "T-5", *ms_from_iso("2024-05-31T00:00:00Z"), "2024-05-07T00:00:00Z"});
  Report r = build_report(in);
  REQUIRE(r.cancelled.size() == 2);
  CHECK(r.cancelled[0].task == "T-7");  // newest first
  CHECK(r.cancelled[0].tombstoned);
  CHECK(r.cancelled[0].reason == "STOP from the board");
  CHECK(*r.cancelled[0].saved_patch == "w/T-7/uncommitted.patch");
  CHECK(r.cancelled[1].task == "T-3");
  REQUIRE(r.stale.size() == 1);
  CHECK(r.stale[0].generation == 1);
  CHECK(*r.stale[0].live_generation == 2);
  REQUIRE(r.deferred.size() == 2);
  CHECK(r.deferred[0].window_state == "expired");  // --now is past the lease
  CHECK(r.deferred[1].window_state == "closed");   // no lease: the window ended, the stop did not run
  in.now.reset();
  CHECK(build_report(in).deferred[0].window_state == "held");  // no clock without --now
  const TaskRow& t9 = *std::find_if(r.tasks.begin(), r.tasks.end(), [](const TaskRow& t) { return t.key == "T-9"; });
  CHECK(t9.stop == "stale");
  CHECK(t9.generation == 2);
  CHECK_FALSE(t9.terminal);
}

TEST_CASE("queue: number helpers", "[queue]") {
  CHECK(hundredths(8123, 9650) == 8417);
  CHECK(hundredths(0, 0) == 10000);
  CHECK(signed_points(15) == "+0.15");
  CHECK(signed_points(-120) == "-1.20");
  CHECK(signed_points(0) == "0.00");
  CHECK(parse_hundredths("84.17") == 8417);
  CHECK(parse_hundredths("100") == 10000);
  CHECK(parse_hundredths("84.1") == 8410);
  CHECK_FALSE(parse_hundredths("84.171"));
  CHECK_FALSE(parse_hundredths("abc"));
  CHECK_FALSE(parse_hundredths("100.01"));
  CHECK(key_less("ORCH-2", "ORCH-10"));
  CHECK_FALSE(key_less("ORCH-10", "ORCH-2"));
  CHECK(key_less("A-1", "B-1"));
  CHECK(key_less("T-01", "T-1"));  // equal as numbers: plain order breaks the tie
  CHECK(ms_from_iso("1970-01-01T00:00:00Z") == 0);
  CHECK(ms_from_iso("2024-02-29T12:00:00.5Z") == 1709208000500);
  CHECK_FALSE(ms_from_iso("2024-02-29 12:00:00"));
  CHECK_FALSE(ms_from_iso("2024-13-01T00:00:00Z"));
  CHECK(iso_from_ms(1709208000500) == "2024-02-29T12:00:00Z");
}
