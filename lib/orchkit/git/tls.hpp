// What became of libgit2's CA bundle (git_tls.cpp): deferred by git_libgit2_init(), parsed on
// the first TLS session. For tests and `--version`-style diagnostics; always "not deferred" with
// a shared libgit2.
#pragma once

namespace orchkit::git_tls {

struct CaState {
  bool deferred = false;  // init's parse was recorded instead of run
  bool parsed = false;    // ... and has run since, on the first TLS session
  int certificates = 0;   // in the chain it filled
};
CaState ca_state();

}  // namespace orchkit::git_tls
