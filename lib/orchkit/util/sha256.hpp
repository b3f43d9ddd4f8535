// SHA-256 of a file (OpenSSL adapter; the only file that includes openssl headers).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "orchkit/result.hpp"

namespace orchkit {
// Lower-case hex digest of the file's bytes as stored (compressed reports hash compressed).
Result<std::string> sha256_file(const std::string& path);
std::string sha256_hex(std::string_view data);

// An incremental SHA-256: update() with successive bytes, then hex() once.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  std::string hex();  // lower-case hex digest of everything given; call once

 private:
  struct State;
  std::unique_ptr<State> state_;
};
}  // namespace orchkit
