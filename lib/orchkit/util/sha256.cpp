#include "orchkit/util/sha256.hpp"

#include <openssl/evp.h>

#include <new>

#include "orchkit/util/file.hpp"
#include "orchkit/util/handle.hpp"

namespace orchkit {
namespace {
using Ctx = Handle<EVP_MD_CTX, EVP_MD_CTX_free>;

std::string to_hex(const unsigned char* d, unsigned n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    out += digits[d[i] >> 4];
    out += digits[d[i] & 15];
  }
  return out;
}
}  // namespace

Result<std::string> sha256_file(const std::string& path) {
  Ctx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    return fail(Exit::error, "sha256: cannot start");
  ORCHKIT_CHECK(read_chunks(path, 1 << 20, [&](std::string_view c) -> Result<void> {
    EVP_DigestUpdate(ctx.get(), c.data(), c.size());
    return {};
  }));
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &n);
  return to_hex(md, n);
}

struct Sha256::State {
  Ctx ctx{EVP_MD_CTX_new()};
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  if (!state_->ctx || EVP_DigestInit_ex(state_->ctx.get(), EVP_sha256(), nullptr) != 1) throw std::bad_alloc();
}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view bytes) { EVP_DigestUpdate(state_->ctx.get(), bytes.data(), bytes.size()); }

std::string Sha256::hex() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  EVP_DigestFinal_ex(state_->ctx.get(), md, &n);
  return to_hex(md, n);
}

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
  return to_hex(md, n);
}
}  // namespace orchkit
