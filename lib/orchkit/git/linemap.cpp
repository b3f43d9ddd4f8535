// Repo::line_map: the 0-context diff baseline..HEAD as hunks per file (libgit2), for the
// differential categorisation. Renames are detected as for patch coverage; a change of line
// endings alone (CRLF <-> LF) or of trailing whitespace is not a changed line, so a file
// re-saved with other line endings keeps its lines' history.
#include "orchkit/git/internal.hpp"
#include "orchkit/git/repo.hpp"

namespace orchkit::git {

using namespace detail;

namespace {

Unexpected fail_git(const std::string& what) { return fail(Exit::error, last_error(what)); }

Result<TreeH> tree_of(git_repository* repo, const std::string& sha) {
  git_oid oid;
  if (git_oid_fromstr(&oid, sha.c_str()) != 0) return fail(Exit::error, "not a commit id: " + sha);
  git_commit* c = nullptr;
  if (git_commit_lookup(&c, repo, &oid) != 0) return fail_git("cannot read commit " + sha);
  CommitH commit(c);
  git_tree* t = nullptr;
  if (git_commit_tree(&t, c) != 0) return fail_git("cannot read the tree of " + sha);
  return TreeH(t);
}

int on_file(const git_diff_delta* d, float, void* payload) {
  auto* map = static_cast<linemap::LineMap*>(payload);
  switch (d->status) {
    case GIT_DELTA_DELETED: map->deleted.emplace(d->old_file.path); break;
    case GIT_DELTA_ADDED:
    case GIT_DELTA_UNTRACKED:
    case GIT_DELTA_COPIED: map->changed[d->new_file.path] = {"", true, {}}; break;
    default: map->changed[d->new_file.path] = {d->old_file.path, false, {}};
  }
  return 0;
}

int on_hunk(const git_diff_delta* d, const git_diff_hunk* h, void* payload) {
  auto* map = static_cast<linemap::LineMap*>(payload);
  if (d->status == GIT_DELTA_DELETED) return 0;
  auto& change = map->changed[d->new_file.path];
  if (change.added) return 0;
  change.hunks.push_back({static_cast<uint32_t>(h->old_start), static_cast<uint32_t>(h->old_lines),
                          static_cast<uint32_t>(h->new_start), static_cast<uint32_t>(h->new_lines)});
  return 0;
}

}  // namespace

Result<linemap::LineMap> Repo::line_map(const std::string& base_sha, const std::string& head_sha) {
  ORCHKIT_TRY(old_tree, tree_of(repo_, base_sha));
  ORCHKIT_TRY(new_tree, tree_of(repo_, head_sha));
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.context_lines = 0;
  opts.interhunk_lines = 0;
  opts.flags |= GIT_DIFF_IGNORE_WHITESPACE_EOL;
  git_diff* raw = nullptr;
  if (git_diff_tree_to_tree(&raw, repo_, old_tree.get(), new_tree.get(), &opts) != 0)
    return fail_git("cannot diff " + base_sha + ".." + head_sha);
  DiffH diff(raw);
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES;
  if (git_diff_find_similar(raw, &find) != 0) return fail_git("cannot detect renames");
  linemap::LineMap map;
  if (git_diff_foreach(raw, on_file, nullptr, on_hunk, nullptr, &map) != 0) return fail_git("cannot walk the diff");
  return map;
}

}  // namespace orchkit::git
