#include "orchkit/forge/actions.hpp"

#include <catch2/catch.hpp>

using namespace orchkit;
using namespace orchkit::forge;

namespace {
std::vector<Run> runs(std::string_view text) { return parse_runs(*parse_json(text, "runs")); }
}  // namespace

TEST_CASE("actions: a list answer is read into runs", "[forge]") {
  auto r = runs(R"({"total_count":2,"workflow_runs":[
      {"id":11,"head_branch":"task/A-1","status":"queued","conclusion":null,"display_title":"gate"},
      {"id":12,"head_branch":"task/A-1","status":"in_progress","path":"ci.yml@refs/heads/task/A-1"},
      {"head_branch":"task/A-1","status":"queued"}]})");
  REQUIRE(r.size() == 2);  // the entry without an id is skipped
  CHECK(r[0].id == 11);
  CHECK(r[0].name == "gate");
  CHECK(r[0].conclusion.empty());
  CHECK(r[1].name == "ci.yml@refs/heads/task/A-1");
  CHECK(runs(R"([{"id":5,"head_branch":"b","status":"queued"}])").size() == 1);
  CHECK(runs(R"({"message":"not found"})").empty());
}

TEST_CASE("actions: only active runs of the task's own branch are chosen, each once", "[forge]") {
  auto listed = runs(R"({"workflow_runs":[
      {"id":1,"head_branch":"task/A-1","status":"queued"},
      {"id":2,"head_branch":"task/A-1","status":"in_progress"},
      {"id":3,"head_branch":"task/A-1","status":"cancelling"},
      {"id":4,"head_branch":"task/A-1","status":"completed","conclusion":"success"},
      {"id":5,"head_branch":"task/A-10","status":"queued"},
      {"id":6,"head_branch":"main","status":"in_progress"},
      {"id":1,"head_branch":"task/A-1","status":"queued"}]})");
  auto chosen = runs_to_cancel(listed, "task/A-1");
  std::vector<int64_t> ids;
  for (const auto& r : chosen) ids.push_back(r.id);
  CHECK(ids == std::vector<int64_t>{1, 2, 3});
  CHECK(runs_to_cancel(listed, "task/A").empty());  // a prefix is not the branch
}

TEST_CASE("actions: which statuses are still running", "[forge]") {
  for (const char* s : {"queued", "waiting", "pending", "in_progress", "running", "cancelling", "blocked"})
    CHECK(run_active(Run{1, "b", s, "", ""}));
  for (const char* s : {"completed", "success", "failure", "cancelled", "skipped"})
    CHECK_FALSE(run_active(Run{1, "b", s, "", ""}));
}
