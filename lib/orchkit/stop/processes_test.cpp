// task_set (pure): which processes a stop may signal — never one outside the task's set.
#include "orchkit/stop/processes.hpp"

#include <catch2/catch.hpp>

using orchkit::procfs::Identity;
using orchkit::procfs::Proc;
using orchkit::stop::task_set;

namespace {

Proc proc(pid_t pid, pid_t ppid, const std::string& cwd, uint64_t start = 100, char state = 'S') {
  Proc p;
  p.pid = pid;
  p.ppid = ppid;
  p.cwd = cwd;
  p.start_time = start;
  p.state = state;
  return p;
}

std::vector<pid_t> pids(const std::vector<Identity>& ids) {
  std::vector<pid_t> out;
  for (const auto& i : ids) out.push_back(i.pid);
  return out;
}

const std::string WT = "/wt/ORCH-1";

// 1 init; 10 a shell in the worktree with children 11 (cwd elsewhere) and 12 → 13; 20 in a
// sibling worktree whose name starts with the same text; 30 an agent registered by pid and
// start time, cwd elsewhere, child 31; 40 ourselves (in the worktree); 50 a zombie child of 10;
// 60 a kernel thread with a cwd of "/wt/ORCH-1" (ppid 2).
std::vector<Proc> table() {
  return {proc(1, 0, "/"),
          proc(10, 1, WT),
          proc(11, 10, "/tmp"),
          proc(12, 10, WT + "/src"),
          proc(13, 12, "/"),
          proc(20, 1, "/wt/ORCH-10"),
          proc(30, 1, "/home", 777),
          proc(31, 30, "/home"),
          proc(40, 10, WT),
          proc(50, 10, WT, 100, 'Z'),
          proc(60, 2, WT)};
}

}  // namespace

TEST_CASE("task_set: the worktree's processes and their descendants, agents, never ourselves", "[stop]") {
  auto set = task_set(table(), WT, {{30, 777}}, {40, 1});
  CHECK(pids(set) == std::vector<pid_t>{10, 11, 12, 13, 30, 31});
  // each chosen process carries the start time it was seen with (a signal goes to that
  // incarnation only)
  CHECK(set.front() == Identity{10, 100});
}

TEST_CASE("task_set: a recycled agent pid (another start time) is not the agent", "[stop]") {
  auto set = task_set(table(), WT, {{30, 778}}, {});
  CHECK(pids(set) == std::vector<pid_t>{10, 11, 12, 13, 40});
}

TEST_CASE("task_set: no worktree: only the live agents; a sibling worktree's name prefix is outside", "[stop]") {
  CHECK(pids(task_set(table(), "", {{30, 777}}, {})) == std::vector<pid_t>{30, 31});
  CHECK(pids(task_set(table(), "", {}, {})).empty());
  CHECK(pids(task_set(table(), "/wt/ORCH-10", {}, {})) == std::vector<pid_t>{20});
}

TEST_CASE("task_set: init and an excluded ancestor cut their subtree out", "[stop]") {
  // the worktree is "/" : every process lies within it, yet init (1) and the excluded 10 are never
  // chosen, and neither are the processes reached only through them
  auto set = task_set(table(), "/", {}, {10});
  for (pid_t p : pids(set)) {
    CHECK(p != 1);
    CHECK(p != 10);
    CHECK(p != 60);
  }
  CHECK(pids(set) == std::vector<pid_t>{11, 12, 13, 20, 30, 31, 40});
}
