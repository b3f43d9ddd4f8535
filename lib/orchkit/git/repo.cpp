#include "orchkit/git/repo.hpp"

#include <git2.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "orchkit/git/internal.hpp"

namespace orchkit::git {
namespace {

using namespace detail;
using Object = ObjectH;
using Tree = TreeH;
using Diff = DiffH;
using Remote = RemoteH;
using Reference = ReferenceH;

struct Init {
  Init() {
    git_libgit2_init();
    // Objects are not re-hashed on every read (libgit2's default does, git itself does not):
    // patch coverage reads thousands of blobs, and git fsck is the place to find a corrupt one.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    register_tcp_stream();
  }
  ~Init() { git_libgit2_shutdown(); }
};
std::string strip_slash(std::string s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

Unexpected git_fail(const std::string& what) { return fail(Exit::error, last_error(what)); }

}  // namespace

void ensure_init() { static Init init; }

std::string last_error(const std::string& what) {
  const git_error* e = git_error_last();
  return what + ": " + (e && e->message ? e->message : "unknown libgit2 error");
}

Result<Repo> Repo::discover(const std::string& dir) {
  ensure_init();
  git_repository* raw = nullptr;
  int rc = git_repository_open_ext(&raw, dir.c_str(), 0, nullptr);
  Repo repo(raw);
  if (rc != 0)
    return fail(Exit::error, last_error(dir + ": not inside a git repository") + " (run it in a checkout or pass -C)");
  if (git_repository_is_bare(raw))
    return fail(Exit::error, dir + ": a bare repository has no worktree (pass -C a checkout)");
  return repo;
}

Repo::Repo(Repo&& o) noexcept : repo_(o.repo_) { o.repo_ = nullptr; }
Repo& Repo::operator=(Repo&& o) noexcept {
  if (this != &o) {
    if (repo_) git_repository_free(repo_);
    repo_ = o.repo_;
    o.repo_ = nullptr;
  }
  return *this;
}
Repo::~Repo() {
  if (repo_) git_repository_free(repo_);
}

std::string Repo::workdir() const {
  return strip_slash(git_repository_workdir(repo_) ? git_repository_workdir(repo_) : "");
}
std::string Repo::common_dir() const { return strip_slash(git_repository_commondir(repo_)); }

std::string Repo::main_worktree() const {
  std::filesystem::path common(common_dir());
  if (common.filename() == ".git") return common.parent_path().string();
  return workdir();  // separate git dir: the best we know
}

bool Repo::is_shallow() const { return git_repository_is_shallow(repo_) == 1; }

Result<Commit> Repo::resolve(const std::string& rev) {
  git_object* raw = nullptr;
  int rc = git_revparse_single(&raw, repo_, (rev + "^{commit}").c_str());
  Object obj(raw);
  if (rc != 0) return git_fail("cannot resolve '" + rev + "'");
  const git_commit* c = reinterpret_cast<const git_commit*>(raw);
  return Commit{hex(git_commit_id(c)), hex(git_commit_tree_id(c))};
}

Result<Commit> Repo::head() {
  if (git_repository_head_unborn(repo_) == 1) return fail(Exit::error, workdir() + ": HEAD has no commit yet");
  return resolve("HEAD");
}

std::optional<std::string> Repo::head_branch() {
  git_reference* raw = nullptr;
  if (git_repository_head(&raw, repo_) != 0) return std::nullopt;
  Reference ref(raw);
  if (!git_reference_is_branch(raw)) return std::nullopt;
  return std::string(git_reference_shorthand(raw));
}

std::optional<std::string> Repo::origin_owner_name() {
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, repo_, "origin") != 0) return std::nullopt;
  Remote remote(raw);
  const char* url = git_remote_url(raw);
  if (!url) return std::nullopt;
  std::string u(url);
  while (!u.empty() && u.back() == '/') u.pop_back();
  if (u.size() > 4 && u.compare(u.size() - 4, 4, ".git") == 0) u.resize(u.size() - 4);
  size_t slash = u.find_last_of('/');
  if (slash == std::string::npos || slash == 0) return std::nullopt;
  size_t owner_start = u.find_last_of("/:", slash - 1);
  std::string owner = u.substr(owner_start == std::string::npos ? 0 : owner_start + 1,
                               slash - (owner_start == std::string::npos ? 0 : owner_start + 1));
  std::string name = u.substr(slash + 1);
  if (owner.empty() || name.empty()) return std::nullopt;
  return owner + "/" + name;
}

Result<Commit> Repo::target_tip(const std::string& branch, bool prefer_local) {
  std::string remote = "refs/remotes/origin/" + branch, local = "refs/heads/" + branch;
  for (const std::string& ref :
       prefer_local ? std::vector<std::string>{local, remote} : std::vector<std::string>{remote, local}) {
    git_reference* raw = nullptr;
    if (git_reference_lookup(&raw, repo_, ref.c_str()) == 0) {
      Reference r(raw);
      return resolve(ref);
    }
  }
  return fail(Exit::error, "target branch '" + branch + "' not found as origin/" + branch +
                               " or a local branch (fetch it, or pass --target)");
}

bool Repo::has_remote(const std::string& name) {
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, repo_, name.c_str()) != 0) return false;
  git_remote_free(raw);
  return true;
}

namespace {
struct FetchPayload {
  int auth_attempts = 0;
};

}  // namespace

Result<void> Repo::fetch(const std::string& remote_name, const std::string& branch) {
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, repo_, remote_name.c_str()) != 0) return git_fail("no remote '" + remote_name + "'");
  Remote remote(raw);
  FetchPayload payload;
  git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
  opts.callbacks.credentials = token_credentials<FetchPayload>;
  opts.callbacks.payload = &payload;
  std::string spec = "+refs/heads/" + branch + ":refs/remotes/" + remote_name + "/" + branch;
  char* specs[] = {spec.data()};
  git_strarray refspecs = {specs, 1};
  if (git_remote_fetch(raw, &refspecs, &opts, nullptr) != 0) {
    if (payload.auth_attempts > 1)
      return fail(Exit::error, "fetch " + remote_name + ": authentication failed (check GITEA_TOKEN)");
    return git_fail("fetch " + remote_name + "/" + branch);
  }
  return {};
}

Result<std::string> Repo::merge_base(const std::string& a, const std::string& b) {
  if (is_shallow())
    return fail(Exit::error,
                workdir() + ": shallow clone: libgit2 1.5 cannot walk it (check out full history: fetch-depth: 0)");
  git_oid oa, ob, out;
  if (git_oid_fromstr(&oa, a.c_str()) != 0 || git_oid_fromstr(&ob, b.c_str()) != 0)
    return fail(Exit::error, "merge-base: not a commit id");
  if (git_merge_base(&out, repo_, &oa, &ob) != 0) return git_fail("no merge-base between " + a + " and " + b);
  return hex(&out);
}

Result<bool> Repo::contains(const std::string& descendant, const std::string& ancestor) {
  if (is_shallow())
    return fail(Exit::error,
                workdir() + ": shallow clone: libgit2 1.5 cannot walk it (check out full history: fetch-depth: 0)");
  git_oid d, a;
  if (git_oid_fromstr(&d, descendant.c_str()) != 0 || git_oid_fromstr(&a, ancestor.c_str()) != 0)
    return fail(Exit::error, "not a commit id");
  if (git_oid_equal(&d, &a)) return true;  // git_graph_descendant_of is not reflexive
  int rc = git_graph_descendant_of(repo_, &d, &a);
  if (rc < 0) return git_fail("cannot walk history");
  return rc == 1;
}

}  // namespace orchkit::git
