// The real process table and clock behind the seams of control.hpp.
#include "orchkit/process/control.hpp"

#include <thread>

namespace orchkit::process {
namespace {

class SystemProcesses final : public Processes {
 public:
  std::vector<procfs::Proc> scan() override { return procfs::scan(true); }
  procfs::SignalResult send(const procfs::Identity& id, int sig) override { return procfs::send(id, sig); }
  bool alive(const procfs::Identity& id) override { return procfs::alive(id); }
  std::vector<pid_t> never() override { return procfs::self_and_ancestors(); }
};

class SystemClock final : public Clock {
 public:
  time_point now() override { return std::chrono::steady_clock::now(); }
  void sleep(std::chrono::milliseconds d) override { std::this_thread::sleep_for(d); }
};

}  // namespace

Processes& system_processes() {
  static SystemProcesses p;
  return p;
}

Clock& system_clock() {
  static SystemClock c;
  return c;
}

}  // namespace orchkit::process
