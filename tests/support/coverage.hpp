// Coverage in unit tests: building a file whose lines 1..total are measured, the first `covered`
// of them covered; reading a file's lines as (line, covered) pairs; requiring two coverages equal.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "orchkit/coverage/model.hpp"

namespace orchkit::testing {

inline void add_lines(coverage::Coverage& c, const std::string& path, uint32_t covered, uint32_t total) {
  auto& ls = c.file(path).lines;
  for (uint32_t l = 1; l <= total; ++l) ls.add(l, l <= covered);
}

// Every measured line of `fc`, ascending, with whether it is covered.
inline std::vector<std::pair<uint32_t, bool>> lines_of(const coverage::FileCoverage& fc) {
  std::vector<std::pair<uint32_t, bool>> v;
  fc.lines.for_each([&](uint32_t l, bool c) { v.emplace_back(l, c); });
  return v;
}

// The same files, each with the same lines, alternatives and tally (a parallel read against one pass).
inline void require_same_coverage(const coverage::Coverage& a, const coverage::Coverage& b) {
  REQUIRE(a.files.size() == b.files.size());
  for (const auto& [path, fc] : a.files) {
    INFO(path);
    REQUIRE(b.files.count(path) == 1);
    const coverage::FileCoverage& other = b.files.at(path);
    REQUIRE(lines_of(other) == lines_of(fc));
    REQUIRE(other.alternatives == fc.alternatives);
    REQUIRE(other.tally == fc.tally);
  }
}

}  // namespace orchkit::testing
