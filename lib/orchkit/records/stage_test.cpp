#include "orchkit/records/stage.hpp"

#include <catch2/catch.hpp>

#include "orchkit/frontmatter.hpp"

using namespace orchkit::records;

TEST_CASE("plane 00-stage.md: the front matter other binaries read", "[plane]") {
  StageRecord r;
  r.task = "ORCH-7";
  r.stage = "code_review";
  r.key = "code_review";
  r.state_id = "3f1e2d4c-0000-4000-8000-000000000001";
  r.generation = 2;
  r.updated_at = "2024-05-01T10:00:00Z";
  r.issue = "9a9a9a9a-0000-4000-8000-000000000002";
  r.project = "ORCH";
  r.resolved_via = "fallback";
  r.board = "failed";
  r.board_warning = "board not updated: plane: GET work item: HTTP 500: \"boom\"";
  const std::string text = render_stage_file(r);
  auto fm = orchkit::parse_front_matter(text, "00-stage.md");
  REQUIRE(fm);
  CHECK(fm->get("task") == "ORCH-7");
  CHECK(fm->get("stage") == "code_review");
  CHECK(fm->get("key") == "code_review");
  CHECK(fm->get("state_id") == r.state_id);
  CHECK(fm->get_int("generation") == 2);
  CHECK(fm->get("updated_at") == "2024-05-01T10:00:00Z");
  CHECK(fm->get("issue") == r.issue);
  CHECK(fm->get("project") == "ORCH");
  CHECK(fm->get("resolved_via") == "fallback");
  CHECK(fm->get("board") == "failed");
  CHECK_FALSE(fm->get("health"));

  auto prev = parse_stage_file(text, "00-stage.md");
  REQUIRE(prev);
  CHECK(prev->stage == "code_review");
  CHECK(prev->generation == 2);
  CHECK(prev->issue == r.issue);
  CHECK(prev->project == "ORCH");
}

TEST_CASE("plane 00-stage.md: an unresolved state is null", "[plane]") {
  StageRecord r;
  r.task = "ORCH-8";
  r.stage = "blocked";
  r.key = "blocked";
  r.updated_at = "t";
  auto fm = orchkit::parse_front_matter(render_stage_file(r), "00-stage.md");
  REQUIRE(fm);
  CHECK_FALSE(fm->get("state_id"));
  CHECK_FALSE(fm->get("issue"));
  CHECK(fm->get_int("generation") == 1);
  CHECK_FALSE(parse_stage_file("no front matter", "x"));
}
