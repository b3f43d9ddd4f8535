#include "coverage-gate/patch.hpp"

namespace coverage_gate {

Patch compute_patch(const orchkit::git::ChangedLines& changed, const orchkit::coverage::Coverage& cov) {
  Patch p;
  for (const auto& [path, lines] : changed.files) {
    auto it = cov.files.find(path);
    if (it == cov.files.end()) {
      p.unmeasured.push_back(path);
      continue;
    }
    const auto& fc = it->second;
    PatchFile pf;
    pf.path = path;
    auto t = fc.totals();
    pf.file = Ratio{t.covered, t.total};
    for (uint32_t line : lines) {
      if (!fc.lines.is_measured(line)) continue;
      ++pf.lines.total;
      if (fc.lines.is_covered(line)) {
        ++pf.lines.covered;
      } else if (!pf.uncovered.empty() && pf.uncovered.back().second + 1 == line) {
        pf.uncovered.back().second = line;
      } else {
        pf.uncovered.emplace_back(line, line);
      }
    }
    p.total.covered += pf.lines.covered;
    p.total.total += pf.lines.total;
    p.files.push_back(std::move(pf));
  }
  return p;
}

std::string format_ranges(const std::vector<std::pair<uint32_t, uint32_t>>& ranges) {
  std::string out;
  for (const auto& [a, b] : ranges) {
    if (!out.empty()) out += ", ";
    out += std::to_string(a);
    if (b != a) out += "-" + std::to_string(b);
  }
  return out;
}

}  // namespace coverage_gate
