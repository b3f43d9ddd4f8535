// Files as orchkit needs them: a read-only mapping with zeroed padding past the end (for
// simdjson), chunked reading, and writing outputs: atomic replacement (temp file + fsync +
// rename) of regular files only, never of a device, FIFO, directory or link.
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

// What an output path names today, and so how it may be written (see write_file_atomic).
enum class OutputKind { absent, regular, char_device };

// Exit::refused naming the path for anything an output must not replace: a directory, a FIFO, a
// socket, a block device, a symbolic link (neither followed, which could write anywhere, nor
// replaced). The final component is looked at with lstat; the directories above it may be links.
Result<OutputKind> output_kind(const std::string& path);

// Writes `content` to `path`. A missing path or a regular file is written atomically (temp file
// + fsync + rename): a reader sees the old file or the new one, never a part. A character device
// (/dev/null, a terminal) is written in place and stays a device. Anything else is refused as
// output_kind says, and left as it was.
Result<void> write_file_atomic(const std::string& path, std::string_view content);

// "<path>: <strerror(errno)>"
std::string errno_text(const std::string& path);

}  // namespace orchkit
