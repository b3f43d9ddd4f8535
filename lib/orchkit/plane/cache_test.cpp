#include "orchkit/plane/cache.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "orchkit/util/file.hpp"
#include "support/temp_dir.hpp"

using namespace orchkit;
using namespace orchkit::plane;

TEST_CASE("plane states cache: round trip", "[plane]") {
  StatesCache c{"ORCH", "p-1", 1000, {{"s1", "To \"Analyse\"", "unstarted", "p-1"}, {"s2", "Done", "completed", ""}}};
  auto back = parse_cache(serialize_cache(c), "cache");
  REQUIRE(back);
  CHECK(back->ident == "ORCH");
  CHECK(back->project_id == "p-1");
  CHECK(back->fetched_at_ms == 1000);
  REQUIRE(back->states.size() == 2);
  CHECK(back->states[0].name == "To \"Analyse\"");
  CHECK(back->states[1].group == "completed");
  CHECK_FALSE(parse_cache("{}", "cache"));
  CHECK_FALSE(parse_cache("not json", "cache"));
}

TEST_CASE("plane states cache: fresh, stale, another project, a clock gone back", "[plane]") {
  StatesCache c{"ORCH", "p-1", 100'000, {}};
  const Duration ttl(600'000);
  CHECK(cache_usable(c, "p-1", ttl, 100'000));
  CHECK(cache_usable(c, "p-1", ttl, 699'999));
  CHECK_FALSE(cache_usable(c, "p-1", ttl, 700'000));
  CHECK_FALSE(cache_usable(c, "p-2", ttl, 100'001));
  CHECK_FALSE(cache_usable(c, "p-1", ttl, 99'999));
  CHECK_FALSE(cache_usable(c, "p-1", Duration(0), 100'000));
}

TEST_CASE("plane states cache: a file per project, unreadable files ignored", "[plane]") {
  orchkit::testing::TempDir scratch("cache-test");
  const auto& dir = scratch.path;
  const std::string path = cache_path(dir.string(), "OR/CH");
  CHECK(path == dir.string() + "/plane-states-OR_CH.json");
  REQUIRE(store_cached_states(path, StatesCache{"OR/CH", "p", 5'000, {{"s", "Todo", "", "p"}}}));
  auto got = load_cached_states(path, "p", Duration(10'000), 6'000);
  REQUIRE(got);
  CHECK(got->size() == 1);
  CHECK_FALSE(load_cached_states(path, "p", Duration(10'000), 20'000));
  REQUIRE(write_file_atomic(path, "{garbage"));
  CHECK_FALSE(load_cached_states(path, "p", Duration(10'000), 6'000));
  CHECK_FALSE(load_cached_states(dir.string() + "/missing.json", "p", Duration(10'000), 6'000));
}
