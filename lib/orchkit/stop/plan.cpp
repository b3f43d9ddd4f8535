#include "orchkit/stop/plan.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <functional>

#include "orchkit/frontmatter.hpp"
#include "orchkit/records/location.hpp"
#include "orchkit/records/stage.hpp"
#include "orchkit/records/stop.hpp"
#include "orchkit/saferm.hpp"
#include "orchkit/stop/safety.hpp"
#include "orchkit/util/file.hpp"

namespace orchkit::stop {

namespace fs = std::filesystem;

namespace {

using IsOwn = std::function<bool(const std::string&)>;

bool exists_nofollow(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

void add_branch(Plan& p, const std::optional<std::string>& b) {
  if (b && std::find(p.local_branches.begin(), p.local_branches.end(), *b) == p.local_branches.end())
    p.local_branches.push_back(*b);
}

Result<void> find_worktree(Workspace& ws, Plan& p) {
  fs::path root(ws.cfg.task.worktrees_root);
  if (root.is_relative()) root = fs::path(ws.main_worktree) / root;
  auto real_root = real_path(root.string());
  if (!real_root) return {};  // no worktrees root: no worktree
  p.real_root = *real_root;
  std::string lexical = p.real_root + "/" + p.key;
  struct stat st {};
  if (::lstat(lexical.c_str(), &st) != 0) return {};  // gone: a leftover entry of git's is stale (below)
  if (S_ISLNK(st.st_mode))
    return fail(Exit::refused, lexical + " is a symlink, not the task's worktree: left untouched, nothing done");
  ORCHKIT_TRY(real_wt, real_path(lexical));
  ORCHKIT_TRY(real_main, real_path(ws.main_worktree));
  if (auto rule = worktree_rule(real_wt, p.real_root, p.key, real_main))
    return fail(Exit::refused, *rule + ": nothing done");
  ORCHKIT_TRY(wts, ws.repo->worktrees());
  for (const auto& w : wts) {
    auto wp = real_path(w.path);
    if (!wp || *wp != real_wt) continue;
    if (w.locked)
      return fail(Exit::refused, real_wt + " is locked" + (w.lock_reason.empty() ? "" : " (" + w.lock_reason + ")") +
                                     ": not forced and nothing done; unlock it (git worktree unlock " + real_wt +
                                     ") and run stop-task again");
    p.worktree = real_wt;
    p.worktree_name = w.name;
    p.worktree_head = w.head;
    p.worktree_branch = w.branch;
    add_branch(p, w.branch);
    return {};
  }
  return fail(Exit::refused, real_wt + " is not a linked worktree of this repository: left untouched, nothing done");
}

// Every other linked worktree: an entry whose directory is gone is stale (pruned by the stop, so
// its branch can go); one that still exists and has a branch of the task checked out is outside
// what stop-task may remove, and would leave the stop unable to finish: refused, saying how on.
Result<void> check_other_worktrees(Workspace& ws, Plan& p, const IsOwn& is_own) {
  ORCHKIT_TRY(wts, ws.repo->worktrees());
  std::string lexical = p.real_root.empty() ? std::string() : p.real_root + "/" + p.key;
  for (const auto& w : wts) {
    if (p.worktree_name && w.name == *p.worktree_name) continue;
    bool gone = !exists_nofollow(w.path);
    if (gone && (w.path == lexical || (w.branch && is_own(*w.branch)))) {
      p.stale_worktrees.push_back(w.name);
      add_branch(p, w.branch);
      continue;
    }
    if (gone || !w.branch || !is_own(*w.branch)) continue;
    std::string where = lexical.empty() ? "task.worktrees_root (not found)" : lexical;
    return fail(Exit::refused,
                "branch " + *w.branch + " of " + p.key + " is checked out in the linked worktree " + w.path +
                    ", which is not " + where + ": nothing done; move it there (git worktree move " + w.path + " " +
                    where + ") or remove it yourself (git worktree remove " + w.path + "), then run stop-task again");
  }
  return {};
}

// The main worktree is never removed, so a branch of the task checked out there could not be
// deleted: refuse before anything.
Result<void> check_main_worktree(Workspace& ws, const Plan& p, const IsOwn& is_own) {
  ORCHKIT_TRY(main, git::Repo::discover(ws.main_worktree));
  auto b = main.head_branch();
  if (b && (is_own(*b) || std::find(p.local_branches.begin(), p.local_branches.end(), *b) != p.local_branches.end()))
    return fail(Exit::refused, "the main worktree " + ws.main_worktree + " has " + *b +
                                   " checked out: nothing done; switch it to another branch (git -C " +
                                   ws.main_worktree + " switch " + ws.cfg.project.target_branch +
                                   ") and run stop-task again");
  return {};
}

// The files the stop writes must be regular files or absent (write_file_atomic would refuse a
// FIFO, a directory or a link only after the processes were killed).
Result<void> check_outputs(Workspace& ws, const Plan& p) {
  ORCHKIT_TRY(stage, records::task_record(ws.cfg, ws.main_worktree, p.key, records::stage_record_name));
  ORCHKIT_TRY(record, records::task_record(ws.cfg, ws.main_worktree, p.key, records::stop_record_name));
  for (const std::string& path : {p.patch_path, p.bundle_path, stage, record}) {
    auto kind = output_kind(path);
    if (!kind) return fail(kind.error().exit, kind.error().message + ": nothing done");
    if (*kind == OutputKind::char_device)
      return fail(Exit::refused, path + ": a character device where stop-task writes its record: nothing done");
  }
  return {};
}

Result<std::optional<std::string>> read_remotes(Workspace& ws, Plan& p, const IsOwn& is_own) {
  p.has_origin = ws.repo->has_remote("origin");
  if (!p.has_origin) return std::optional<std::string>{};
  ORCHKIT_TRY(def, ws.repo->remote_default_branch("origin"));
  ORCHKIT_TRY(refs, ws.repo->ls_remote("origin"));
  for (const auto& r : refs) {
    if (r.name.rfind("refs/heads/", 0) != 0) continue;
    std::string b = r.name.substr(11);
    bool named = std::find(p.local_branches.begin(), p.local_branches.end(), b) != p.local_branches.end();
    if (is_own(b) || named) p.remote_branches.push_back({b, r.oid});
  }
  return def;
}

}  // namespace

Result<Plan> make_plan(Workspace& ws, const std::string& key, int64_t generation,
                       const std::optional<records::PreviousStage>& stage) {
  Plan p;
  p.key = key;
  p.generation = generation;
  // Every file the stop writes is located by the one rule (exit 4 outside the artefacts
  // directory, or for a key that cannot be a file name) before anything is done.
  std::string stem = records::saved_file_stem(generation);
  ORCHKIT_TRY(patch_path, records::task_record(ws.cfg, ws.main_worktree, key, stem + ".patch"));
  ORCHKIT_TRY(bundle_path, records::task_record(ws.cfg, ws.main_worktree, key, stem + ".bundle"));
  p.patch_path = patch_path;
  p.bundle_path = bundle_path;
  std::string own = ws.cfg.task.branch_prefix + key;
  IsOwn is_own = [&](const std::string& b) {
    return b == own || b.rfind(own + "-", 0) == 0 || b.rfind(own + "/", 0) == 0;
  };
  ORCHKIT_CHECK(find_worktree(ws, p));
  ORCHKIT_CHECK(check_other_worktrees(ws, p, is_own));
  ORCHKIT_TRY(locals, ws.repo->local_branches());
  for (const auto& b : locals)
    if (is_own(b)) add_branch(p, b);
  ORCHKIT_CHECK(check_main_worktree(ws, p, is_own));
  ORCHKIT_TRY(default_branch, read_remotes(ws, p, is_own));
  for (const auto& b : p.local_branches)
    if (auto rule = branch_rule(b, key, ws.cfg, default_branch))
      return fail(Exit::refused, "branch " + b + ": " + *rule + ": nothing done");
  for (const auto& r : p.remote_branches)
    if (auto rule = branch_rule(r.branch, key, ws.cfg, default_branch))
      return fail(Exit::refused, "branch " + r.branch + ": " + *rule + ": nothing done");
  ORCHKIT_CHECK(check_outputs(ws, p));
  p.target = ws.cfg.project.target_branch;
  if (auto tip = ws.repo->target_tip(p.target)) p.target_oid = tip->sha;
  p.stage = stage;
  if (stage) p.issue = stage->issue.value_or("");
  return p;
}

}  // namespace orchkit::stop
