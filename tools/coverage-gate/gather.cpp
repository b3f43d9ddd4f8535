// gather_history, gather_baseline, gather_patch: the facts that need history or the state.
#include "coverage-gate/gather.hpp"

#include <filesystem>

#include "coverage-gate/head.hpp"
#include "coverage-gate/path_match.hpp"

namespace coverage_gate {

using namespace orchkit;

namespace {

// The PR head the measured commit stands for (head.hpp).
Result<std::string> find_gated_head(git::Repository& repo, const std::string& measured, const std::string& tip,
                                    std::optional<std::string> branch) {
  HeadFacts f;
  f.measured = measured;
  if (!branch) branch = repo.head_branch();
  if (branch) {
    auto remote = repo.resolve("refs/remotes/origin/" + *branch);
    f.measured_on_remote = remote && remote->sha == measured;
  }
  ORCHKIT_TRY(chain, repo.first_parent_chain(measured, 1));
  if (!chain.empty()) {
    for (const auto& p : chain.front().parents) {
      ORCHKIT_TRY(on_target, repo.contains(tip, p));
      f.parents.emplace_back(p, on_target);
    }
  }
  return gated_head(f);
}

}  // namespace

bool patch_check_on(const Policy& p) { return p.patch_min.micro > 0 || p.patch_max_uncovered >= 0; }

Result<HistoryFacts> gather_history(git::Repository& repo, const std::string& target, const std::string& measured,
                                    std::optional<std::string> branch, const std::string& workdir) {
  HistoryFacts h;
  ORCHKIT_TRY(tip, repo.target_tip(target, false));
  h.target_tip = tip.sha;
  if (repo.is_shallow()) {
    h.problems.push_back(
        {Reason::shallow_clone,
         workdir + " is a shallow clone: patch coverage and the caught-up check need history (fetch-depth: 0)", true});
    return h;
  }
  ORCHKIT_TRY(in, repo.contains(measured, tip.sha));
  h.caught_up = in;
  ORCHKIT_TRY(head, find_gated_head(repo, measured, tip.sha, std::move(branch)));
  h.head_commit = head;
  return h;
}

Result<BaselineFacts> gather_baseline(Context& ctx) {
  BaselineFacts b;
  ORCHKIT_TRY(st, read_state(ctx));
  if (!st) return b;
  ORCHKIT_TRY(stored, st->baseline(ctx.repo_id, ctx.target));
  if (stored) {
    b.ratio = Ratio{stored->covered, stored->total};
    b.commit = stored->commit;
  }
  return b;
}

Result<PatchFacts> gather_patch(git::Repository& repo, const coverage::Coverage& cov, const std::string& measured,
                                const HistoryFacts& history, const std::optional<PathMatch>& paths, bool check_on) {
  PatchFacts out;
  if (!history.caught_up.has_value() || history.target_tip.empty()) {
    if (check_on) out.notes.push_back("patch coverage not computed: no history");
    return out;
  }
  ORCHKIT_TRY(base, repo.merge_base(measured, history.target_tip));
  ORCHKIT_TRY(changed, repo.changed_lines(base, measured));
  Patch p = compute_patch(changed, cov);
  if (paths) {
    auto lost = unmatched_sources(p.unmeasured, paths->unmatched);
    if (!lost.empty() && !check_on) {
      out.notes.push_back("changed file " + lost.front() +
                          " has no coverage record (report paths match no tracked file)");
    } else if (!lost.empty()) {
      std::string hint = paths->strip_hint ? " (coverage.path_strip = [\"" + *paths->strip_hint + "\"] may fix it)"
                                           : " (set coverage.path_strip so report paths name repository files)";
      out.problems.push_back({Reason::report_paths_unmatched,
                              "changed file " + lost.front() + " has no coverage record while " +
                                  std::to_string(paths->unmatched.size()) +
                                  " report path(s) match no tracked file, e.g. " + paths->unmatched.front() + hint,
                              true});
    }
  }
  out.patch = std::move(p);
  return out;
}

}  // namespace coverage_gate
