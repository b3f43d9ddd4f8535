// GSSAPI for a static libgit2 (CMakeLists.txt), loaded on first use. libgit2's HTTP "Negotiate"
// authentication (Kerberos, auth_negotiate.c) is its only user of libgssapi_krb5, whose shared
// tree (krb5, k5crypto, com_err, krb5support, keyutils, resolv) would otherwise be mapped at
// every start. These are its nine symbols, forwarding to the library opened with dlopen() the
// first time an https remote asks for Negotiate; without the library they answer
// GSS_S_FAILURE, as a server without Kerberos would leave the handshake: not authenticated.
// Declared here from RFC 2744 (the C bindings) with opaque handles: the headers (libkrb5-dev)
// are not a build dependency.
#if defined(ORCHKIT_STATIC_GIT)
#include <dlfcn.h>

#include <cstdint>
#include <mutex>

namespace {

using OM_uint32 = uint32_t;
constexpr OM_uint32 kFailure = 13u << 16;  // GSS_S_FAILURE

void* library() {
  static void* handle = nullptr;
  static std::once_flag once;
  std::call_once(once, [] { handle = ::dlopen("libgssapi_krb5.so.2", RTLD_NOW | RTLD_LOCAL); });
  return handle;
}

template <class F>
F resolve(const char* name) {
  void* h = library();
  return h ? reinterpret_cast<F>(::dlsym(h, name)) : nullptr;
}

OM_uint32 fail(OM_uint32* minor) {
  if (minor) *minor = 0;
  return kFailure;
}

}  // namespace

extern "C" {

// The OID libgit2 passes to gss_import_name; replaced by the library's own in the call below.
void* GSS_C_NT_HOSTBASED_SERVICE = nullptr;

OM_uint32 gss_indicate_mechs(OM_uint32* minor, void** mech_set) {
  static auto f = resolve<OM_uint32 (*)(OM_uint32*, void**)>("gss_indicate_mechs");
  return f ? f(minor, mech_set) : fail(minor);
}

OM_uint32 gss_import_name(OM_uint32* minor, void* name_buffer, void* name_type, void** output_name) {
  static auto f = resolve<OM_uint32 (*)(OM_uint32*, void*, void*, void**)>("gss_import_name");
  if (!f) return fail(minor);
  if (name_type == nullptr || name_type == GSS_C_NT_HOSTBASED_SERVICE) {
    auto* real = resolve<void**>("GSS_C_NT_HOSTBASED_SERVICE");
    name_type = real ? *real : nullptr;
  }
  return f(minor, name_buffer, name_type, output_name);
}

OM_uint32 gss_init_sec_context(OM_uint32* minor, void* cred, void** context, void* target, void* mech,
                               OM_uint32 req_flags, OM_uint32 time_req, void* bindings, void* input_token,
                               void** actual_mech, void* output_token, OM_uint32* ret_flags, OM_uint32* time_rec) {
  static auto f = resolve<OM_uint32 (*)(OM_uint32*, void*, void**, void*, void*, OM_uint32, OM_uint32, void*, void*,
                                        void**, void*, OM_uint32*, OM_uint32*)>("gss_init_sec_context");
  return f ? f(minor, cred, context, target, mech, req_flags, time_req, bindings, input_token, actual_mech,
               output_token, ret_flags, time_rec)
           : fail(minor);
}

OM_uint32 gss_delete_sec_context(OM_uint32* minor, void** context, void* output_token) {
  static auto f = resolve<OM_uint32 (*)(OM_uint32*, void**, void*)>("gss_delete_sec_context");
  return f ? f(minor, context, output_token) : fail(minor);
}

OM_uint32 gss_display_status(OM_uint32* minor, OM_uint32 status, int status_type, void* mech, OM_uint32* context,
                             void* status_string) {
  static auto f = resolve<OM_uint32 (*)(OM_uint32*, OM_uint32, int, void*, OM_uint32*, void*)>("gss_display_status");
  return f ? f(minor, status, status_type, mech, context, status_string) : fail(minor);
}

OM_uint32 gss_release_buffer(OM_uint32* minor, void* buffer) {
  static auto f = resolve<OM_uint32 (*)(OM_uint32*, void*)>("gss_release_buffer");
  return f ? f(minor, buffer) : fail(minor);
}

OM_uint32 gss_release_name(OM_uint32* minor, void** name) {
  static auto f = resolve<OM_uint32 (*)(OM_uint32*, void**)>("gss_release_name");
  return f ? f(minor, name) : fail(minor);
}

OM_uint32 gss_release_oid_set(OM_uint32* minor, void** set) {
  static auto f = resolve<OM_uint32 (*)(OM_uint32*, void**)>("gss_release_oid_set");
  return f ? f(minor, set) : fail(minor);
}

}  // extern "C"
#endif
