#include "orchkit/lease.hpp"

#include <chrono>
#include <thread>

#include "orchkit/log.hpp"

namespace orchkit {

Result<void> LeaseGuard::release() {
  if (!st_) return {};
  state::State* st = st_;
  st_ = nullptr;
  return st->release(name_, holder_);
}

Result<LeaseGuard> acquire_lease(state::State& st, const std::string& name, const std::string& task, Duration ttl,
                                 Duration wait) {
  std::string holder = state::holder_id();
  auto deadline = std::chrono::steady_clock::now() + wait;
  bool said = false;
  for (int attempt = 0;; ++attempt) {
    ORCHKIT_TRY(other, st.try_acquire(name, holder, task, ttl.count()));
    if (!other) return LeaseGuard(st, name, holder);
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
