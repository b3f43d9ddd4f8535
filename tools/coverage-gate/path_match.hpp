// Report paths against the files the measured commit tracks (pure): a path that names no
// tracked file is tried as a unique suffix match either way (Codecov's path fixing), and what
// still matches nothing is listed, so it never makes the patch check pass silently.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "orchkit/coverage/model.hpp"

namespace coverage_gate {

struct PathMatch {
  std::vector<std::pair<std::string, std::string>> remapped = {};  // report path -> tracked file
  std::vector<std::string> unmatched = {};                         // match no tracked file, sorted
  std::optional<std::string> strip_hint = {};  // a prefix for coverage.path_strip that a remap removed
};

// Rewrites `cov` in place (a remapped file merges into the tracked one) and says what it did.
PathMatch match_paths(orchkit::coverage::Coverage& cov, const std::vector<std::string>& tracked);

// Changed files without a coverage record that look like sources the report failed to name: same
// extension as an unmatched report path.
std::vector<std::string> unmatched_sources(const std::vector<std::string>& unmeasured_changed,
                                           const std::vector<std::string>& unmatched);

}  // namespace coverage_gate
