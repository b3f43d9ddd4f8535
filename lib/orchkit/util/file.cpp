#include "orchkit/util/file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "orchkit/util/handle.hpp"

namespace orchkit {
namespace {

Unexpected io_fail(const std::string& path, const char* what) {
  return fail(Exit::error, path + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

UniqueFd::~UniqueFd() {
  if (fd >= 0) ::close(fd);
}

std::string errno_text(const std::string& path) { return path + ": " + std::strerror(errno); }

Result<MappedFile> MappedFile::open(const std::string& path, size_t padding) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.fd < 0) return io_fail(path, "cannot open");
  struct stat st {};
  if (::fstat(fd.fd, &st) != 0) return io_fail(path, "cannot stat");
  if (S_ISDIR(st.st_mode)) return fail(Exit::error, path + ": is a directory, not a file");
  size_t size = static_cast<size_t>(st.st_size);
  size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  size_t len = (size + padding + page - 1) / page * page;
  // Reserve zeroed anonymous memory, then map the file over its start: the bytes past EOF
  // stay readable zeros, which is the padding simdjson needs, with no copy of the file.
  void* base = ::mmap(nullptr, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return io_fail(path, "cannot map");
  if (size > 0) {
    void* m = ::mmap(base, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd.fd, 0);
    if (m == MAP_FAILED) {
      ::munmap(base, len);
      return io_fail(path, "cannot map");
    }
    ::madvise(base, size, MADV_SEQUENTIAL);
  }
  return MappedFile(base, size, len);
}

MappedFile::MappedFile(MappedFile&& o) noexcept : base_(o.base_), size_(o.size_), map_len_(o.map_len_) {
  o.base_ = nullptr;
  o.map_len_ = 0;
}

MappedFile::~MappedFile() {
  if (base_) ::munmap(base_, map_len_);
}

Result<void> read_chunks(const std::string& path, size_t chunk,
                         const std::function<Result<void>(std::string_view)>& sink) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.fd < 0) return io_fail(path, "cannot open");
  struct stat st {};
  if (::fstat(fd.fd, &st) == 0 && S_ISDIR(st.st_mode)) return fail(Exit::error, path + ": is a directory, not a file");
  ::posix_fadvise(fd.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  std::vector<char> buf(chunk);
  for (;;) {
    ssize_t n = ::read(fd.fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_fail(path, "cannot read");
    }
    if (n == 0) break;
    ORCHKIT_CHECK(sink(std::string_view(buf.data(), static_cast<size_t>(n))));
  }
  return {};
}

Result<std::string> read_file(const std::string& path) {
  std::string out;
  ORCHKIT_CHECK(read_chunks(path, 1 << 16, [&](std::string_view c) -> Result<void> {
    out.append(c);
    return {};
  }));
  return out;
}

namespace {

Result<void> write_all(int fd, std::string_view content, const std::string& path) {
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_fail(path, "cannot write");
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return {};
}

Unexpected not_replaced(const std::string& path, const std::string& what) {
  return fail(Exit::refused, path + ": " + what + ": an output is never renamed over it nor written into it" +
                                 " (name a regular file, or a path that does not exist yet)");
}

// A character device (/dev/null, a terminal) is written where it is: no O_CREAT, no O_TRUNC, no
// rename, so it stays the device it was. The descriptor is checked again, in case it was swapped.
Result<void> write_in_place(const std::string& path, std::string_view content) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC));
  if (fd.fd < 0) return io_fail(path, "cannot open");
  struct stat st {};
  if (::fstat(fd.fd, &st) != 0) return io_fail(path, "cannot stat");
  if (!S_ISCHR(st.st_mode)) return not_replaced(path, "it changed while being opened");
  return write_all(fd.fd, content, path);
}

Result<void> write_temp_and_rename(const std::string& path, std::string_view content) {
  std::filesystem::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) {
    std::filesystem::create_directories(target.parent_path(), ec);
    if (ec) return fail(Exit::error, target.parent_path().string() + ": cannot create directory: " + ec.message());
  }
  std::string tmpl = path + ".tmp.XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int raw = ::mkstemp(name.data());
  if (raw < 0) return io_fail(path, "cannot create a temporary file");
  std::string tmp(name.data());
  UniqueFd fd(raw);
  ::fchmod(fd.fd, 0644);
  auto written = write_all(fd.fd, content, path);
  if (written && ::fsync(fd.fd) != 0) written = io_fail(path, "cannot sync");
  if (written && ::rename(tmp.c_str(), path.c_str()) != 0) written = io_fail(path, "cannot replace");
  if (!written) ::unlink(tmp.c_str());
  return written;
}

}  // namespace

Result<OutputKind> output_kind(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return OutputKind::absent;
    return io_fail(path, "cannot stat");
  }
  if (S_ISREG(st.st_mode)) return OutputKind::regular;
  if (S_ISCHR(st.st_mode)) return OutputKind::char_device;
  if (S_ISDIR(st.st_mode)) return not_replaced(path, "is a directory");
  if (S_ISFIFO(st.st_mode)) return not_replaced(path, "is a FIFO (named pipe)");
  if (S_ISSOCK(st.st_mode)) return not_replaced(path, "is a socket");
  if (S_ISBLK(st.st_mode)) return not_replaced(path, "is a block device");
  if (S_ISLNK(st.st_mode)) {
    std::error_code ec;
    auto to = std::filesystem::read_symlink(path, ec);
    return not_replaced(path, "is a symbolic link" + (ec ? std::string() : " to " + to.string()) +
                                  ", which is neither followed nor replaced");
  }
  return not_replaced(path, "is not a regular file");
}

Result<void> write_file_atomic(const std::string& path, std::string_view content) {
  ORCHKIT_TRY(kind, output_kind(path));
  if (kind == OutputKind::char_device) return write_in_place(path, content);
  return write_temp_and_rename(path, content);
}

}  // namespace orchkit
