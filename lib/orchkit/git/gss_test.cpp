// The GSSAPI forwarders of a static libgit2 (git_gss.cpp): the real library's answers when it is
// installed, GSS_S_FAILURE (never a crash) when it is not.
#include <dlfcn.h>

#include <catch2/catch.hpp>
#include <cstdint>

#if defined(ORCHKIT_STATIC_GIT)
extern "C" uint32_t gss_indicate_mechs(uint32_t* minor, void** mech_set);
extern "C" uint32_t gss_release_oid_set(uint32_t* minor, void** set);

TEST_CASE("git gss: forwarded to libgssapi_krb5 on first use, or a failure without it", "[git][gss]") {
  uint32_t minor = 7;
  void* mechs = nullptr;
  const uint32_t major = gss_indicate_mechs(&minor, &mechs);
  void* lib = ::dlopen("libgssapi_krb5.so.2", RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
  if (lib) {
    CHECK(major == 0);  // GSS_S_COMPLETE from the real library
    CHECK(mechs != nullptr);
    CHECK(gss_release_oid_set(&minor, &mechs) == 0);
    ::dlclose(lib);
  } else {
    CHECK(major == (13u << 16));  // GSS_S_FAILURE
    CHECK(minor == 0);
  }
}
#endif
