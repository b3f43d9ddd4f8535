// Per-file floors ([coverage.files]): every file whose path matches a glob is judged on its own
// against that glob's floor (the highest, when several match). Pure.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "coverage-gate/verdict.hpp"
#include "orchkit/coverage/model.hpp"

namespace coverage_gate {

struct FileBelow {
  std::string path = {};
  std::string glob = {};  // the glob whose floor it misses
  orchkit::Percent floor = {};
  Ratio ratio = {};
};

// The files of `cov` below their floor, by path.
std::vector<FileBelow> files_below(const orchkit::coverage::Coverage& cov,
                                   const std::map<std::string, orchkit::Percent>& floors);

}  // namespace coverage_gate
