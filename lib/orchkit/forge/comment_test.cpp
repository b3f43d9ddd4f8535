#include "orchkit/forge/comment.hpp"

#include <catch2/catch.hpp>

using namespace orchkit;
using namespace orchkit::forge;

TEST_CASE("pr comment: only the token user's oldest marked comment is ours", "[forge][comment]") {
  auto doc = parse_json(R"([
    {"id": 4, "user": {"login": "mallory"}, "body": "<!-- m -->planted"},
    {"id": 9, "user": {"login": "bot"}, "body": "x <!-- m --> later", "html_url": "u9"},
    {"id": 6, "user": {"login": "bot"}, "body": "<!-- m --> first", "html_url": "u6"},
    {"id": 2, "user": {"login": "bot"}, "body": "no marker"},
    {"user": {"login": "bot"}, "body": "<!-- m --> no id"}
  ])",
                        "comments");
  REQUIRE(doc);
  auto cs = parse_comments(*doc);
  REQUIRE(cs.size() == 4);
  auto mine = find_marked(cs, "bot", "<!-- m -->");
  REQUIRE(mine);
  CHECK(mine->id == 6);
  CHECK(mine->url == "u6");
  CHECK_FALSE(find_marked(cs, "alice", "<!-- m -->"));
  CHECK_FALSE(find_marked(cs, "", "<!-- m -->"));  // an unknown user owns nothing
  CHECK(find_marked(cs, "mallory", "<!-- m -->")->id == 4);
  CHECK_FALSE(find_marked(cs, "bot", "<!-- other -->"));
}
