// libgit2 adapter (the only file that includes git2.h): what orchkit asks of a repository.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "orchkit/linemap.hpp"
#include "orchkit/result.hpp"

struct git_repository;

namespace orchkit::git {

struct Commit {
  std::string sha = {};   // 40 hex
  std::string tree = {};  // 40 hex
};

// One commit of a first-parent chain: its tree and every parent, first parent first.
struct ChainCommit {
  std::string sha = {};
  std::string tree = {};
  std::vector<std::string> parents = {};
  std::string message = {};
};

// One file of a tree change: `content` written at `path`, or the path removed (nullopt).
struct TreeChange {
  std::string path = {};
  std::optional<std::string> content = {};
};

// How a non-force push of one ref ended: the ref moved to ours, the remote had moved (fetch and
// recompute), the server refused the ref (a hook, a protected branch: `message` says why), or
// the push was denied as a whole (no permission to push, receive-pack disabled).
enum class PushStatus { ok, moved, refused, denied };
struct PushOutcome {
  PushStatus status = PushStatus::refused;
  std::string message = {};
};

// Lines added or changed by a diff, per path in the new tree (repo-relative, '/').
struct ChangedLines {
  std::map<std::string, std::vector<uint32_t>> files = {};
  std::vector<std::string> deleted = {};
  std::vector<std::pair<std::string, std::string>> renamed = {};  // old -> new
};

struct Worktree {
  std::string name = {};  // under <common dir>/worktrees/
  std::string path = {};  // its working directory as git records it
  bool locked = false;
  std::string lock_reason = {};
  std::optional<std::string> branch = {};  // short name of the branch checked out there
  std::string head = {};                   // the commit checked out there ("" when unknown)
};

struct RemoteRef {
  std::string name = {};  // refs/heads/...
  std::string oid = {};
};

struct PushResult {
  bool ok = false;
  std::string message = {};  // the server's reason when it rejected the ref
};

// `name` is a valid branch name (git check-ref-format --branch rules, via libgit2).
bool valid_branch_name(const std::string& name);

// What a check asks of a repository's history: the seam between the gatherers (coverage-gate,
// merge-verify) and libgit2. Repo is the real one; tests hand an in-memory one
// (tests/fakes/memory_repo.hpp). Each method means what Repo's of the same name documents.
class Repository {
 public:
  virtual ~Repository() = default;
  virtual bool is_shallow() const = 0;
  virtual std::optional<std::string> head_branch() = 0;
  virtual Result<Commit> resolve(const std::string& rev) = 0;
  virtual Result<Commit> target_tip(const std::string& branch, bool prefer_local) = 0;
  virtual Result<std::string> merge_base(const std::string& a, const std::string& b) = 0;
  virtual Result<ChangedLines> changed_lines(const std::string& base_sha, const std::string& head_sha) = 0;
  virtual Result<linemap::LineMap> line_map(const std::string& base_sha, const std::string& head_sha) = 0;
  virtual Result<std::vector<std::string>> tracked_files(const std::string& commit_sha) = 0;
  virtual Result<bool> contains(const std::string& descendant, const std::string& ancestor) = 0;
  virtual Result<std::vector<ChainCommit>> first_parent_chain(const std::string& tip_sha, size_t limit) = 0;
  virtual bool has_object(const std::string& sha) = 0;

 protected:
  Repository() = default;
  Repository(const Repository&) = default;
  Repository& operator=(const Repository&) = default;
  Repository(Repository&&) = default;
  Repository& operator=(Repository&&) = default;
};

class Repo final : public Repository {
 public:
  // Discovers the repository containing `dir` (a worktree, linked or main).
  static Result<Repo> discover(const std::string& dir);
  Repo(Repo&&) noexcept;
  Repo& operator=(Repo&&) noexcept;
  ~Repo();

  std::string workdir() const;        // this worktree's root, no trailing '/'
  std::string common_dir() const;     // the shared git dir, no trailing '/'
  std::string main_worktree() const;  // the worktree that owns common_dir
  bool is_shallow() const override;

  Result<Commit> head();
  // The short name of the branch HEAD points at; nullopt when detached or unborn.
  std::optional<std::string> head_branch() override;
  Result<Commit> resolve(const std::string& rev) override;  // a sha, a branch, refs/..., origin/main
  // "owner/name" from the origin remote URL; nullopt when there is none.
  std::optional<std::string> origin_owner_name();
  // refs/remotes/origin/<b> if present, else refs/heads/<b> (the other order with prefer_local).
  Result<Commit> target_tip(const std::string& branch, bool prefer_local = false) override;
  bool has_remote(const std::string& name);
  // Fetches refs/heads/<branch> of `remote` into refs/remotes/<remote>/<branch>. https
  // credentials come from GITEA_TOKEN; a rejected token is tried once, not in a loop.
  Result<void> fetch(const std::string& remote, const std::string& branch);
  Result<std::string> merge_base(const std::string& a, const std::string& b) override;
  // The lines the change from `base` to `head` adds (0 context lines, renames detected).
  Result<ChangedLines> changed_lines(const std::string& base_sha, const std::string& head_sha) override;
  // How every line of `base_sha` maps into `head_sha` (0-context hunks, renames; git/linemap.cpp).
  Result<linemap::LineMap> line_map(const std::string& base_sha, const std::string& head_sha) override;
  // Linked worktrees of this repository (never the main one).
  Result<std::vector<Worktree>> worktrees();
  // Uncommitted and untracked work of the worktree at `path` as one binary-safe patch against
  // its HEAD (empty when clean); `git apply` on a checkout of HEAD recreates it.
  Result<std::string> worktree_patch(const std::string& path);
  // Forgets a linked worktree whose directory is gone (git worktree prune for one entry).
  Result<void> prune_worktree(const std::string& name);
  // Short names of every local branch.
  Result<std::vector<std::string>> local_branches();
  // Deletes a local branch; false when there is none.
  Result<bool> delete_local_branch(const std::string& name);

  Result<std::vector<RemoteRef>> ls_remote(const std::string& remote);
  Result<std::optional<std::string>> remote_default_branch(const std::string& remote);
  // Pushes the delete refspec ":refs/heads/<branch>" (never a force push). Refused unless the
  // remote tip is still `expected_oid`; each ref's status from the server is checked.
  Result<PushResult> delete_remote_branch(const std::string& remote, const std::string& branch,
                                          const std::string& expected_oid);

  // The content of `path` as committed in `commit_sha`; nullopt when the commit has no such file.
  Result<std::optional<std::string>> read_committed(const std::string& commit_sha, const std::string& path);
  // Every file path in the commit's tree (repo-relative, '/').
  Result<std::vector<std::string>> tracked_files(const std::string& commit_sha) override;

  // Is `ancestor` equal to or an ancestor of `descendant`?
  Result<bool> contains(const std::string& descendant, const std::string& ancestor) override;
  // The first-parent chain from `tip_sha` (the tip first), at most `limit` commits; it ends
  // early at a root commit or where a shallow clone's history stops (git/history.cpp).
  Result<std::vector<ChainCommit>> first_parent_chain(const std::string& tip_sha, size_t limit) override;
  // The commits from `tip_sha` along first parents down to, not including, `stop_sha` (or to
  // the root when `stop_sha` is empty or never met), newest first, with their messages.
  Result<std::vector<ChainCommit>> chain_until(const std::string& tip_sha, const std::string& stop_sha);

  // git/commit.cpp: the state branch's plumbing.
  // One connection: the tip of refs/heads/<branch> on `remote` (nullopt when it has none), its
  // objects downloaded and refs/remotes/<remote>/<branch> set to it. Exit 3 when unreachable.
  Result<std::optional<std::string>> fetch_tip(const std::string& remote, const std::string& branch);
  // Every file under `dir/` in the commit's tree: path below `dir` -> content.
  Result<std::map<std::string, std::string>> read_dir(const std::string& commit_sha, const std::string& dir);
  // A new commit on `parent_sha` ("" = a root commit) whose tree is the parent's with `changes`
  // applied (the empty tree with them when `replace`); no ref moves. `author` names who caused it.
  Result<std::string> commit_changes(const std::string& parent_sha, const std::vector<TreeChange>& changes,
                                     const std::string& message, const std::string& author, bool replace = false);
  // Pushes `sha` to refs/heads/<branch> of `remote`, never forced, only over `expected_sha`
  // ("" = the branch does not exist yet): git receive-pack's compare-and-set.
  Result<PushOutcome> push_commit(const std::string& remote, const std::string& sha, const std::string& branch,
                                  const std::string& expected_sha);

  // Does the object database hold `sha` (a commit, a tree, a blob)? False for a malformed id.
  bool has_object(const std::string& sha) override;

 private:
  explicit Repo(git_repository* r) : repo_(r) {}
  git_repository* repo_ = nullptr;
};

// Initialises libgit2 once per process (every entry point that needs it calls this).
void ensure_init();

// "<what>: <libgit2's last error>"
std::string last_error(const std::string& what);

}  // namespace orchkit::git
