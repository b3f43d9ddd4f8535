#include "orchkit/state/lease.hpp"

#include <signal.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "orchkit/process/procfs.hpp"
#include "orchkit/util/log.hpp"

namespace orchkit {

Result<void> LeaseGuard::release() {
  if (!st_) return {};
  state::State* st = st_;
  st_ = nullptr;
  return st->release(name_, holder_);
}

namespace {
// "<host>:<pid>" of a process on this host that no longer exists, or that was killed and is a
// zombie its parent has not reaped yet: its lease is abandoned.
bool holder_is_dead(const std::string& holder) {
  std::string mine = state::holder_id();
  size_t colon = holder.rfind(':'), my_colon = mine.rfind(':');
  if (colon == std::string::npos || holder.substr(0, colon) != mine.substr(0, my_colon)) return false;
  long pid = std::strtol(holder.c_str() + colon + 1, nullptr, 10);
  if (pid <= 1) return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0) return errno == ESRCH;
  auto p = procfs::read_proc(static_cast<pid_t>(pid), false);
  return p && (p->state == 'Z' || p->state == 'X');
}
}  // namespace

Result<LeaseGuard> acquire_lease(state::State& st, const std::string& name, const std::string& task, Duration ttl,
                                 Duration wait) {
  std::string holder = state::holder_id();
  auto deadline = std::chrono::steady_clock::now() + wait;
  bool said = false;
  for (int attempt = 0;; ++attempt) {
    ORCHKIT_TRY(other, st.try_acquire(name, holder, task, ttl.count()));
    if (!other) return LeaseGuard(st, name, holder);
    if (holder_is_dead(other->holder)) {
      ORCHKIT_TRY(taken, st.take_over(name, other->holder, holder, task, ttl.count()));
      if (taken) {
        log::info("took over lease " + name + " from " + other->holder + " (that process is gone)");
        return LeaseGuard(st, name, holder);
      }
      continue;
    }
    if (std::chrono::steady_clock::now() >= deadline)
      return fail(Exit::error, "lease " + name + " is held by " + other->holder +
                                   (other->task.empty() ? "" : " for " + other->task) + " since " + other->acquired_at +
                                   " (waited " + format_duration(wait) + "; retry when it is released or expires)");
    if (!said) {
      log::info("waiting for lease " + name + " held by " + other->holder);
      said = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(20 + attempt * 5, 200)));
  }
}

}  // namespace orchkit
