// libgit2 adapter, part 5: reading a branch's history (the first-parent chain merge-verify
// searches for the commit through which a task landed) and asking whether an object exists.
#include <git2.h>

#include "orchkit/git.hpp"
#include "orchkit/git_internal.hpp"

namespace orchkit::git {

using namespace detail;

Result<std::vector<ChainCommit>> Repo::first_parent_chain(const std::string& tip_sha, size_t limit) {
  git_oid oid;
  if (git_oid_fromstr(&oid, tip_sha.c_str()) != 0) return fail(Exit::error, "not a commit id: " + tip_sha);
  std::vector<ChainCommit> out;
  while (out.size() < limit) {
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo_, &oid) != 0) {
      // The tip itself must be readable; an older parent missing is the edge of a shallow clone.
      if (out.empty()) return fail(Exit::error, last_error("cannot read commit " + tip_sha));
      break;
    }
    CommitH commit(raw);
    ChainCommit c;
    c.sha = hex(git_commit_id(raw));
    c.tree = hex(git_commit_tree_id(raw));
    unsigned n = git_commit_parentcount(raw);
    for (unsigned i = 0; i < n; ++i) c.parents.push_back(hex(git_commit_parent_id(raw, i)));
    out.push_back(std::move(c));
    if (n == 0) break;
    git_oid_cpy(&oid, git_commit_parent_id(raw, 0));
  }
  return out;
}

Result<std::vector<ChainCommit>> Repo::chain_until(const std::string& tip_sha, const std::string& stop_sha) {
  git_oid oid;
  if (git_oid_fromstr(&oid, tip_sha.c_str()) != 0) return fail(Exit::error, "not a commit id: " + tip_sha);
  std::vector<ChainCommit> out;
  for (;;) {
    if (hex(&oid) == stop_sha) break;
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo_, &oid) != 0)
      return fail(Exit::error, last_error("cannot read commit " + hex(&oid)));
    CommitH commit(raw);
    ChainCommit c;
    c.sha = hex(git_commit_id(raw));
    c.tree = hex(git_commit_tree_id(raw));
    unsigned n = git_commit_parentcount(raw);
    for (unsigned i = 0; i < n; ++i) c.parents.push_back(hex(git_commit_parent_id(raw, i)));
    if (const char* m = git_commit_message(raw)) c.message = m;
    out.push_back(std::move(c));
    if (n == 0) break;
    git_oid_cpy(&oid, git_commit_parent_id(raw, 0));
  }
  return out;
}

bool Repo::has_object(const std::string& sha) {
  git_oid oid;
  if (sha.size() != GIT_OID_HEXSZ || git_oid_fromstr(&oid, sha.c_str()) != 0) return false;
  git_odb* raw = nullptr;
  if (git_repository_odb(&raw, repo_) != 0) return false;
  Handle<git_odb, git_odb_free> odb(raw);
  return git_odb_exists(raw, &oid) == 1;
}

}  // namespace orchkit::git
