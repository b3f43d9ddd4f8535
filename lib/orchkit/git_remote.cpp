// libgit2 adapter, continued: reading a remote's refs and deleting a remote branch by a
// non-force push whose per-ref result is checked (stop-task's step 6).
#include <git2.h>

#include <cstdlib>

#include "orchkit/git.hpp"
#include "orchkit/git_internal.hpp"

namespace orchkit::git {
namespace {
using namespace detail;

struct Payload {
  int auth_attempts = 0;
  std::string expected;  // the remote tip we agreed to delete
  std::string dst;       // refs/heads/<branch>
  bool negotiated_mismatch = false;
  bool reported = false;
  std::string rejection;
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
  std::string refspec = ":refs/heads/" + branch;
  if (refspec[0] != ':') return fail(Exit::refused, "internal: refusing a refspec that is not a delete");  // never '+'
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, repo_, remote_name.c_str()) != 0)
    return fail(Exit::error, last_error("no remote '" + remote_name + "'"));
  RemoteH remote(raw);
  Payload payload;
  payload.expected = expected_oid;
  payload.dst = "refs/heads/" + branch;
  git_push_options opts = GIT_PUSH_OPTIONS_INIT;
  opts.callbacks.credentials = token_credentials<Payload>;
  opts.callbacks.payload = &payload;
  opts.callbacks.push_negotiation = [](const git_push_update** updates, size_t len, void* data) -> int {
    auto* p = static_cast<Payload*>(data);
    for (size_t i = 0; i < len; ++i) {
      if (updates[i]->dst_refname != p->dst) continue;
      if (hex(&updates[i]->src) != p->expected) {
        p->negotiated_mismatch = true;
        return GIT_EUSER;  // the branch moved: do not delete what we did not look at
      }
    }
    return 0;
  };
  opts.callbacks.push_update_reference = [](const char* refname, const char* status, void* data) -> int {
    auto* p = static_cast<Payload*>(data);
    if (p->dst == refname) {
      p->reported = true;
      if (status) p->rejection = status;
    }
    return 0;
  };
  char* specs[] = {refspec.data()};
  git_strarray refspecs = {specs, 1};
  int rc = git_remote_push(raw, &refspecs, &opts);
  PushResult out;
  if (payload.negotiated_mismatch) {
    out.message =
        "the remote branch moved since it was read (expected " + expected_oid.substr(0, 12) + "); not deleted";
    return out;
  }
  if (rc != 0) {
    out.message = last_error("push " + refspec);
    return out;
  }
  // git_remote_push returns 0 even when the server rejects the ref: the callback tells.
  if (!payload.rejection.empty()) {
    out.message = "the server rejected the delete: " + payload.rejection;
    return out;
  }
  out.ok = true;
  return out;
}

}  // namespace orchkit::git
