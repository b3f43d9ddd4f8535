#include "orchkit/coverage/windows.hpp"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "orchkit/util/sha256_pipe.hpp"

namespace orchkit::coverage {

std::optional<Result<void>> read_windows(int fd, const std::string& path, ByteRange range, Sha256Pipe* sha,
                                         const std::function<Result<void>(std::string_view)>& sink) {
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) return std::nullopt;
  const size_t end = std::min(range.end, static_cast<size_t>(st.st_size));
  if (range.begin >= end) return std::nullopt;
  // mmap offsets are whole pages: each window starts on one, the first view where the range does.
  const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  struct Window {
    void* at = nullptr;
    size_t len = 0;
    uint64_t ticket = 0;
  };
  Window held;  // the previous window, still being hashed
  auto drop = [&](Window& w) {
    if (!w.at) return;
    if (sha) sha->wait(w.ticket);
    ::munmap(w.at, w.len);
    w = {};
  };
  Result<void> result;
  for (size_t off = range.begin / page * page; off < end && result; off += kWindow) {
    const size_t len = std::min(kWindow, end - off);
    void* at = ::mmap(nullptr, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, static_cast<off_t>(off));
    if (at == MAP_FAILED) {
      const int err = errno;  // before munmap may change it
      drop(held);
      if (off <= range.begin) return std::nullopt;
      return Result<void>(fail(Exit::error, path + ": cannot map: " + std::strerror(err)));
    }
    ::madvise(at, len, MADV_SEQUENTIAL);
    const size_t skip = off < range.begin ? range.begin - off : 0;
    std::string_view bytes(static_cast<const char*>(at) + skip, len - skip);
    result = sink(bytes);
    Window now{at, len, sha ? sha->add(bytes) : 0};
    drop(held);
    held = now;
  }
  drop(held);
  return result;
}

}  // namespace orchkit::coverage
