// Patch coverage: the changed lines of a branch intersected with per-line coverage (pure).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "coverage-gate/verdict.hpp"
#include "orchkit/coverage/model.hpp"
#include "orchkit/git/repo.hpp"

namespace coverage_gate {

struct PatchFile {
  std::string path = {};
  Ratio lines = {};                                           // changed lines that are measured / covered
  std::vector<std::pair<uint32_t, uint32_t>> uncovered = {};  // ranges of changed, measured, uncovered lines
  Ratio file = {};                                            // the whole file's coverage
};

struct Patch {
  Ratio total = {};
  std::vector<PatchFile> files = {};         // changed files with a coverage record, by path
  std::vector<std::string> unmeasured = {};  // changed files the reports do not mention
};

Patch compute_patch(const orchkit::git::ChangedLines& changed, const orchkit::coverage::Coverage& cov);

// "12-14, 20"
std::string format_ranges(const std::vector<std::pair<uint32_t, uint32_t>>& ranges);

}  // namespace coverage_gate
