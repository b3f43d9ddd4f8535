#include "orchkit/process/procfs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <string_view>

#include "orchkit/util/file.hpp"

namespace orchkit::procfs {
namespace {

// Debian 12's <sys/pidfd.h> lacks extern "C" for C++: call the syscalls directly.
int pidfd_open(pid_t pid, unsigned flags) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, flags)); }
int pidfd_send_signal(int fd, int sig) {
  return static_cast<int>(::syscall(SYS_pidfd_send_signal, fd, sig, nullptr, 0));
}

std::optional<std::string> slurp(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

template <class T>
bool to_num(std::string_view s, T& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

std::optional<Proc> read_proc(pid_t pid, bool with_cwd) {
  std::string base = "/proc/" + std::to_string(pid);
  auto stat = slurp(base + "/stat");
  if (!stat) return std::nullopt;
  size_t open = stat->find('(');
  size_t close = stat->rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  Proc p;
  p.pid = pid;
  p.comm = stat->substr(open + 1, close - open - 1);
  // Fields after comm: 3 state, 4 ppid, 5 pgrp, 6 session, ... 22 starttime.
  std::vector<std::string_view> f;
  std::string_view rest(stat->data() + close + 1, stat->size() - close - 1);
  size_t i = 0;
  while (i < rest.size() && f.size() < 20) {
    while (i < rest.size() && rest[i] == ' ') ++i;
    size_t j = rest.find(' ', i);
    if (j == std::string_view::npos) j = rest.size();
    if (j > i) f.push_back(rest.substr(i, j - i));
    i = j;
  }
  if (f.size() < 20) return std::nullopt;
  p.state = f[0].empty() ? '?' : f[0][0];
  if (!to_num(f[1], p.ppid) || !to_num(f[2], p.pgid) || !to_num(f[3], p.sid) || !to_num(f[19], p.start_time))
    return std::nullopt;
  if (with_cwd) {
    std::error_code ec;
    auto cwd = std::filesystem::read_symlink(base + "/cwd", ec);
    if (!ec) p.cwd = cwd.string();
  }
  return p;
}

std::vector<Proc> scan(bool with_cwd) {
  std::vector<Proc> out;
  DIR* d = ::opendir("/proc");
  if (!d) return out;
  while (dirent* e = ::readdir(d)) {
    pid_t pid = 0;
    if (!to_num(std::string_view(e->d_name), pid) || pid <= 0) continue;
    if (auto p = read_proc(pid, with_cwd)) out.push_back(std::move(*p));
  }
  ::closedir(d);
  return out;
}

bool alive(const Identity& id) {
  auto p = read_proc(id.pid, false);
  return p && p->start_time == id.start_time && p->state != 'Z' && p->state != 'X';
}

SignalResult send(const Identity& id, int sig) {
  if (id.pid <= 1) return SignalResult::failed;
  int fd = pidfd_open(id.pid, 0);
  if (fd < 0) return errno == ESRCH ? SignalResult::gone : SignalResult::failed;
  // The pidfd pins one process; if its start time is still the one we saw, it is ours.
  auto p = read_proc(id.pid, false);
  SignalResult r;
  if (!p || p->state == 'Z') r = SignalResult::gone;
  else if (p->start_time != id.start_time) r = SignalResult::reused;
  else if (pidfd_send_signal(fd, sig) == 0) r = SignalResult::sent;
  else r = errno == ESRCH ? SignalResult::gone : SignalResult::failed;
  ::close(fd);
  return r;
}

std::vector<pid_t> self_and_ancestors() {
  std::vector<pid_t> out;
  pid_t pid = ::getpid();
  for (int depth = 0; pid > 0 && depth < 256; ++depth) {
    out.push_back(pid);
    auto p = read_proc(pid, false);
    if (!p || p->ppid == pid) break;
    pid = p->ppid;
  }
  return out;
}

}  // namespace orchkit::procfs
