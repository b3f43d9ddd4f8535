// libgit2 adapter, part 5: reading a branch's history (the first-parent chain merge-verify
// searches for the commit through which a task landed, the state branch's chain) and asking
// whether an object exists.
#include <git2.h>

#include <cstdint>

#include "orchkit/git/internal.hpp"
#include "orchkit/git/repo.hpp"

namespace orchkit::git {

using namespace detail;

namespace {

// The first-parent walk behind both chain readers: from `tip_sha` until `limit` commits, the
// root, `stop_sha` (not included), or — when `tolerate_missing` — a parent this clone lacks.
Result<std::vector<ChainCommit>> walk(git_repository* repo, const std::string& tip_sha, size_t limit,
                                      const std::string& stop_sha, bool tolerate_missing) {
  git_oid oid;
  if (git_oid_fromstr(&oid, tip_sha.c_str()) != 0) return fail(Exit::error, "not a commit id: " + tip_sha);
  std::vector<ChainCommit> out;
  while (out.size() < limit && hex(&oid) != stop_sha) {
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo, &oid) != 0) {
      // The tip itself must be readable; an older parent missing is the edge of a shallow clone.
      if (out.empty() || !tolerate_missing) return fail(Exit::error, last_error("cannot read commit " + hex(&oid)));
      break;
    }
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

}  // namespace

Result<std::vector<ChainCommit>> Repo::first_parent_chain(const std::string& tip_sha, size_t limit) {
  return walk(repo_, tip_sha, limit, "", true);
}

Result<std::vector<ChainCommit>> Repo::chain_until(const std::string& tip_sha, const std::string& stop_sha) {
  return walk(repo_, tip_sha, SIZE_MAX, stop_sha, false);
}

bool Repo::has_object(const std::string& sha) {
  git_oid oid;
  if (sha.size() != GIT_OID_HEXSZ || git_oid_fromstr(&oid, sha.c_str()) != 0) return false;
  git_odb* raw = nullptr;
  if (git_repository_odb(&raw, repo_) != 0) return false;
  OdbH odb(raw);
  return git_odb_exists(raw, &oid) == 1;
}

}  // namespace orchkit::git
