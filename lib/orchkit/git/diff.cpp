// libgit2 adapter: patch coverage: the lines a change adds (patch coverage), renames detected.
//
// Speed (docs/performance.md): libgit2 looks up the `diff` attribute of every changed file before
// diffing it (git_diff_driver_lookup: .gitattributes in the worktree, the index, info/attributes,
// the global and system files), which costs most of a 5,000-file diff. When no attributes file
// exists anywhere it could look, every lookup answers "no driver"; then each file pair is diffed
// as buffers without a repository or a path (git_diff_buffers), which skips the lookup and gives
// the same hunks.
// Otherwise (or with a submodule in the diff) the diff is walked as before.
#include <git2.h>
#include <sys/stat.h>

#include <cstdlib>
#include <set>
#include <string>

#include "orchkit/git/internal.hpp"
#include "orchkit/git/repo.hpp"

namespace orchkit::git {

using namespace detail;

namespace {

Unexpected git_fail(const std::string& what) { return fail(Exit::error, last_error(what)); }

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

bool ends_with_attributes(std::string_view p) {
  constexpr std::string_view kName = ".gitattributes";
  return p == kName || (p.size() > kName.size() && p.substr(p.size() - kName.size() - 1) == "/.gitattributes");
}

// Whether an attributes file exists anywhere libgit2 would read one for `paths`: the index, the
// worktree directories holding them, info/attributes, core.attributesfile or its XDG default,
// the system file. Errs towards true.
bool attributes_may_apply(git_repository* repo, const std::vector<std::string>& paths) {
  std::string common = git_repository_commondir(repo);
  if (exists(common + "/info/attributes") || exists("/etc/gitattributes")) return true;
  git_config* c = nullptr;
  if (git_repository_config_snapshot(&c, repo) != 0) return true;
  ConfigH cfg(c);
  git_buf buf = GIT_BUF_INIT;
  bool configured = git_config_get_string_buf(&buf, c, "core.attributesfile") == 0;
  git_buf_dispose(&buf);
  if (configured) return true;
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  if (xdg && *xdg && exists(std::string(xdg) + "/git/attributes")) return true;
  if (home && *home && exists(std::string(home) + "/.config/git/attributes")) return true;
  git_index* i = nullptr;
  if (git_repository_index(&i, repo) != 0) return true;
  IndexH index(i);
  for (size_t k = 0, n = git_index_entrycount(i); k < n; ++k)
    if (ends_with_attributes(git_index_get_byindex(i, k)->path)) return true;
  const char* wd = git_repository_workdir(repo);
  std::string root = wd ? wd : "";
  std::set<std::string> dirs{""};
  for (const auto& p : paths)
    for (size_t s = p.find('/'); s != std::string::npos; s = p.find('/', s + 1)) dirs.insert(p.substr(0, s + 1));
  for (const auto& d : dirs)
    if (!root.empty() && exists(root + d + ".gitattributes")) return true;
  return false;
}

struct Walk {
  ChangedLines* out = nullptr;
  const char* path = nullptr;  // for git_diff_blobs, whose deltas carry no path
};

int on_line(const git_diff_delta* delta, const git_diff_hunk*, const git_diff_line* line, void* payload) {
  if (line->origin != GIT_DIFF_LINE_ADDITION || line->new_lineno <= 0) return 0;
  auto* w = static_cast<Walk*>(payload);
  w->out->files[w->path ? w->path : delta->new_file.path].push_back(static_cast<uint32_t>(line->new_lineno));
  return 0;
}

Result<BlobH> blob_of(git_repository* repo, const git_diff_file& f) {
  if (git_oid_is_zero(&f.id)) return BlobH(nullptr);
  git_blob* b = nullptr;
  if (git_blob_lookup(&b, repo, &f.id) != 0) return git_fail(std::string("cannot read ") + f.path);
  return BlobH(b);
}

// Each delta's file pair diffed as buffers with no repository and no path: libgit2 looks up no
// attribute (git_diff_blobs would, by the blob's repository, under the path "file").
Result<void> blob_lines(git_repository* repo, git_diff* diff, const git_diff_options& opts, ChangedLines& out) {
  Walk w{&out, nullptr};
  for (size_t i = 0, n = git_diff_num_deltas(diff); i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    if (d->status == GIT_DELTA_DELETED || git_oid_equal(&d->old_file.id, &d->new_file.id)) continue;
    ORCHKIT_TRY(old_blob, blob_of(repo, d->old_file));
    ORCHKIT_TRY(new_blob, blob_of(repo, d->new_file));
    auto data = [](const BlobH& b) { return b ? git_blob_rawcontent(b.get()) : nullptr; };
    auto size = [](const BlobH& b) { return b ? static_cast<size_t>(git_blob_rawsize(b.get())) : size_t{0}; };
    w.path = d->new_file.path;
    if (git_diff_buffers(data(old_blob), size(old_blob), nullptr, data(new_blob), size(new_blob), nullptr, &opts,
                         nullptr, nullptr, nullptr, on_line, &w) != 0)
      return git_fail(std::string("cannot diff ") + d->new_file.path);
  }
  return {};
}

}  // namespace

Result<ChangedLines> Repo::changed_lines(const std::string& base_sha, const std::string& head_sha) {
  auto tree_of = [&](const std::string& sha) -> Result<TreeH> {
    git_oid oid;
    if (git_oid_fromstr(&oid, sha.c_str()) != 0) return fail(Exit::error, "not a commit id: " + sha);
    git_commit* c = nullptr;
    if (git_commit_lookup(&c, repo_, &oid) != 0) return git_fail("cannot read commit " + sha);
    CommitH commit(c);
    git_tree* t = nullptr;
    if (git_commit_tree(&t, c) != 0) return git_fail("cannot read the tree of " + sha);
    return TreeH(t);
  };
  ORCHKIT_TRY(old_tree, tree_of(base_sha));
  ORCHKIT_TRY(new_tree, tree_of(head_sha));
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.context_lines = 0;
  opts.interhunk_lines = 0;
  git_diff* raw = nullptr;
  if (git_diff_tree_to_tree(&raw, repo_, old_tree.get(), new_tree.get(), &opts) != 0) return git_fail("cannot diff");
  DiffH diff(raw);
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES;
  if (git_diff_find_similar(raw, &find) != 0) return git_fail("cannot detect renames");

  ChangedLines out;
  std::vector<std::string> paths;
  bool submodule = false;
  for (size_t i = 0, n = git_diff_num_deltas(raw); i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(raw, i);
    if (d->status == GIT_DELTA_DELETED) out.deleted.emplace_back(d->old_file.path);
    if (d->status == GIT_DELTA_RENAMED) out.renamed.emplace_back(d->old_file.path, d->new_file.path);
    submodule = submodule || d->old_file.mode == GIT_FILEMODE_COMMIT || d->new_file.mode == GIT_FILEMODE_COMMIT;
    paths.emplace_back(d->old_file.path);
    if (std::string_view(d->old_file.path) != d->new_file.path) paths.emplace_back(d->new_file.path);
  }
  if (!submodule && !attributes_may_apply(repo_, paths)) {
    ORCHKIT_CHECK(blob_lines(repo_, raw, opts, out));
    return out;
  }
  Walk w{&out, nullptr};
  if (git_diff_foreach(raw, nullptr, nullptr, nullptr, on_line, &w) != 0) return git_fail("cannot walk the diff");
  return out;
}

}  // namespace orchkit::git
