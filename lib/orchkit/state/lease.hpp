// Holding a critical window: a lease taken in the state file for the life of a scope, waited
// for up to a bound when another live process holds it, released on every exit path.
#pragma once

#include <optional>
#include <string>

#include "orchkit/result.hpp"
#include "orchkit/state/state.hpp"
#include "orchkit/util/units.hpp"

namespace orchkit {

class LeaseGuard {
 public:
  LeaseGuard(state::State& st, std::string name, std::string holder)
      : st_(&st), name_(std::move(name)), holder_(std::move(holder)) {}
  LeaseGuard(LeaseGuard&& o) noexcept : st_(o.st_), name_(std::move(o.name_)), holder_(std::move(o.holder_)) {
    o.st_ = nullptr;
  }
  LeaseGuard(const LeaseGuard&) = delete;
  LeaseGuard& operator=(const LeaseGuard&) = delete;
  ~LeaseGuard() { (void)release(); }
  // Releases now (idempotent); the error, if any, is for the caller to report.
  Result<void> release();
  const std::string& name() const { return name_; }

 private:
  state::State* st_;
  std::string name_;
  std::string holder_;
};

// Takes `name` for `ttl`; while a live holder has it, polls until `wait` passes, then fails
// with exit 3 naming the holder. An expired lease (a crashed holder) is taken over.
Result<LeaseGuard> acquire_lease(state::State& st, const std::string& name, const std::string& task, Duration ttl,
                                 Duration wait);

}  // namespace orchkit
