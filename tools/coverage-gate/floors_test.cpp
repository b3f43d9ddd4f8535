#include "coverage-gate/floors.hpp"

#include <catch2/catch.hpp>

#include "support/coverage.hpp"

using namespace coverage_gate;
using orchkit::parse_percent;
using orchkit::testing::add_lines;

TEST_CASE("floors: each matching file on its own; the strictest matching glob; others untouched", "[floors]") {
  orchkit::coverage::Coverage c;
  add_lines(c, "src/core/a.c", 93, 100);     // below 95
  add_lines(c, "src/core/b.c", 95, 100);     // exactly 95: passes
  add_lines(c, "src/core/x/deep.c", 8, 10);  // 80: below 90 (** crosses directories)
  add_lines(c, "src/ui/c.c", 10, 100);       // no glob matches: not judged
  add_lines(c, "src/core/empty.c", 0, 0);    // 0 of 0 counts as 100 %
  std::map<std::string, orchkit::Percent> floors = {{"src/core/**", *parse_percent("90")},
                                                    {"src/core/*.c", *parse_percent("95")}};
  auto below = files_below(c, floors);
  REQUIRE(below.size() == 2);
  CHECK(below[0].path == "src/core/a.c");
  CHECK(below[0].glob == "src/core/*.c");
  CHECK(below[0].ratio.covered == 93);
  CHECK(below[1].path == "src/core/x/deep.c");
  CHECK(below[1].glob == "src/core/**");
  CHECK(files_below(c, {}).empty());
}
