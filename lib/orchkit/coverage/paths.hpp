// Report paths to repo-relative paths: strip configured prefixes, strip the repository root
// from absolute paths, fold "." and "x/.." lexically, use '/' everywhere.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "orchkit/coverage/model.hpp"

namespace orchkit::coverage {

struct PathRules {
  std::string root = {};                // absolute repository root; empty = keep absolute paths
  std::vector<std::string> strip = {};  // coverage.path_strip, tried in order, first match wins
};

std::string normalize_path(std::string_view raw, const PathRules& rules);
// Re-keys every file; two report paths that name the same file merge.
Coverage normalize_paths(Coverage&& cov, const PathRules& rules);

}  // namespace orchkit::coverage
