// libgit2 adapter, continued: reading a remote's refs and deleting a remote branch by a
// non-force push whose per-ref result is checked (stop-task's step 6; the push is push_ref in
// git_commit.cpp, the state branch's compare-and-set).
#include <git2.h>

#include <cstdlib>

#include "orchkit/git/internal.hpp"
#include "orchkit/git/repo.hpp"

namespace orchkit::git {
namespace {
using namespace detail;

struct Payload {
  int auth_attempts = 0;
};

struct Connected {
  RemoteH remote;
  Payload payload;
  git_remote_callbacks cbs = GIT_REMOTE_CALLBACKS_INIT;
};

Result<void> connect(git_repository* repo, const std::string& name, Connected& c) {
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, repo, name.c_str()) != 0)
    return fail(Exit::error, last_error("no remote '" + name + "'"));
  c.remote.reset(raw);
  c.cbs.credentials = token_credentials<Payload>;
  c.cbs.payload = &c.payload;
  if (git_remote_connect(raw, GIT_DIRECTION_FETCH, &c.cbs, nullptr, nullptr) != 0)
    return fail(Exit::error, last_error("cannot reach remote '" + name + "'"));
  return {};
}
}  // namespace

Result<std::vector<RemoteRef>> Repo::ls_remote(const std::string& remote) {
  Connected c;
  ORCHKIT_CHECK(connect(repo_, remote, c));
  const git_remote_head** heads = nullptr;
  size_t n = 0;
  if (git_remote_ls(&heads, &n, c.remote.get()) != 0) return fail(Exit::error, last_error("cannot list remote refs"));
  std::vector<RemoteRef> out;
  for (size_t i = 0; i < n; ++i) out.push_back({heads[i]->name, hex(&heads[i]->oid)});
  git_remote_disconnect(c.remote.get());
  return out;
}

Result<std::optional<std::string>> Repo::remote_default_branch(const std::string& remote) {
  Connected c;
  ORCHKIT_CHECK(connect(repo_, remote, c));
  git_buf buf = GIT_BUF_INIT;
  int rc = git_remote_default_branch(&buf, c.remote.get());
  std::optional<std::string> out;
  if (rc == 0 && buf.ptr) {
    std::string ref = buf.ptr;
    if (ref.rfind("refs/heads/", 0) == 0) out = ref.substr(11);
  }
  git_buf_dispose(&buf);
  git_remote_disconnect(c.remote.get());
  return out;
}

Result<PushResult> Repo::delete_remote_branch(const std::string& remote_name, const std::string& branch,
                                              const std::string& expected_oid) {
  if (!valid_branch_name(branch)) return fail(Exit::refused, "'" + branch + "' is not a valid branch name");
  const std::string dst = "refs/heads/" + branch;
  ORCHKIT_TRY(pushed, push_ref(repo_, remote_name, ":" + dst, dst, expected_oid));
  PushResult out;
  switch (pushed.status) {
    case PushStatus::ok: {
      out.ok = true;
      git_reference* tracking = nullptr;  // what git push does with a deleted branch's tracking ref
      if (git_reference_lookup(&tracking, repo_, ("refs/remotes/" + remote_name + "/" + branch).c_str()) == 0) {
        git_reference_delete(tracking);
        git_reference_free(tracking);
      }
      break;
    }
    case PushStatus::moved:
      out.message =
          "the remote branch moved since it was read (expected " + expected_oid.substr(0, 12) + "); not deleted";
      break;
    case PushStatus::denied: out.message = pushed.message + " (push :" + dst + ")"; break;
    case PushStatus::refused: out.message = "the server rejected the delete: " + pushed.message; break;
  }
  return out;
}

}  // namespace orchkit::git
