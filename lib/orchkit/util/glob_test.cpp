#include "orchkit/util/glob.hpp"

#include <catch2/catch.hpp>
#include <string>

using orchkit::glob_match;

TEST_CASE("glob: * and ? stay in a segment, ** crosses them, **/ may match none", "[glob]") {
  struct Row {
    const char* pattern;
    const char* path;
    bool match;
  };
  const Row rows[] = {
      {"src/core/**", "src/core/a.c", true},
      {"src/core/**", "src/core/x/y/b.c", true},
      {"src/core/**", "src/corex/a.c", false},
      {"src/core/**", "src/a.c", false},
      {"src/*.c", "src/a.c", true},
      {"src/*.c", "src/x/a.c", false},
      {"src/**/*.c", "src/a.c", true},
      {"src/**/*.c", "src/x/y/a.c", true},
      {"src/**/*.c", "src/x/a.h", false},
      {"**/*.py", "a.py", true},
      {"**/*.py", "pkg/mod/a.py", true},
      {"a?c", "abc", true},
      {"a?c", "a/c", false},
      {"exact.c", "exact.c", true},
      {"exact.c", "exact.cc", false},
      {"", "", true},
      {"*", "", true},
      {"*", "a/b", false},
      {"**", "a/b", true},
  };
  for (const auto& r : rows) {
    INFO(r.pattern << " vs " << r.path);
    CHECK(glob_match(r.pattern, r.path) == r.match);
  }
}

TEST_CASE("glob: many stars do not backtrack exponentially", "[glob]") {
  std::string path(200, 'a');
  CHECK_FALSE(glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", path));
  CHECK(glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*", path));
}
