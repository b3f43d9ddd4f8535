// The seams between the stop and the machine: the process table with its signals, and the clock.
// system_processes() and system_clock() are the real ones (procfs, pidfd signals, steady_clock);
// tests hand in-memory ones (tests/fakes/fake_processes.hpp), so what a stop signals, and when,
// is tested without starting a process or waiting a grace period.
#pragma once

#include <chrono>
#include <vector>

#include "orchkit/process/procfs.hpp"

namespace orchkit::process {

class Processes {
 public:
  virtual ~Processes() = default;
  virtual std::vector<procfs::Proc> scan() = 0;  // every process, with its working directory
  // Signals exactly that incarnation (procfs::send's rules).
  virtual procfs::SignalResult send(const procfs::Identity& id, int sig) = 0;
  virtual bool alive(const procfs::Identity& id) = 0;  // there and not a zombie
  virtual std::vector<pid_t> never() = 0;              // ourselves and our ancestors
};

class Clock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  virtual time_point now() = 0;
  virtual void sleep(std::chrono::milliseconds d) = 0;
};

Processes& system_processes();
Clock& system_clock();

}  // namespace orchkit::process
