// An in-memory process table and clock for unit tests of the stop (process/control.hpp): each
// process has a pid, a parent, a working directory and how it takes SIGTERM; every signal sent
// is logged; time moves only when the code under test sleeps, and `at(ms, what)` events happen
// when it gets there (a child born during the grace period, ...).
#pragma once

#include <signal.h>

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "orchkit/process/control.hpp"

namespace orchkit::fakes {

class FakeProcesses final : public process::Processes, public process::Clock {
 public:
  enum class OnTerm { exit, ignore, exit_after_500ms };
  struct Entry {
    procfs::Proc proc = {};
    OnTerm on_term = OnTerm::exit;
    bool unkillable = false;   // stuck in D state: even SIGKILL does not end it
    long exit_at_ms = -1;      // when a TERM it honours takes effect
    bool gone = false;
  };

  FakeProcesses& spawn(pid_t pid, pid_t ppid, const std::string& cwd, OnTerm t = OnTerm::exit) {
    Entry e;
    e.proc.pid = pid;
    e.proc.ppid = ppid;
    e.proc.cwd = cwd;
    e.proc.start_time = 1000 + static_cast<uint64_t>(pid);
    e.proc.state = 'S';
    e.on_term = t;
    table[pid] = e;
    return *this;
  }
  // Runs `what` once the clock reaches `ms` (from the start).
  void at(long ms, std::function<void(FakeProcesses&)> what) { events.emplace_back(ms, std::move(what)); }
  procfs::Identity id(pid_t pid) const { return {pid, 1000 + static_cast<uint64_t>(pid)}; }

  std::map<pid_t, Entry> table = {};
  std::vector<std::pair<pid_t, int>> sent = {};  // every signal, in order
  std::vector<pid_t> ancestors = {};             // what never() answers
  long now_ms = 0;

  std::vector<procfs::Proc> scan() override {
    std::vector<procfs::Proc> out;
    for (const auto& [pid, e] : table)
      if (!e.gone) out.push_back(e.proc);
    return out;
  }

  procfs::SignalResult send(const procfs::Identity& who, int sig) override {
    auto it = table.find(who.pid);
    if (it == table.end() || it->second.gone) return procfs::SignalResult::gone;
    if (it->second.proc.start_time != who.start_time) return procfs::SignalResult::reused;
    sent.emplace_back(who.pid, sig);
    Entry& e = it->second;
    if (sig == SIGKILL && !e.unkillable) e.gone = true;
    if (sig == SIGTERM && e.on_term == OnTerm::exit) e.gone = true;
    if (sig == SIGTERM && e.on_term == OnTerm::exit_after_500ms && e.exit_at_ms < 0) e.exit_at_ms = now_ms + 500;
    return procfs::SignalResult::sent;
  }

  bool alive(const procfs::Identity& who) override {
    auto it = table.find(who.pid);
    return it != table.end() && !it->second.gone && it->second.proc.start_time == who.start_time;
  }

  std::vector<pid_t> never() override { return ancestors; }

  time_point now() override { return time_point(std::chrono::milliseconds(now_ms)); }

  void sleep(std::chrono::milliseconds d) override {
    now_ms += static_cast<long>(d.count());
    for (auto& [pid, e] : table)
      if (e.exit_at_ms >= 0 && e.exit_at_ms <= now_ms) e.gone = true;
    for (auto it = events.begin(); it != events.end();) {
      if (it->first <= now_ms) {
        auto what = std::move(it->second);
        it = events.erase(it);
        what(*this);
      } else {
        ++it;
      }
    }
  }

 private:
  std::vector<std::pair<long, std::function<void(FakeProcesses&)>>> events = {};
};

}  // namespace orchkit::fakes
