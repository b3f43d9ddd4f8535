// Building coverage in unit tests: a file whose lines 1..total are measured, the first
// `covered` of them covered.
#pragma once

#include <cstdint>
#include <string>

#include "orchkit/coverage/model.hpp"

namespace orchkit::testing {

inline void add_lines(coverage::Coverage& c, const std::string& path, uint32_t covered, uint32_t total) {
  auto& ls = c.file(path).lines;
  for (uint32_t l = 1; l <= total; ++l) ls.add(l, l <= covered);
}

}  // namespace orchkit::testing
