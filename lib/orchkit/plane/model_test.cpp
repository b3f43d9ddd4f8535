#include "orchkit/plane/model.hpp"

#include <catch2/catch.hpp>

using namespace orchkit;
using namespace orchkit::plane;

namespace {
Json doc(std::string_view text) {
  auto j = parse_json(text, "test");
  REQUIRE(j);
  return *j;
}
}  // namespace

TEST_CASE("plane cursor: per_page:page:is_prev", "[plane]") {
  auto c = parse_cursor("100:3:0");
  REQUIRE(c);
  CHECK(c->per_page == 100);
  CHECK(c->page == 3);
  CHECK_FALSE(c->is_prev);
  CHECK(format_cursor(*c) == "100:3:0");
  CHECK(parse_cursor("100:-1:1")->is_prev);
  CHECK(format_cursor(Cursor{50, 0, false}) == "50:0:0");
  for (const char* bad : {"", "100", "100:1", "100:1:0:0", "a:1:0", "100:x:0", "0:1:0", "100:1:2", "100: :0"}) {
    INFO(bad);
    CHECK_FALSE(parse_cursor(bad));
  }
}

TEST_CASE("plane page: results and the next cursor", "[plane]") {
  auto page = parse_page(doc(R"({"next_cursor":"100:1:0","prev_cursor":"100:-1:1","next_page_results":true,
      "prev_page_results":false,"count":2,"total_pages":3,"total_results":250,"extra_stats":null,
      "results":[{"id":"a","sequence_id":1,"name":"one","state":"s1","project":"p"},
                 {"id":"b","sequence_id":2,"name":"two","state":{"id":"s2","name":"Todo"},"project_id":"p"}]})"),
                         Cursor{100, 0, false}, "page");
  REQUIRE(page);
  REQUIRE(page->items.size() == 2);
  CHECK(page->items[0].sequence_id == 1);
  CHECK(page->items[0].state == "s1");
  CHECK(page->items[1].state == "s2");  // expanded state object
  CHECK(page->items[1].project == "p");
  CHECK(page->next_cursor == "100:1:0");
  CHECK(page->total == 250);
}

TEST_CASE("plane page: the last page has no next cursor", "[plane]") {
  auto last = parse_page(doc(R"({"next_cursor":"100:3:0","next_page_results":false,"results":[]})"),
                         Cursor{100, 2, false}, "page");
  REQUIRE(last);
  CHECK_FALSE(last->next_cursor);
  CHECK(last->items.empty());
  auto bare = parse_page(doc(R"([{"id":"a","state":"s"}])"), Cursor{}, "page");  // unpaginated answer
  REQUIRE(bare);
  CHECK(bare->items.size() == 1);
  CHECK_FALSE(bare->next_cursor);
}

TEST_CASE("plane page: a cursor that does not move forward is an error, not a loop", "[plane]") {
  auto same = parse_page(doc(R"({"next_cursor":"100:2:0","next_page_results":true,"results":[]})"),
                         Cursor{100, 2, false}, "page");
  REQUIRE_FALSE(same);
  CHECK(same.error().message.find("does not move past page 2") != std::string::npos);
  CHECK_FALSE(parse_page(doc(R"({"next_cursor":"garbage","next_page_results":true,"results":[]})"), Cursor{}, "p"));
  CHECK_FALSE(parse_page(doc(R"({"next_page_results":true,"results":[]})"), Cursor{}, "p"));
  CHECK_FALSE(parse_page(doc(R"({"detail":"nope"})"), Cursor{}, "p"));
  CHECK_FALSE(parse_page(doc(R"({"results":[{"name":"no id"}]})"), Cursor{}, "p"));
}

TEST_CASE("plane states: a bare list or a paginated envelope", "[plane]") {
  auto bare = parse_states(doc(R"([{"id":"s1","name":"Todo","group":"unstarted","project":"p"}])"), "states");
  REQUIRE(bare);
  REQUIRE(bare->size() == 1);
  CHECK((*bare)[0].name == "Todo");
  CHECK((*bare)[0].group == "unstarted");
  CHECK((*bare)[0].project == "p");
  auto env = parse_states(
      doc(R"({"results":[{"id":"s1","name":"A"},{"id":"s2","name":"B"}],"next_page_results":false})"), "states");
  REQUIRE(env);
  CHECK(env->size() == 2);
  CHECK_FALSE(parse_states(doc(R"({"detail":"x"})"), "states"));
  CHECK_FALSE(parse_states(doc(R"([{"name":"no id"}])"), "states"));
}

TEST_CASE("plane rate limit: pause only when nothing remains, until the reset", "[plane]") {
  const int64_t now_ms = 1'700'000'000'000;
  CHECK_FALSE(rate_limit_pause(std::nullopt, std::nullopt, now_ms));
  CHECK_FALSE(rate_limit_pause("5", "1700000060", now_ms));
  auto wait = rate_limit_pause("0", "1700000012", now_ms);
  REQUIRE(wait);
  CHECK(wait->count() == 13'000);
  CHECK(rate_limit_pause("0", "3", now_ms)->count() == 4'000);             // seconds from now
  CHECK(rate_limit_pause("0", "1699999990", now_ms)->count() == 1'000);    // already past
  CHECK(rate_limit_pause("0", std::nullopt, now_ms)->count() == 60'000);   // one window
  CHECK(rate_limit_pause("0", "9999999999", now_ms)->count() == 601'000);  // capped
  CHECK_FALSE(rate_limit_pause("junk", "3", now_ms));
}

TEST_CASE("plane errors: detail, error or message", "[plane]") {
  CHECK(error_detail(R"({"detail":"Invalid API key"})") == "Invalid API key");
  CHECK(error_detail(R"({"error":"Issue not found"})") == "Issue not found");
  CHECK(error_detail("<html>\n404</html>") == "<html> 404</html>");
  CHECK(error_detail(std::string(500, 'x')).size() == 163);
}

TEST_CASE("plane: validation errors are shown as text", "[plane]") {
  CHECK(error_detail(R"({"non_field_errors":["The fields project, name must make a unique set."]})") ==
        "non_field_errors: The fields project, name must make a unique set.");
  CHECK(error_detail(R"({"state":["“x” is not a valid UUID."],"priority":["bad","worse"]})") ==
        "state: “x” is not a valid UUID.; priority: bad, worse");
  CHECK(error_detail(R"({"assignees":{"0":["Invalid pk"]}})") == "assignees: 0: Invalid pk");
  CHECK(error_detail(R"({})") == "{}");
}

TEST_CASE("plane: a 403's detail says whether the key or the project membership was refused", "[plane]") {
  CHECK(refusal_of("Given API token is not valid") == Refusal::key);
  CHECK(refusal_of("Authentication credentials were not provided.") == Refusal::key);
  CHECK(refusal_of("You do not have permission to perform this action.") == Refusal::membership);
  CHECK(refusal_of("Request was throttled.") == Refusal::unknown);
  CHECK(refusal_of("") == Refusal::unknown);
}
