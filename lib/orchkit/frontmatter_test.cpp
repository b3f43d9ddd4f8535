#include "orchkit/frontmatter.hpp"

#include <catch2/catch.hpp>

using namespace orchkit;

TEST_CASE("front matter: the coverage artefact's keys read back", "[frontmatter]") {
  auto fm = parse_front_matter(
      "---\ncoverage_status: PASS\ntask: ORCH-027\nline_covered: 8123\nline_pct: \"84.17\"\nbaseline_pct: null\n"
      "reasons: [bootstrap]\n---\n# body\n",
      "a.md");
  REQUIRE(fm);
  CHECK(fm->get("coverage_status") == "PASS");
  CHECK(fm->get("line_pct") == "84.17");
  CHECK(fm->get_int("line_covered") == 8123);
  CHECK_FALSE(fm->get("baseline_pct"));
  CHECK(fm->get("reasons") == "[bootstrap]");
}

TEST_CASE("front matter: broken input names the line", "[frontmatter]") {
  auto none = parse_front_matter("# just markdown\n", "a.md");
  REQUIRE_FALSE(none);
  CHECK(none.error().message.rfind("a.md:1: no front matter", 0) == 0);
  auto open = parse_front_matter("---\ntask: X\n", "a.md");
  REQUIRE_FALSE(open);
  CHECK(open.error().message.find("no closing ---") != std::string::npos);
  auto bad = parse_front_matter("---\njust words\n---\n", "a.md");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.rfind("a.md:2:", 0) == 0);
}

TEST_CASE("front matter: written values read back", "[frontmatter]") {
  FrontMatterWriter w;
  w.raw("task", yaml_scalar("ORCH-1"))
      .quoted("pct", "84.10")
      .opt_raw("base", std::nullopt)
      .raw("note", yaml_scalar("a: b"));
  auto fm = parse_front_matter(w.text(), "w.md");
  REQUIRE(fm);
  CHECK(fm->get("task") == "ORCH-1");
  CHECK(fm->get("pct") == "84.10");
  CHECK_FALSE(fm->get("base"));
  CHECK(fm->get("note") == "a: b");
}
