// The deferred CA bundle (git_tls.cpp) against a real parse of the same file: after the first TLS
// session is set up, libgit2's chain holds every certificate the bundle has.
#include "orchkit/git/tls.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

#include "orchkit/git/repo.hpp"

#if defined(ORCHKIT_STATIC_GIT)
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

extern "C" int __real_mbedtls_x509_crt_parse_file(mbedtls_x509_crt* chain, const char* path);

TEST_CASE("git tls: the CA bundle is parsed on the first TLS session, all of it", "[git][tls]") {
  auto repo = orchkit::git::Repo::discover(".");  // any libgit2 use runs git_libgit2_init()
  (void)repo;
  auto before = orchkit::git_tls::ca_state();
  if (!std::filesystem::exists("/etc/ssl/certs/ca-certificates.crt")) {  // no bundle: nothing to defer
    CHECK_FALSE(before.deferred);
    return;
  }
  REQUIRE(before.deferred);  // init did not pay for the bundle
  if (!before.parsed) {
    mbedtls_ssl_config conf;
    mbedtls_ssl_config_init(&conf);
    REQUIRE(mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                        MBEDTLS_SSL_PRESET_DEFAULT) == 0);
    mbedtls_ssl_context ssl;
    mbedtls_ssl_init(&ssl);
    (void)mbedtls_ssl_setup(&ssl, &conf);  // the first session: the bundle is parsed now
    mbedtls_ssl_free(&ssl);
    mbedtls_ssl_config_free(&conf);
  }
  auto after = orchkit::git_tls::ca_state();
  CHECK(after.parsed);
  mbedtls_x509_crt direct;
  mbedtls_x509_crt_init(&direct);
  REQUIRE(__real_mbedtls_x509_crt_parse_file(&direct, "/etc/ssl/certs/ca-certificates.crt") >= 0);
  int n = 0;
  for (const mbedtls_x509_crt* c = &direct; c && c->raw.len; c = c->next) ++n;
  mbedtls_x509_crt_free(&direct);
  CHECK(n > 50);
  CHECK(after.certificates == n);
}
#endif
