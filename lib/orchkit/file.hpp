// Files as orchkit needs them: a read-only mapping with zeroed padding past the end (for
// simdjson), chunked reading, and atomic replacement (temp file + fsync + rename).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "orchkit/result.hpp"

namespace orchkit {

// An owned file descriptor, closed on scope exit.
struct UniqueFd {
  int fd = -1;
  explicit UniqueFd(int f) : fd(f) {}
  ~UniqueFd();
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
};

// A whole file mapped read-only, followed by at least `padding` readable zero bytes.
class MappedFile {
 public:
  static Result<MappedFile> open(const std::string& path, size_t padding);
  MappedFile(MappedFile&& o) noexcept;
  MappedFile& operator=(MappedFile&&) = delete;
  MappedFile(const MappedFile&) = delete;
  ~MappedFile();
  std::string_view text() const { return {static_cast<const char*>(base_), size_}; }

 private:
  MappedFile(void* base, size_t size, size_t len) : base_(base), size_(size), map_len_(len) {}
  void* base_ = nullptr;
  size_t size_ = 0;
  size_t map_len_ = 0;
};

// Calls `sink` with successive chunks of the file (at most `chunk` bytes each).
Result<void> read_chunks(const std::string& path, size_t chunk,
                         const std::function<Result<void>(std::string_view)>& sink);

Result<std::string> read_file(const std::string& path);

// Writes `content` to `path` atomically: a reader sees the old file or the new one, never a part.
Result<void> write_file_atomic(const std::string& path, std::string_view content);

// "<path>: <strerror(errno)>"
std::string errno_text(const std::string& path);

}  // namespace orchkit
