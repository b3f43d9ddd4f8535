// record(): what each gatherer found, written into the Outcome — the facts decide() reads and
// the details the artefact, the text and the JSON show.
#include <algorithm>

#include "coverage-gate/gather.hpp"

namespace coverage_gate {

void record(Outcome& out, const Finding& f) {
  auto& reasons = out.facts.problems;
  if (std::find(reasons.begin(), reasons.end(), f.reason) == reasons.end()) reasons.push_back(f.reason);
  if (out.problem.empty()) out.problem = f.text;
  else out.notes.push_back(f.text);
  if (!f.whole) out.facts.measured = false;
}

void record(Outcome& out, const HistoryFacts& h) {
  out.target_tip = h.target_tip;
  out.facts.caught_up = h.caught_up;
  out.head_commit = h.head_commit;
  for (const auto& f : h.problems) record(out, f);
}

std::optional<orchkit::coverage::Coverage> record(Outcome& out, LinesFacts l) {
  for (const auto& f : l.problems) record(out, f);
  for (auto& n : l.notes) out.notes.push_back(std::move(n));
  out.interrupted = l.interrupted;
  out.reports = std::move(l.reports);
  out.paths = std::move(l.paths);
  out.worst = std::move(l.worst);
  if (l.coverage) out.facts.line = l.line;
  return std::move(l.coverage);
}

void record(Outcome& out, const BaselineFacts& b) {
  out.facts.baseline = b.ratio;
  out.baseline_commit = b.commit;
}

void record(Outcome& out, PatchFacts p) {
  for (auto& n : p.notes) out.notes.push_back(std::move(n));
  for (const auto& f : p.problems) record(out, f);
  if (p.patch) {
    out.facts.patch = p.patch->total;
    out.patch = std::move(p.patch);
  }
}

void record(Outcome& out, DiffFacts d) {
  out.facts.files_below_min = d.below.size();
  out.below = std::move(d.below);
  for (auto& n : d.notes) out.notes.push_back(std::move(n));
  out.diff_unavailable = std::move(d.unavailable);
  if (d.diff) {
    using orchkit::differential::Category;
    out.facts.diff =
        Facts::Diff{d.diff->total[Category::UNC], d.diff->total[Category::LBC], d.diff->total[Category::UIC]};
    out.diff = std::move(d.diff);
  }
}

}  // namespace coverage_gate
