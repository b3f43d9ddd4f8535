// libgit2 adapter, part 4: reading a commit's tree (a committed file, the tracked paths).
#include <git2.h>

#include "orchkit/git/internal.hpp"
#include "orchkit/git/repo.hpp"

namespace orchkit::git {

using namespace detail;

namespace {

Result<TreeH> commit_tree(git_repository* repo, const std::string& sha) {
  git_oid oid;
  if (git_oid_fromstr(&oid, sha.c_str()) != 0) return fail(Exit::error, "not a commit id: " + sha);
  git_commit* c = nullptr;
  if (git_commit_lookup(&c, repo, &oid) != 0) return fail(Exit::error, last_error("cannot read commit " + sha));
  CommitH commit(c);
  git_tree* t = nullptr;
  if (git_commit_tree(&t, c) != 0) return fail(Exit::error, last_error("cannot read the tree of " + sha));
  return TreeH(t);
}

}  // namespace

Result<std::optional<std::string>> Repo::read_committed(const std::string& commit_sha, const std::string& path) {
  ORCHKIT_TRY(tree, commit_tree(repo_, commit_sha));
  git_tree_entry* raw = nullptr;
  if (git_tree_entry_bypath(&raw, tree.get(), path.c_str()) != 0) return std::optional<std::string>{};
  Handle<git_tree_entry, git_tree_entry_free> entry(raw);
  if (git_tree_entry_type(raw) != GIT_OBJECT_BLOB)
    return fail(Exit::error, commit_sha.substr(0, 12) + ":" + path + " is not a file");
  git_blob* b = nullptr;
  if (git_blob_lookup(&b, repo_, git_tree_entry_id(raw)) != 0)
    return fail(Exit::error, last_error("cannot read " + commit_sha.substr(0, 12) + ":" + path));
  Handle<git_blob, git_blob_free> blob(b);
  const char* data = static_cast<const char*>(git_blob_rawcontent(b));
  return std::optional<std::string>(std::string(data, static_cast<size_t>(git_blob_rawsize(b))));
}

Result<std::vector<std::string>> Repo::tracked_files(const std::string& commit_sha) {
  ORCHKIT_TRY(tree, commit_tree(repo_, commit_sha));
  std::vector<std::string> out;
  auto cb = [](const char* root, const git_tree_entry* e, void* payload) -> int {
    if (git_tree_entry_type(e) == GIT_OBJECT_BLOB)
      static_cast<std::vector<std::string>*>(payload)->push_back(std::string(root) + git_tree_entry_name(e));
    return 0;
  };
  if (git_tree_walk(tree.get(), GIT_TREEWALK_PRE, cb, &out) != 0)
    return fail(Exit::error, last_error("cannot walk the tree of " + commit_sha));
  return out;
}

}  // namespace orchkit::git
