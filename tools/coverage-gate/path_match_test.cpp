#include "coverage-gate/path_match.hpp"

#include <catch2/catch.hpp>

using namespace coverage_gate;
using orchkit::coverage::Coverage;

namespace {
Coverage with(std::initializer_list<std::pair<const char*, uint32_t>> files) {
  Coverage c;
  for (const auto& [path, covered_line] : files) c.file(path).lines.add(covered_line, true);
  return c;
}
}  // namespace

TEST_CASE("path match: exact paths stay, a unique suffix is remapped and hinted", "[path_match]") {
  Coverage c = with({{"src/a.c", 1}, {"home/ci/build/src/b.c", 2}});
  PathMatch m = match_paths(c, {"src/a.c", "src/b.c", "README.md"});
  CHECK(m.unmatched.empty());
  REQUIRE(m.remapped.size() == 1);
  CHECK(m.remapped[0].first == "home/ci/build/src/b.c");
  CHECK(m.remapped[0].second == "src/b.c");
  CHECK(m.strip_hint == std::optional<std::string>("home/ci/build/"));
  CHECK(c.files.count("src/b.c") == 1);
  CHECK(c.files.at("src/b.c").lines.is_covered(2));
  CHECK(c.files.count("home/ci/build/src/b.c") == 0);
}

TEST_CASE("path match: a shorter report path matches a unique tracked suffix", "[path_match]") {
  Coverage c = with({{"b.c", 3}});
  PathMatch m = match_paths(c, {"src/b.c"});
  REQUIRE(m.remapped.size() == 1);
  CHECK(m.remapped[0].second == "src/b.c");
  CHECK_FALSE(m.strip_hint);
}

TEST_CASE("path match: ambiguous or foreign paths are listed, never guessed", "[path_match]") {
  Coverage c = with({{"util.c", 1}, {"/usr/include/stdio.h", 1}, {"lib/x.c", 1}});
  PathMatch m = match_paths(c, {"src/util.c", "test/util.c", "lib/x.c"});
  CHECK(m.remapped.empty());
  CHECK(m.unmatched == std::vector<std::string>{"/usr/include/stdio.h", "util.c"});
  CHECK(c.files.count("util.c") == 1);  // left where it was
}

TEST_CASE("path match: a remap onto an exact file merges by union", "[path_match]") {
  Coverage c = with({{"src/a.c", 1}, {"build/src/a.c", 5}});
  PathMatch m = match_paths(c, {"src/a.c"});
  CHECK(c.files.size() == 1);
  CHECK(c.files.at("src/a.c").lines.is_covered(1));
  CHECK(c.files.at("src/a.c").lines.is_covered(5));
}

TEST_CASE("path match: unmatched sources are changed files with a report path's extension", "[path_match]") {
  CHECK(unmatched_sources({"src/c.c", "README.md", "orchkit.toml"}, {"/build/x/c.c"}) ==
        std::vector<std::string>{"src/c.c"});
  CHECK(unmatched_sources({"src/c.c"}, {}).empty());
}
