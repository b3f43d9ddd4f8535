// libgit2 adapter, continued: linked worktrees and local branches (stop-task's step 5).
#include <git2.h>

#include <cctype>

#include "orchkit/git/internal.hpp"
#include "orchkit/git/repo.hpp"

namespace orchkit::git {
namespace {
using namespace detail;

struct Buf {
  git_buf b = GIT_BUF_INIT;
  ~Buf() { git_buf_dispose(&b); }
};
struct StrArray {
  git_strarray a = {nullptr, 0};
  ~StrArray() { git_strarray_dispose(&a); }
};
}  // namespace

bool valid_branch_name(const std::string& name) {
  ensure_init();
  int valid = 0;
  if (name.empty() || name[0] == '-') return false;
  std::string full = "refs/heads/" + name;
  return git_reference_name_is_valid(&valid, full.c_str()) == 0 && valid == 1 && name != "HEAD";
}

Result<std::vector<Worktree>> Repo::worktrees() {
  StrArray names;
  if (git_worktree_list(&names.a, repo_) != 0) return fail(Exit::error, last_error("cannot list worktrees"));
  std::vector<Worktree> out;
  for (size_t i = 0; i < names.a.count; ++i) {
    git_worktree* raw = nullptr;
    if (git_worktree_lookup(&raw, repo_, names.a.strings[i]) != 0) continue;
    WorktreeH wt(raw);
    Worktree w;
    w.name = names.a.strings[i];
    w.path = git_worktree_path(raw) ? git_worktree_path(raw) : "";
    while (w.path.size() > 1 && w.path.back() == '/') w.path.pop_back();
    Buf reason;
    w.locked = git_worktree_is_locked(&reason.b, raw) > 0;
    if (w.locked && reason.b.ptr) w.lock_reason = reason.b.ptr;
    while (!w.lock_reason.empty() && std::isspace(static_cast<unsigned char>(w.lock_reason.back())))
      w.lock_reason.pop_back();  // git writes the reason with a newline
    git_repository* wr = nullptr;
    if (git_repository_open_from_worktree(&wr, raw) == 0) {
      RepoH r(wr);
      git_reference* head = nullptr;
      if (git_repository_head(&head, wr) == 0) {
        ReferenceH h(head);
        if (git_reference_is_branch(head)) w.branch = git_reference_shorthand(head);
        if (const git_oid* oid = git_reference_target(head)) w.head = hex(oid);
      }
    }
    out.push_back(std::move(w));
  }
  return out;
}

Result<std::string> Repo::worktree_patch(const std::string& path) {
  git_repository* raw = nullptr;
  if (git_repository_open(&raw, path.c_str()) != 0)
    return fail(Exit::error, last_error(path + ": cannot open the worktree"));
  RepoH repo(raw);
  git_object* obj = nullptr;
  TreeH tree;
  if (git_revparse_single(&obj, raw, "HEAD^{tree}") == 0) tree.reset(reinterpret_cast<git_tree*>(obj));
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS | GIT_DIFF_SHOW_UNTRACKED_CONTENT |
               GIT_DIFF_SHOW_BINARY;
  git_diff* d = nullptr;
  if (git_diff_tree_to_workdir_with_index(&d, raw, tree.get(), &opts) != 0)
    return fail(Exit::error, last_error(path + ": cannot diff the worktree"));
  DiffH diff(d);
  Buf buf;
  if (git_diff_to_buf(&buf.b, d, GIT_DIFF_FORMAT_PATCH) != 0)
    return fail(Exit::error, last_error(path + ": cannot write the patch"));
  return std::string(buf.b.ptr ? buf.b.ptr : "", buf.b.size);
}

Result<void> Repo::prune_worktree(const std::string& name) {
  git_worktree* raw = nullptr;
  if (git_worktree_lookup(&raw, repo_, name.c_str()) != 0) return {};  // already forgotten
  WorktreeH wt(raw);
  git_worktree_prune_options opts = GIT_WORKTREE_PRUNE_OPTIONS_INIT;
  opts.flags = 0;  // only an invalid (directory gone), unlocked worktree is pruned
  if (git_worktree_prune(raw, &opts) != 0) return fail(Exit::error, last_error("cannot prune worktree " + name));
  return {};
}

Result<std::vector<std::string>> Repo::local_branches() {
  git_branch_iterator* it = nullptr;
  if (git_branch_iterator_new(&it, repo_, GIT_BRANCH_LOCAL) != 0)
    return fail(Exit::error, last_error("cannot list branches"));
  std::vector<std::string> out;
  git_reference* ref = nullptr;
  git_branch_t type;
  while (git_branch_next(&ref, &type, it) == 0) {
    const char* name = nullptr;
    if (git_branch_name(&name, ref) == 0 && name) out.emplace_back(name);
    git_reference_free(ref);
  }
  git_branch_iterator_free(it);
  return out;
}

Result<bool> Repo::delete_local_branch(const std::string& name) {
  git_reference* raw = nullptr;
  if (git_branch_lookup(&raw, repo_, name.c_str(), GIT_BRANCH_LOCAL) != 0) return false;
  ReferenceH ref(raw);
  if (git_branch_delete(raw) != 0) return fail(Exit::error, last_error("cannot delete the local branch " + name));
  return true;
}

}  // namespace orchkit::git
