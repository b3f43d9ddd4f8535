// Processes as /proc shows them, and signals that can only reach the process that was meant:
// every signal goes through a pidfd opened while the start time still matches, so a PID reused
// by another process is never signalled.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "orchkit/result.hpp"

namespace orchkit::procfs {

struct Proc {
  pid_t pid = 0;
  pid_t ppid = 0;
  pid_t pgid = 0;
  pid_t sid = 0;
  char state = '?';         // R, S, D, Z, T, ...
  uint64_t start_time = 0;  // /proc/<pid>/stat field 22, clock ticks after boot
  std::string comm = {};
  std::string cwd = {};  // resolved; empty when unreadable
};

// /proc/<pid>/stat, parsing comm from the LAST ')' (a comm may hold spaces and parentheses).
std::optional<Proc> read_proc(pid_t pid, bool with_cwd = true);
std::vector<Proc> scan(bool with_cwd = true);

// The identity of one incarnation of a PID.
struct Identity {
  pid_t pid = 0;
  uint64_t start_time = 0;
  friend bool operator==(const Identity&, const Identity&) = default;
  friend auto operator<=>(const Identity&, const Identity&) = default;
};

// Is this incarnation still there and not a zombie?
bool alive(const Identity& id);

enum class SignalResult { sent, gone, reused, failed };
// Signals exactly that incarnation: opens a pidfd, re-checks the start time, then signals
// through the pidfd.
SignalResult send(const Identity& id, int sig);

// This process and its ancestors: never signalled by anything orchkit does.
std::vector<pid_t> self_and_ancestors();

}  // namespace orchkit::procfs
