#include "orchkit/saferm.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace orchkit {
namespace {

Unexpected sys_fail(const std::string& what) { return fail(Exit::error, what + ": " + std::strerror(errno)); }

// Empties the directory open as `fd` (which it closes), depth-first, never following links.
Result<void> empty_dir(int fd, const std::string& shown, int depth) {
  if (depth > 4096) {
    ::close(fd);
    return fail(Exit::error, shown + ": nested too deeply");
  }
  DIR* d = ::fdopendir(fd);
  if (!d) {
    ::close(fd);
    return sys_fail(shown);
  }
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    names.emplace_back(e->d_name);
  }
  Result<void> result;
  for (const auto& n : names) {
    struct stat st {};
    if (::fstatat(::dirfd(d), n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue;
      result = sys_fail(shown + "/" + n);
      break;
    }
    if (S_ISDIR(st.st_mode)) {
      int sub = ::openat(::dirfd(d), n.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0 && errno == ELOOP) {  // became a symlink since the stat: remove the link only
        if (::unlinkat(::dirfd(d), n.c_str(), 0) != 0 && errno != ENOENT) {
          result = sys_fail(shown + "/" + n);
          break;
        }
        continue;
      }
      if (sub < 0) {
        result = sys_fail(shown + "/" + n);
        break;
      }
      auto r = empty_dir(sub, shown + "/" + n, depth + 1);
      if (!r) {
        result = std::move(r);
        break;
      }
      if (::unlinkat(::dirfd(d), n.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT) {
        result = sys_fail(shown + "/" + n);
        break;
      }
    } else if (::unlinkat(::dirfd(d), n.c_str(), 0) != 0 && errno != ENOENT) {
      result = sys_fail(shown + "/" + n);
      break;
    }
  }
  ::closedir(d);
  return result;
}

}  // namespace

Result<std::string> real_path(const std::string& path) {
  char buf[PATH_MAX];
  if (!::realpath(path.c_str(), buf)) return sys_fail(path);
  return std::string(buf);
}

bool path_within(const std::string& path, const std::string& root) {
  if (root.empty() || path.size() <= root.size()) return false;
  if (path.compare(0, root.size(), root) != 0) return false;
  return root == "/" || path[root.size()] == '/';
}

Result<void> remove_tree(const std::string& parent, const std::string& name) {
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos)
    return fail(Exit::refused, "refusing to remove '" + name + "': not a plain directory name");
  int pfd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (pfd < 0) return sys_fail(parent);
  struct stat st {};
  if (::fstatat(pfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    int err = errno;
    ::close(pfd);
    errno = err;
    if (err == ENOENT) return {};  // already gone
    return sys_fail(parent + "/" + name);
  }
  if (!S_ISDIR(st.st_mode)) {
    ::close(pfd);
    return fail(Exit::refused,
                parent + "/" + name + ": not a directory (a symlink or a file where the worktree was); left untouched");
  }
  // Rename aside first: from here on the name cannot be swapped under us.
  std::string trash = ".orchkit-removing-" + name + "-" + std::to_string(::getpid());
  if (::renameat(pfd, name.c_str(), pfd, trash.c_str()) != 0) {
    auto err = sys_fail(parent + "/" + name);
    ::close(pfd);
    return err;
  }
  int fd = ::openat(pfd, trash.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    // Swapped for a symlink between the check and the rename: what we moved is the link.
    Result<void> r =
        fail(Exit::refused, parent + "/" + name + ": became a symlink during removal; the link was moved to " + trash +
                                " and nothing it points to was touched");
    ::close(pfd);
    return r;
  }
  auto r = empty_dir(fd, parent + "/" + name, 0);
  if (r && ::unlinkat(pfd, trash.c_str(), AT_REMOVEDIR) != 0) r = sys_fail(parent + "/" + trash);
  ::close(pfd);
  return r;
}

}  // namespace orchkit
