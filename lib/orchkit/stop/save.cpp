// stop-task's save step: before anything is deleted, what the stop would otherwise lose is saved
// in the task's artefacts folder — uncommitted and untracked work as a binary-safe patch, and the
// commits of the task's branches (and of a detached HEAD) that are not on the target as a git
// bundle that restores them after the branch is gone. Ignored files are not saved.
#include <filesystem>

#include "orchkit/bundle.hpp"
#include "orchkit/stop/steps.hpp"
#include "orchkit/util/file.hpp"

namespace orchkit::stop {

namespace {

// `path`, or when a different file already holds that name (a worktree re-created and stopped
// again within one generation), the first free `<stem>.<n><ext>`: an earlier save is never lost.
std::string free_name(const std::string& path, const std::string& content) {
  namespace fs = std::filesystem;
  fs::path p(path);
  for (int n = 1;; ++n) {
    std::string name =
        n == 1 ? path : (p.parent_path() / p.stem()).string() + "." + std::to_string(n) + p.extension().string();
    auto old = read_file(name);
    if (!old || *old == content) return name;
  }
}

Result<void> save_patch(StepContext& c, records::Saved& s) {
  if (!c.plan.worktree) return {};  // removed by an earlier run: what it saved stays in `s`
  s.head = c.plan.worktree_head;
  s.head_branch = c.plan.worktree_branch;
  s.patch.reset();
  ORCHKIT_TRY(patch, c.ws.repo->worktree_patch(*c.plan.worktree));
  if (patch.empty()) {
    c.report.add("patch", "skipped", "the worktree is clean");
    return {};
  }
  std::string path = free_name(c.plan.patch_path, patch);
  s.patch = path;
  if (c.req.dry_run) {
    c.report.add("patch", "would", "save " + std::to_string(patch.size()) + " bytes of uncommitted work to " + path);
    return {};
  }
  ORCHKIT_CHECK(write_file_atomic(path, patch));
  c.report.add("patch", "done", path);
  return {};
}

struct Candidate {
  std::string ref;
  std::string tip;
};

// Every ref that holds work of the task: the local branches, origin's tips where they differ
// (fetched first, so commits pushed from elsewhere are saved too) and a detached HEAD.
Result<std::vector<Candidate>> candidates(StepContext& c) {
  std::vector<Candidate> out;
  auto& repo = *c.ws.repo;
  for (const auto& b : c.plan.local_branches)
    if (auto tip = repo.resolve("refs/heads/" + b)) out.push_back({"refs/heads/" + b, tip->sha});
  for (const auto& r : c.plan.remote_branches) {
    if (!c.req.dry_run) ORCHKIT_CHECK(repo.fetch("origin", r.branch));
    auto tip = repo.resolve("refs/remotes/origin/" + r.branch);
    if (!tip) continue;  // dry run: not fetched
    auto local = repo.resolve("refs/heads/" + r.branch);
    if (!local || local->sha != tip->sha) out.push_back({"refs/remotes/origin/" + r.branch, tip->sha});
  }
  if (c.plan.worktree && !c.plan.worktree_branch && !c.plan.worktree_head.empty()) {
    bool named = false;
    for (const auto& k : out) named = named || k.tip == c.plan.worktree_head;
    if (!named) out.push_back({"HEAD", c.plan.worktree_head});
  }
  return out;
}

Result<void> save_bundle(StepContext& c, records::Saved& s) {
  s.target = c.plan.target;
  s.target_oid = c.plan.target_oid;
  ORCHKIT_TRY(all, candidates(c));
  std::vector<records::Saved::Ref> refs;
  for (const auto& k : all) {
    if (!s.target_oid.empty()) {
      ORCHKIT_TRY(on_target, c.ws.repo->contains(s.target_oid, k.tip));
      if (on_target) continue;
    }
    auto base = s.target_oid.empty() ? Result<std::string>(std::string()) : c.ws.repo->merge_base(k.tip, s.target_oid);
    refs.push_back({k.ref, k.tip, base ? *base : std::string()});
  }
  if (refs.empty()) {
    if (!s.bundle) c.report.add("bundle", "skipped", "no commit of the task is off " + s.target);
    return {};
  }
  s.refs = refs;
  s.bundle = c.plan.bundle_path;
  std::string what = std::to_string(refs.size()) + " ref(s) with commits not on " + s.target + " to " + *s.bundle;
  if (c.req.dry_run) {
    c.report.add("bundle", "would", "save " + what);
    return {};
  }
  std::vector<std::string> names, exclude;
  bool head = false;
  for (const auto& r : refs) {
    names.push_back(r.ref);
    head = head || r.ref == "HEAD";
  }
  if (!s.target_oid.empty()) exclude.push_back(s.target_oid);
  std::string git_dir = c.ws.repo->common_dir();
  if (head) git_dir += "/worktrees/" + *c.plan.worktree_name;  // where that worktree's HEAD lives
  ORCHKIT_CHECK(bundle::create(git_dir, *s.bundle, names, exclude));
  c.report.add("bundle", "done", "saved " + what);
  return {};
}

}  // namespace

Result<void> step_save(StepContext& c) {
  records::Saved& s = c.report.saved;  // what an earlier run saved, when it got that far
  ORCHKIT_CHECK(save_patch(c, s));
  ORCHKIT_CHECK(save_bundle(c, s));
  c.report.saved_patch = s.patch;
  c.report.saved_bundle = s.bundle;
  return {};
}

bool saved_covers(StepContext& c) {
  const records::Saved& s = c.report.saved;
  auto covered = [&](const std::string& oid) {
    if (!s.target_oid.empty())
      if (auto on = c.ws.repo->contains(s.target_oid, oid); on && *on) return true;
    for (const auto& r : s.refs)
      if (auto in = c.ws.repo->contains(r.tip, oid); in && *in) return true;
    return false;
  };
  for (const auto& r : c.plan.remote_branches)
    if (!covered(r.oid)) return false;
  for (const auto& b : c.plan.local_branches)
    if (auto tip = c.ws.repo->resolve("refs/heads/" + b); tip && !covered(tip->sha)) return false;
  return true;
}

}  // namespace orchkit::stop
