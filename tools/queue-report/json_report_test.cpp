#include "queue-report/json_report.hpp"

#include "queue-report/test_support.hpp"

using namespace queue_report;
using namespace queue_report::test;

TEST_CASE("queue json: the blocks of the old GET /queue, typed values, nulls for unknowns", "[queue]") {
  Inputs in;
  in.repo = "acme/demo";
  in.artefacts = "w";
  in.floor = orchkit::Percent{80 * orchkit::Percent::kScale};
  in.state.present = true;
  in.state.branches.push_back(branch("main", 85, 100));
  in.tasks.push_back(
      folder("T-7", stage_md("T-7", "cancelled"), coverage_md("T-7", "PASS", 90, 100, "patch_pct: \"50.00\"\n"),
             "---\nstatus: cancelled\ngeneration: 1\nworktree_removed: true\nsurvivors: 0\nsaved_patch: null\n---\n"));
  std::string j = render_json(build_report(in));
  CHECK(j.find("{\n  \"schema\": 1,\n  \"repo\": \"acme/demo\",") == 0);
  CHECK(j.find("\"generated_at\": null") != std::string::npos);
  CHECK(j.find("\"tasks\": [") != std::string::npos);
  CHECK(j.find("\"coverage\": {\n    \"floor_pct\": \"80\"") != std::string::npos);
  CHECK(j.find("\"stop\": {\n    \"deferred\": [],") != std::string::npos);
  CHECK(j.find("\"delta_pp\": \"+5.00\"") != std::string::npos);
  CHECK(j.find("\"patch_pct\": \"50.00\"") != std::string::npos);
  CHECK(j.find("\"worktree_removed\": true") != std::string::npos);
  CHECK(j.find("\"survivors\": 0") != std::string::npos);
  CHECK(j.find("\"saved_patch\": null") != std::string::npos);
  CHECK(j.find("\"group\": \"terminal\"") != std::string::npos);
  CHECK(j.back() == '\n');
}

TEST_CASE("queue json: pretty printing keeps strings intact", "[queue]") {
  CHECK(pretty_json(R"({"a":[1,2],"b":{},"c":"x,{y}:\"z\""})") ==
        "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {},\n  \"c\": \"x,{y}:\\\"z\\\"\"\n}\n");
}
