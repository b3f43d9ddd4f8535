#include "coverage-gate/floors.hpp"

#include "orchkit/util/glob.hpp"

namespace coverage_gate {

std::vector<FileBelow> files_below(const orchkit::coverage::Coverage& cov,
                                   const std::map<std::string, orchkit::Percent>& floors) {
  std::vector<FileBelow> out;
  if (floors.empty()) return out;
  for (const auto& [path, fc] : cov.files) {
    const std::pair<const std::string, orchkit::Percent>* strictest = nullptr;
    for (const auto& f : floors)
      if (orchkit::glob_match(f.first, path) && (!strictest || f.second > strictest->second)) strictest = &f;
    if (!strictest) continue;
    auto t = fc.totals();
    Ratio r{t.covered, t.total};
    if (!at_least(r, strictest->second)) out.push_back({path, strictest->first, strictest->second, r});
  }
  return out;
}

}  // namespace coverage_gate
