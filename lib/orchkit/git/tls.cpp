// libgit2's CA bundle, parsed when it is first needed (static libgit2 only, CMakeLists.txt).
// git_libgit2_init() loads the system bundle (/etc/ssl/certs/ca-certificates.crt, ~140
// certificates) into the TLS configuration at once: ~6 ms before any command can open a
// repository, paid by every hook although TLS is used only by an https remote. The link wraps
// three mbedTLS calls: the first bundle parse (init's) only records the chain and the path; the
// parse runs into that same chain on the first TLS session set up (mbedtls_ssl_setup), so a
// handshake verifies exactly as before. A chain freed before (libgit2_shutdown, a replaced
// location) is forgotten. Later parses (GIT_OPT_SET_SSL_CERT_LOCATIONS) run at once.
#include "orchkit/git/tls.hpp"

#if defined(ORCHKIT_STATIC_GIT)
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include <mutex>
#include <string>

extern "C" {
int __real_mbedtls_x509_crt_parse_file(mbedtls_x509_crt* chain, const char* path);
void __real_mbedtls_x509_crt_free(mbedtls_x509_crt* crt);
int __real_mbedtls_ssl_setup(mbedtls_ssl_context* ssl, const mbedtls_ssl_config* conf);
int __wrap_mbedtls_x509_crt_parse_file(mbedtls_x509_crt* chain, const char* path);
void __wrap_mbedtls_x509_crt_free(mbedtls_x509_crt* crt);
int __wrap_mbedtls_ssl_setup(mbedtls_ssl_context* ssl, const mbedtls_ssl_config* conf);
}

namespace {

struct Pending {
  std::mutex mutex;
  bool deferred = false;  // the first parse (git_libgit2_init's) was deferred
  mbedtls_x509_crt* chain = nullptr;
  std::string path;
  bool parsed = false;
  int certificates = 0;
};

Pending& pending() {
  static Pending p;
  return p;
}

}  // namespace

extern "C" int __wrap_mbedtls_x509_crt_parse_file(mbedtls_x509_crt* chain, const char* path) {
  Pending& p = pending();
  {
    std::lock_guard<std::mutex> lock(p.mutex);
    if (!p.deferred && path) {
      p.deferred = true;
      p.chain = chain;
      p.path = path;
      return 0;
    }
  }
  return __real_mbedtls_x509_crt_parse_file(chain, path);
}

extern "C" void __wrap_mbedtls_x509_crt_free(mbedtls_x509_crt* crt) {
  {
    Pending& p = pending();
    std::lock_guard<std::mutex> lock(p.mutex);
    if (crt && crt == p.chain) p.chain = nullptr;
  }
  __real_mbedtls_x509_crt_free(crt);
}

extern "C" int __wrap_mbedtls_ssl_setup(mbedtls_ssl_context* ssl, const mbedtls_ssl_config* conf) {
  {
    Pending& p = pending();
    std::lock_guard<std::mutex> lock(p.mutex);
    // A bundle that does not parse leaves the chain as init would have: without it, so the
    // handshake fails verification, as it did before.
    if (p.chain) {
      (void)__real_mbedtls_x509_crt_parse_file(p.chain, p.path.c_str());
      p.parsed = true;
      for (const mbedtls_x509_crt* c = p.chain; c && c->raw.len; c = c->next) ++p.certificates;
    }
    p.chain = nullptr;
  }
  return __real_mbedtls_ssl_setup(ssl, conf);
}

orchkit::git_tls::CaState orchkit::git_tls::ca_state() {
  Pending& p = pending();
  std::lock_guard<std::mutex> lock(p.mutex);
  return {p.deferred, p.parsed, p.certificates};
}
#else
orchkit::git_tls::CaState orchkit::git_tls::ca_state() { return {}; }
#endif
