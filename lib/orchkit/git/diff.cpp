// libgit2 adapter: patch coverage: the lines a change adds (patch coverage), renames detected.
//
// Speed (docs/performance.md): libgit2 looks up the `diff` attribute of every changed file before
// diffing it (git_diff_driver_lookup: .gitattributes in the worktree, the index, info/attributes,
// the global and system files), which costs most of a 5,000-file diff. When no attributes file
// exists anywhere it could look, every lookup answers "no driver"; then each file pair is diffed
// as buffers without a repository or a path (git_diff_buffers), which skips the lookup and gives
// the same hunks. Those pairs are diffed on every core, each worker reading through its own
// object database (one odb takes its reads in turn).
// Otherwise (or with a submodule in the diff) the diff is walked as before.
#include <git2.h>
#include <sys/stat.h>

#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "orchkit/git/internal.hpp"
#include "orchkit/git/repo.hpp"
#include "orchkit/util/parallel.hpp"

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
};

int on_line(const git_diff_delta* delta, const git_diff_hunk*, const git_diff_line* line, void* payload) {
  if (line->origin != GIT_DIFF_LINE_ADDITION || line->new_lineno <= 0) return 0;
  static_cast<Walk*>(payload)->out->files[delta->new_file.path].push_back(static_cast<uint32_t>(line->new_lineno));
  return 0;
}

// One file pair's added lines, or what stopped it (libgit2's message is kept per thread, so it is
// taken on the thread that failed).
struct PairLines {
  std::vector<uint32_t> lines;
  std::string error;
};

int on_added(const git_diff_delta*, const git_diff_hunk*, const git_diff_line* line, void* payload) {
  if (line->origin == GIT_DIFF_LINE_ADDITION && line->new_lineno > 0)
    static_cast<std::vector<uint32_t>*>(payload)->push_back(static_cast<uint32_t>(line->new_lineno));
  return 0;
}

// A side's blob (none for an added or deleted side); false when it cannot be read as a blob.
bool read_blob(git_odb* odb, const git_diff_file& f, OdbObjectH& blob) {
  if (git_oid_is_zero(&f.id)) return true;
  git_odb_object* o = nullptr;
  if (git_odb_read(&o, odb, &f.id) != 0) return false;
  blob.reset(o);
  if (git_odb_object_type(o) == GIT_OBJECT_BLOB) return true;
  git_error_set_str(GIT_ERROR_OBJECT, "the object is not a blob");
  return false;
}

// The pair diffed as buffers with no repository and no path: libgit2 looks up no attribute
// (git_diff_blobs would, by the blob's repository, under the path "file"). Safe on any thread:
// the odb locks inside (libgit2's docs/threading.md), the rest is this call's own.
PairLines pair_lines(git_odb* odb, const git_diff_delta& d, const git_diff_options& opts) noexcept try {
  PairLines out;
  OdbObjectH old_blob(nullptr), new_blob(nullptr);
  if (!read_blob(odb, d.old_file, old_blob) || !read_blob(odb, d.new_file, new_blob)) {
    const char* path = old_blob || git_oid_is_zero(&d.old_file.id) ? d.new_file.path : d.old_file.path;
    out.error = last_error(std::string("cannot read ") + path);
    return out;
  }
  auto data = [](const OdbObjectH& b) { return b ? static_cast<const char*>(git_odb_object_data(b.get())) : nullptr; };
  auto size = [](const OdbObjectH& b) { return b ? git_odb_object_size(b.get()) : size_t{0}; };
  if (git_diff_buffers(data(old_blob), size(old_blob), nullptr, data(new_blob), size(new_blob), nullptr, &opts, nullptr,
                       nullptr, nullptr, on_added, &out.lines) != 0)
    out.error = last_error(std::string("cannot diff ") + d.new_file.path);
  return out;
} catch (...) {  // only an allocation can throw here
  return {{}, std::string("cannot diff ") + d.new_file.path + ": out of memory"};
}

// Below this many pairs the diff runs on this thread: starting threads costs more than it saves.
constexpr size_t kParallelPairs = 64;

// One object database per worker: libgit2 1.5 holds an odb's lock for the whole of a read (the
// inflate included), so threads sharing one would take turns. Worker 0 uses the repository's;
// the others open the same objects directory (alternates and packs as libgit2 opens them).
// Empty when one cannot be opened: then the diff runs on this thread.
std::vector<OdbH> worker_odbs(git_repository* repo) {
  std::vector<OdbH> odbs;
  odbs.emplace_back(nullptr);  // worker 0's is the repository's
  const std::string objects = std::string(git_repository_commondir(repo)) + "objects";
  for (size_t w = 1; w < parallel_workers(); ++w) {
    git_odb* o = nullptr;
    if (git_odb_open(&o, objects.c_str()) != 0) return {};
    odbs.emplace_back(o);
  }
  return odbs;
}

// Each delta's file pair diffed as buffers, on every core when there are many; the lines join in
// delta order and the first failing pair (in that order) gives the error, as one pass would.
Result<void> blob_lines(git_repository* repo, git_diff* diff, const git_diff_options& opts, ChangedLines& out) {
  std::vector<const git_diff_delta*> pairs;
  for (size_t i = 0, n = git_diff_num_deltas(diff); i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    if (d->status != GIT_DELTA_DELETED && !git_oid_equal(&d->old_file.id, &d->new_file.id)) pairs.push_back(d);
  }
  git_odb* own = nullptr;
  if (git_repository_odb(&own, repo) != 0) return git_fail("cannot open the object database");
  OdbH own_h(own);
  std::vector<PairLines> done(pairs.size());
  bool parallel = false;
  if (pairs.size() >= kParallelPairs) {
    std::vector<OdbH> odbs = worker_odbs(repo);
    auto job = [&](size_t i, size_t w) { done[i] = pair_lines(w == 0 ? own : odbs[w].get(), *pairs[i], opts); };
    parallel = odbs.size() > 1 && run_parallel(pairs.size(), job);
  }
  if (!parallel)
    for (size_t i = 0; i < pairs.size(); ++i) done[i] = pair_lines(own, *pairs[i], opts);
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (!done[i].error.empty()) return fail(Exit::error, done[i].error);
    if (done[i].lines.empty()) continue;  // only removed lines, or a binary pair: no entry, as the walk
    auto& lines = out.files[pairs[i]->new_file.path];
    lines.insert(lines.end(), done[i].lines.begin(), done[i].lines.end());
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
  Walk w{&out};
  if (git_diff_foreach(raw, nullptr, nullptr, nullptr, on_line, &w) != 0) return git_fail("cannot walk the diff");
  return out;
}

}  // namespace orchkit::git
