// Report paths to repo-relative paths: strip configured prefixes, strip the repository root
// from absolute paths, fold "." and "x/.." lexically, use '/' everywhere. A file the report names
// ambiguously (FileCoverage::alternatives) becomes the first of its names that exists.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "orchkit/coverage/model.hpp"

namespace orchkit::coverage {

struct PathRules {
  std::string root = {};                // absolute repository root; empty = keep absolute paths
  std::vector<std::string> strip = {};  // coverage.path_strip, tried in order, first match wins
};

// Whether a normalised path (repository-relative, or absolute when outside the root) names a
// file. The seam between path resolution and the filesystem, so tests need no files.
using PathExists = std::function<bool(const std::string& normalized)>;

// A regular file in the repository: a relative path under rules.root. With no root, any regular
// file (relative to the working directory).
PathExists files_under_root(const PathRules& rules);

std::string normalize_path(std::string_view raw, const PathRules& rules);
// Re-keys every file; two report paths that name the same file merge. A file with alternatives
// takes the first of its key and alternatives that `exists`, or its key when none does.
Coverage normalize_paths(Coverage&& cov, const PathRules& rules, const PathExists& exists);
// The same, asking the filesystem under rules.root.
Coverage normalize_paths(Coverage&& cov, const PathRules& rules);

}  // namespace orchkit::coverage
