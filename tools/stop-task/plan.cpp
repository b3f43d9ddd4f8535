#include "stop-task/plan.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "orchkit/file.hpp"
#include "orchkit/frontmatter.hpp"
#include "orchkit/saferm.hpp"
#include "stop-task/safety.hpp"

namespace stop_task {

using namespace orchkit;
namespace fs = std::filesystem;

namespace {

Result<void> find_worktree(Workspace& ws, Plan& p) {
  fs::path root(ws.cfg.task.worktrees_root);
  if (root.is_relative()) root = fs::path(ws.main_worktree) / root;
  auto real_root = real_path(root.string());
  if (!real_root) return {};  // no worktrees root: no worktree
  p.real_root = *real_root;
  std::string lexical = p.real_root + "/" + p.key;
  struct stat st {};
  if (::lstat(lexical.c_str(), &st) != 0) {
    // No directory (already removed, perhaps by a stop killed before git's entry was pruned):
    // remember a leftover entry so it is pruned and the branch is no longer "checked out".
    ORCHKIT_TRY(wts, ws.repo->worktrees());
    for (const auto& w : wts)
      if (w.path == lexical) {
        p.stale_worktree_name = w.name;
        if (w.branch) p.local_branches.push_back(*w.branch);
      }
    return {};
  }
  if (S_ISLNK(st.st_mode))
    return fail(Exit::refused, lexical + " is a symlink, not the task's worktree: left untouched");
  ORCHKIT_TRY(real_wt, real_path(lexical));
  ORCHKIT_TRY(real_main, real_path(ws.main_worktree));
  if (auto rule = worktree_rule(real_wt, p.real_root, p.key, real_main)) return fail(Exit::refused, *rule);
  ORCHKIT_TRY(wts, ws.repo->worktrees());
  for (const auto& w : wts) {
    auto wp = real_path(w.path);
    if (!wp || *wp != real_wt) continue;
    p.worktree = real_wt;
    p.worktree_name = w.name;
    p.worktree_locked = w.locked;
    p.lock_reason = w.lock_reason;
    if (w.branch) p.local_branches.push_back(*w.branch);
    return {};
  }
  return fail(Exit::refused, real_wt + " is not a linked worktree of this repository: left untouched");
}

}  // namespace

Result<Plan> make_plan(Workspace& ws, const std::string& key, int64_t generation) {
  Plan p;
  p.key = key;
  p.generation = generation;
  ORCHKIT_CHECK(find_worktree(ws, p));
  std::string own = ws.cfg.task.branch_prefix + key;
  auto is_own = [&](const std::string& b) {
    return b == own || b.rfind(own + "-", 0) == 0 || b.rfind(own + "/", 0) == 0;
  };
  ORCHKIT_TRY(locals, ws.repo->local_branches());
  for (const auto& b : locals)
    if (is_own(b) && std::find(p.local_branches.begin(), p.local_branches.end(), b) == p.local_branches.end())
      p.local_branches.push_back(b);
  p.has_origin = ws.repo->has_remote("origin");
  std::optional<std::string> default_branch;
  if (p.has_origin) {
    ORCHKIT_TRY(def, ws.repo->remote_default_branch("origin"));
    default_branch = def;
    ORCHKIT_TRY(refs, ws.repo->ls_remote("origin"));
    for (const auto& r : refs) {
      if (r.name.rfind("refs/heads/", 0) != 0) continue;
      std::string b = r.name.substr(11);
      bool named = std::find(p.local_branches.begin(), p.local_branches.end(), b) != p.local_branches.end();
      if (is_own(b) || named) p.remote_branches.push_back({b, r.oid});
    }
  }
  for (const auto& b : p.local_branches)
    if (auto rule = branch_rule(b, key, ws.cfg, default_branch))
      return fail(Exit::refused, "branch " + b + ": " + *rule);
  for (const auto& r : p.remote_branches)
    if (auto rule = branch_rule(r.branch, key, ws.cfg, default_branch))
      return fail(Exit::refused, "branch " + r.branch + ": " + *rule);
  auto stage = read_file(ws.task_dir(key) + "/00-stage.md");
  if (stage)
    if (auto fm = parse_front_matter(*stage, "00-stage.md")) p.issue = fm->get("issue").value_or("");
  return p;
}

}  // namespace stop_task
