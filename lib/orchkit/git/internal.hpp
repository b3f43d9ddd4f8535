// Private to the libgit2 adapter files (git.cpp, git_worktree.cpp, git_remote.cpp, git_tree.cpp,
// git_diff.cpp, git_history.cpp, git_commit.cpp, git_stream.cpp): the handle types, oid formatting
// and the one credential rule they share. Nothing else includes it.
#pragma once

#include <git2.h>

#include <cstdlib>
#include <string>

#include "orchkit/git/repo.hpp"
#include "orchkit/util/handle.hpp"

namespace orchkit::git::detail {

using ObjectH = Handle<git_object, git_object_free>;
using CommitH = Handle<git_commit, git_commit_free>;
using TreeH = Handle<git_tree, git_tree_free>;
using DiffH = Handle<git_diff, git_diff_free>;
using RemoteH = Handle<git_remote, git_remote_free>;
using ReferenceH = Handle<git_reference, git_reference_free>;
using RepoH = Handle<git_repository, git_repository_free>;
using WorktreeH = Handle<git_worktree, git_worktree_free>;
using BlobH = Handle<git_blob, git_blob_free>;
using IndexH = Handle<git_index, git_index_free>;
using ConfigH = Handle<git_config, git_config_free>;
using OdbH = Handle<git_odb, git_odb_free>;
using OdbObjectH = Handle<git_odb_object, git_odb_object_free>;

inline std::string hex(const git_oid* oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, oid);
  return buf;
}

// https credentials from GITEA_TOKEN, tried once: libgit2 calls the callback again after every
// rejection, which would loop on a bad token. `Payload` counts attempts in `auth_attempts`.
template <class Payload>
int token_credentials(git_credential** out, const char*, const char*, unsigned int allowed, void* payload) {
  auto* p = static_cast<Payload*>(payload);
  const char* token = std::getenv("GITEA_TOKEN");
  if (++p->auth_attempts > 1 || !token || !*token || !(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT)) return GIT_EUSER;
  return git_credential_userpass_plaintext_new(out, "oauth2", token);
}

// One non-force push of `refspec` (git_commit.cpp), only while the remote's `dst` is still
// `expected_sha` ("" = absent): the compare-and-set behind the state branch and the delete of a
// task's remote branch. A refspec starting with '+' is refused.
Result<PushOutcome> push_ref(git_repository* repo, const std::string& remote, const std::string& refspec,
                             const std::string& dst, const std::string& expected_sha);

// Registers git_stream.cpp's TCP stream (TCP_NODELAY, TCP_QUICKACK) for every connection.
void register_tcp_stream();

}  // namespace orchkit::git::detail
