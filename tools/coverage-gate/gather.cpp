// gather_caught_up, gather_baseline, gather_patch: the facts that need history or the state.
#include "coverage-gate/gather.hpp"

#include <cstdlib>
#include <filesystem>

#include "coverage-gate/head.hpp"
#include "coverage-gate/path_match.hpp"

namespace coverage_gate {

using namespace orchkit;

namespace {

// The PR head the measured commit stands for (head.hpp); the branch is $GITHUB_HEAD_REF inside
// Actions (the checkout is detached there), else the checked-out branch.
Result<std::string> find_gated_head(Context& ctx, const std::string& measured, const std::string& tip) {
  HeadFacts f;
  f.measured = measured;
  const char* ref = std::getenv("GITHUB_HEAD_REF");
  std::optional<std::string> branch = ref && *ref ? std::optional<std::string>(ref) : ctx.repo->head_branch();
  if (branch) {
    auto remote = ctx.repo->resolve("refs/remotes/origin/" + *branch);
    f.measured_on_remote = remote && remote->sha == measured;
  }
  ORCHKIT_TRY(chain, ctx.repo->first_parent_chain(measured, 1));
  if (!chain.empty()) {
    for (const auto& p : chain.front().parents) {
      ORCHKIT_TRY(on_target, ctx.repo->contains(tip, p));
      f.parents.emplace_back(p, on_target);
    }
  }
  return gated_head(f);
}

void add_problem(Outcome& out, Reason r, const std::string& what) {
  for (Reason x : out.facts.problems)
    if (x == r) return;
  out.facts.problems.push_back(r);
  if (out.problem.empty()) out.problem = what;
  else out.notes.push_back(what);
}
}  // namespace

bool patch_check_on(const Policy& p) { return p.patch_min.micro > 0 || p.patch_max_uncovered >= 0; }

Result<void> gather_caught_up(Context& ctx, Outcome& out) {
  ORCHKIT_TRY(tip, ctx.repo->target_tip(ctx.target));
  out.target_tip = tip.sha;
  if (ctx.repo->is_shallow()) {
    out.facts.caught_up = std::nullopt;
    add_problem(
        out, Reason::shallow_clone,
        ctx.workdir + " is a shallow clone: patch coverage and the caught-up check need history (fetch-depth: 0)");
    return {};
  }
  ORCHKIT_TRY(in, ctx.repo->contains(out.commit->sha, tip.sha));
  out.facts.caught_up = in;
  ORCHKIT_TRY(head, find_gated_head(ctx, out.commit->sha, tip.sha));
  out.head_commit = head;
  return {};
}

Result<void> gather_baseline(Context& ctx, Outcome& out) {
  ORCHKIT_TRY(st, read_state(ctx));
  if (!st) return {};
  ORCHKIT_TRY(b, st->baseline(ctx.repo_id, ctx.target));
  if (b) {
    out.facts.baseline = Ratio{b->covered, b->total};
    out.baseline_commit = b->commit;
  }
  return {};
}

Result<void> gather_patch(Context& ctx, const coverage::Coverage& cov, Outcome& out) {
  if (!out.facts.caught_up.has_value() || !out.target_tip) {
    if (patch_check_on(out.policy)) out.notes.push_back("patch coverage not computed: no history");
    return {};
  }
  ORCHKIT_TRY(base, ctx.repo->merge_base(out.commit->sha, *out.target_tip));
  ORCHKIT_TRY(changed, ctx.repo->changed_lines(base, out.commit->sha));
  Patch p = compute_patch(changed, cov);
  if (out.paths) {
    auto lost = unmatched_sources(p.unmeasured, out.paths->unmatched);
    if (!lost.empty() && !patch_check_on(out.policy)) {
      out.notes.push_back("changed file " + lost.front() +
                          " has no coverage record (report paths match no tracked file)");
    } else if (!lost.empty()) {
      std::string hint = out.paths->strip_hint
                             ? " (coverage.path_strip = [\"" + *out.paths->strip_hint + "\"] may fix it)"
                             : " (set coverage.path_strip so report paths name repository files)";
      add_problem(out, Reason::report_paths_unmatched,
                  "changed file " + lost.front() + " has no coverage record while " +
                      std::to_string(out.paths->unmatched.size()) + " report path(s) match no tracked file, e.g. " +
                      out.paths->unmatched.front() + hint);
    }
  }
  out.facts.patch = p.total;
  out.patch = std::move(p);
  return {};
}

}  // namespace coverage_gate
