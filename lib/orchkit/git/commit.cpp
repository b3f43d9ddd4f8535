// libgit2 adapter, part 6: the plumbing of the state branch (docs/state.md) — fetch one
// branch's tip over one connection, read a folder of a commit, write a commit from tree
// changes without touching any ref, and push it with receive-pack's compare-and-set.
#include <git2.h>
#include <unistd.h>

#include <atomic>

#include "orchkit/git/internal.hpp"
#include "orchkit/git/repo.hpp"

namespace orchkit::git {
namespace {
using namespace detail;

struct Payload {
  int auth_attempts = 0;
  std::string dst;       // refs/heads/<branch>
  std::string expected;  // the remote tip our commit is built on; "" = none
  bool moved = false;
  std::string status;  // the server's per-ref answer ("" = accepted)
  bool reported = false;
};

Result<RemoteH> lookup(git_repository* repo, const std::string& name) {
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, repo, name.c_str()) != 0)
    return fail(Exit::error, last_error("no remote '" + name + "'"));
  return RemoteH(raw);
}

// A per-ref answer of receive-pack that means "the ref is not where you thought": fetch again.
bool means_moved(const std::string& status) {
  for (const char* s : {"lock", "expected", "already exists", "non-fast-forward", "fetch first", "stale"})
    if (status.find(s) != std::string::npos) return true;
  return status == "failed to update ref";
}

}  // namespace

Result<std::optional<std::string>> Repo::fetch_tip(const std::string& remote_name, const std::string& branch) {
  ORCHKIT_TRY(remote, lookup(repo_, remote_name));
  Payload payload;
  git_remote_callbacks cbs = GIT_REMOTE_CALLBACKS_INIT;
  cbs.credentials = token_credentials<Payload>;
  cbs.payload = &payload;
  if (git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &cbs, nullptr, nullptr) != 0)
    return fail(Exit::error, last_error("cannot reach remote '" + remote_name + "'"));
  const git_remote_head** heads = nullptr;
  size_t n = 0;
  if (git_remote_ls(&heads, &n, remote.get()) != 0)
    return fail(Exit::error, last_error("cannot list the refs of '" + remote_name + "'"));
  const std::string want = "refs/heads/" + branch;
  std::optional<git_oid> tip;
  for (size_t i = 0; i < n; ++i)
    if (want == heads[i]->name) tip = heads[i]->oid;
  if (!tip) {
    git_remote_disconnect(remote.get());
    return std::optional<std::string>{};
  }
  const std::string sha = hex(&*tip);
  if (!has_object(sha)) {
    std::string spec = "+" + want + ":refs/remotes/" + remote_name + "/" + branch;
    char* specs[] = {spec.data()};
    git_strarray refspecs = {specs, 1};
    git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
    opts.callbacks = cbs;
    if (git_remote_download(remote.get(), &refspecs, &opts) != 0)
      return fail(Exit::error, last_error("cannot fetch " + remote_name + "/" + branch));
  }
  git_remote_disconnect(remote.get());
  // The remote-tracking ref is for people (git log origin/orchkit/state); a concurrent fetch
  // in the same clone may hold its lock, and the tip we return is what counts.
  git_reference* ref = nullptr;
  if (git_reference_create(&ref, repo_, ("refs/remotes/" + remote_name + "/" + branch).c_str(), &*tip, 1,
                           "orchkit: state fetch") == 0)
    git_reference_free(ref);
  return std::optional<std::string>(sha);
}

Result<std::map<std::string, std::string>> Repo::read_dir(const std::string& commit_sha, const std::string& dir) {
  std::map<std::string, std::string> out;
  git_oid oid;
  git_commit* c = nullptr;
  if (git_oid_fromstr(&oid, commit_sha.c_str()) != 0 || git_commit_lookup(&c, repo_, &oid) != 0)
    return fail(Exit::error, last_error("cannot read commit " + commit_sha));
  CommitH commit(c);
  git_tree* t = nullptr;
  if (git_commit_tree(&t, c) != 0) return fail(Exit::error, last_error("cannot read the tree of " + commit_sha));
  TreeH root(t);
  git_tree_entry* e = nullptr;
  if (git_tree_entry_bypath(&e, t, dir.c_str()) != 0) return out;
  Handle<git_tree_entry, git_tree_entry_free> entry(e);
  if (git_tree_entry_type(e) != GIT_OBJECT_TREE) return out;
  git_tree* sub = nullptr;
  if (git_tree_lookup(&sub, repo_, git_tree_entry_id(e)) != 0)
    return fail(Exit::error, last_error("cannot read " + dir + " in " + commit_sha));
  TreeH subtree(sub);
  struct Walk {
    git_repository* repo;
    std::map<std::string, std::string>* out;
    bool failed = false;
  } walk{repo_, &out};
  auto cb = [](const char* prefix, const git_tree_entry* item, void* payload) -> int {
    auto* w = static_cast<Walk*>(payload);
    if (git_tree_entry_type(item) != GIT_OBJECT_BLOB) return 0;
    git_blob* b = nullptr;
    if (git_blob_lookup(&b, w->repo, git_tree_entry_id(item)) != 0) {
      w->failed = true;
      return -1;
    }
    BlobH blob(b);
    (*w->out)[std::string(prefix) + git_tree_entry_name(item)] =
        std::string(static_cast<const char*>(git_blob_rawcontent(b)), static_cast<size_t>(git_blob_rawsize(b)));
    return 0;
  };
  if (git_tree_walk(sub, GIT_TREEWALK_PRE, cb, &walk) != 0 || walk.failed)
    return fail(Exit::error, last_error("cannot read " + dir + " in " + commit_sha));
  return out;
}

Result<std::string> Repo::commit_changes(const std::string& parent_sha, const std::vector<TreeChange>& changes,
                                         const std::string& message, const std::string& author, bool replace) {
  TreeH base;
  CommitH parent;
  if (!parent_sha.empty()) {
    git_oid oid;
    git_commit* c = nullptr;
    if (git_oid_fromstr(&oid, parent_sha.c_str()) != 0 || git_commit_lookup(&c, repo_, &oid) != 0)
      return fail(Exit::error, last_error("cannot read commit " + parent_sha));
    parent.reset(c);
  }
  if (parent && !replace) {
    git_tree* t = nullptr;
    if (git_commit_tree(&t, parent.get()) != 0)
      return fail(Exit::error, last_error("cannot read the tree of " + parent_sha));
    base.reset(t);
  } else {
    git_treebuilder* tb = nullptr;
    git_oid empty;
    if (git_treebuilder_new(&tb, repo_, nullptr) != 0) return fail(Exit::error, last_error("cannot build a tree"));
    int rc = git_treebuilder_write(&empty, tb);
    git_treebuilder_free(tb);
    git_tree* t = nullptr;
    if (rc != 0 || git_tree_lookup(&t, repo_, &empty) != 0)
      return fail(Exit::error, last_error("cannot write the empty tree"));
    base.reset(t);
  }
  std::vector<git_tree_update> updates;
  updates.reserve(changes.size());
  for (const auto& ch : changes) {
    git_tree_update u{};
    u.path = ch.path.c_str();
    if (ch.content) {
      if (git_blob_create_from_buffer(&u.id, repo_, ch.content->data(), ch.content->size()) != 0)
        return fail(Exit::error, last_error("cannot write " + ch.path));
      u.action = GIT_TREE_UPDATE_UPSERT;
      u.filemode = GIT_FILEMODE_BLOB;
    } else {
      git_tree_entry* e = nullptr;
      if (git_tree_entry_bypath(&e, base.get(), ch.path.c_str()) != 0) continue;  // already absent
      git_tree_entry_free(e);
      u.action = GIT_TREE_UPDATE_REMOVE;
    }
    updates.push_back(u);
  }
  git_oid tree_oid;
  if (git_tree_create_updated(&tree_oid, repo_, base.get(), updates.size(), updates.data()) != 0)
    return fail(Exit::error, last_error("cannot write the state tree"));
  git_tree* t = nullptr;
  if (git_tree_lookup(&t, repo_, &tree_oid) != 0) return fail(Exit::error, last_error("cannot read the new tree"));
  TreeH tree(t);
  git_signature* sig = nullptr;
  if (git_signature_now(&sig, author.empty() ? "orchkit" : author.c_str(), "orchkit@localhost") != 0)
    return fail(Exit::error, last_error("cannot make a signature"));
  Handle<git_signature, git_signature_free> signature(sig);
  const git_commit* parents[] = {parent.get()};
  git_oid out;
  if (git_commit_create(&out, repo_, nullptr, sig, sig, nullptr, message.c_str(), t, parent ? 1 : 0, parents) != 0)
    return fail(Exit::error, last_error("cannot write a state commit"));
  return hex(&out);
}

Result<PushOutcome> detail::push_ref(git_repository* repo, const std::string& remote_name, const std::string& refspec,
                                     const std::string& dst, const std::string& expected_sha) {
  // before the remote is even looked up: nothing of a forced push is ever started
  if (refspec.empty() || refspec[0] == '+') return fail(Exit::refused, "internal: refusing a forced push");
  ORCHKIT_TRY(remote, lookup(repo, remote_name));
  Payload payload;
  payload.dst = dst;
  payload.expected = expected_sha;
  git_push_options opts = GIT_PUSH_OPTIONS_INIT;
  opts.callbacks.credentials = token_credentials<Payload>;
  opts.callbacks.payload = &payload;
  opts.callbacks.push_negotiation = [](const git_push_update** updates, size_t len, void* data) -> int {
    auto* p = static_cast<Payload*>(data);
    for (size_t i = 0; i < len; ++i) {
      if (updates[i]->dst_refname != p->dst) continue;
      const std::string now = git_oid_is_zero(&updates[i]->src) ? std::string() : hex(&updates[i]->src);
      if (now != p->expected) {
        p->moved = true;
        return GIT_EUSER;
      }
    }
    return 0;
  };
  opts.callbacks.push_update_reference = [](const char* refname, const char* status, void* data) -> int {
    auto* p = static_cast<Payload*>(data);
    if (p->dst == refname) {
      p->reported = true;
      if (status) p->status = status;
    }
    return 0;
  };
  std::string spec = refspec;
  char* specs[] = {spec.data()};
  git_strarray refspecs = {specs, 1};
  // Upload only: git_remote_push would also update this clone's remote-tracking refs, and a lock
  // left there by a killed process would turn a push that landed into an error. Callers set the
  // tracking ref themselves, best effort.
  int rc = git_remote_upload(remote.get(), &refspecs, &opts);
  PushOutcome out;
  if (payload.moved || rc == GIT_ENONFASTFORWARD) {
    out.status = PushStatus::moved;
  } else if (rc != 0) {
    out.status = PushStatus::denied;
    out.message = last_error("push");
  } else if (!payload.status.empty()) {
    out.status = means_moved(payload.status) ? PushStatus::moved : PushStatus::refused;
    out.message = payload.status;
  } else if (!payload.reported) {
    out.message = "the server did not report the ref";
  } else {
    out.status = PushStatus::ok;
  }
  return out;
}

Result<PushOutcome> Repo::push_commit(const std::string& remote_name, const std::string& sha, const std::string& branch,
                                      const std::string& expected_sha) {
  // libgit2 pushes references, not bare ids: a private ref of this process names the commit.
  static std::atomic<int> seq{0};
  const std::string local = "refs/orchkit/push/" + std::to_string(::getpid()) + "-" + std::to_string(++seq);
  git_oid oid;
  git_reference* ref = nullptr;
  if (git_oid_fromstr(&oid, sha.c_str()) != 0 ||
      git_reference_create(&ref, repo_, local.c_str(), &oid, 1, "orchkit: state push") != 0)
    return fail(Exit::error, last_error("cannot name the state commit for the push"));
  ReferenceH named(ref);
  // never '+': a push that is not a fast-forward fails
  auto out = push_ref(repo_, remote_name, local + ":refs/heads/" + branch, "refs/heads/" + branch, expected_sha);
  git_reference_delete(ref);
  if (out && out->status == PushStatus::ok) {
    git_reference* tracking = nullptr;
    if (git_reference_create(&tracking, repo_, ("refs/remotes/" + remote_name + "/" + branch).c_str(), &oid, 1,
                             "orchkit: state push") == 0)
      git_reference_free(tracking);
  }
  return out;
}

}  // namespace orchkit::git
