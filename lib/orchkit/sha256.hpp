// SHA-256 of a file (OpenSSL adapter; the only file that includes openssl headers).
#pragma once

#include <string>

#include "orchkit/result.hpp"

namespace orchkit {
// Lower-case hex digest of the file's bytes as stored (compressed reports hash compressed).
Result<std::string> sha256_file(const std::string& path);
std::string sha256_hex(std::string_view data);
}  // namespace orchkit
