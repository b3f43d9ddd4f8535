#include "coverage-gate/head.hpp"

namespace coverage_gate {

std::string gated_head(const HeadFacts& f) {
  if (f.measured_on_remote || f.parents.size() < 2) return f.measured;
  const std::string* off_target = nullptr;
  for (const auto& [sha, on_target] : f.parents) {
    if (on_target) continue;
    if (off_target) return f.measured;  // two branches merged: no single PR head
    off_target = &sha;
  }
  return off_target ? *off_target : f.measured;
}

}  // namespace coverage_gate
