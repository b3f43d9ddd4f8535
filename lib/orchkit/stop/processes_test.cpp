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

// ---- terminate() over an in-memory process table and clock (tests/fakes/fake_processes.hpp)

#include "fakes/fake_processes.hpp"

namespace {

using orchkit::fakes::FakeProcesses;
using OnTerm = FakeProcesses::OnTerm;

std::vector<std::pair<pid_t, int>> signals_to(const FakeProcesses& f, pid_t pid) {
  std::vector<std::pair<pid_t, int>> out;
  for (const auto& s : f.sent)
    if (s.first == pid) out.push_back(s);
  return out;
}

}  // namespace

TEST_CASE("terminate: TERM to the set, KILL to what ignores it after the grace, outsiders untouched", "[stop]") {
  FakeProcesses f;
  f.spawn(1, 0, "/").spawn(10, 1, WT).spawn(11, 10, "/tmp", OnTerm::ignore).spawn(12, 10, WT, OnTerm::exit_after_500ms);
  f.spawn(20, 1, "/wt/ORCH-10").spawn(40, 1, WT);  // another task's; ourselves
  f.ancestors = {40, 1};
  auto r = orchkit::stop::terminate(WT, {}, std::chrono::milliseconds(1000), false, f, f);
  CHECK(pids(r.signalled) == std::vector<pid_t>{10, 11, 12});
  CHECK(pids(r.killed) == std::vector<pid_t>{11});
  CHECK(r.survivors.empty());
  CHECK(signals_to(f, 11) == std::vector<std::pair<pid_t, int>>{{11, SIGTERM}, {11, SIGKILL}});
  CHECK(signals_to(f, 12) == std::vector<std::pair<pid_t, int>>{{12, SIGTERM}});  // it left in time
  CHECK(signals_to(f, 20).empty());
  CHECK(signals_to(f, 40).empty());
  CHECK(signals_to(f, 1).empty());
  CHECK(f.now_ms >= 1000);  // KILL only once the grace was spent
  CHECK(f.now_ms < 1500);
}

TEST_CASE("terminate: a child born during the grace is signalled too; a quiet set ends the wait early", "[stop]") {
  FakeProcesses f;
  f.spawn(10, 1, WT, OnTerm::exit_after_500ms);
  f.at(100, [](FakeProcesses& p) { p.spawn(15, 10, "/elsewhere"); });  // forked before it exited
  auto r = orchkit::stop::terminate(WT, {}, std::chrono::milliseconds(5000), false, f, f);
  CHECK(pids(r.signalled) == std::vector<pid_t>{10, 15});
  CHECK(r.killed.empty());
  CHECK(r.survivors.empty());
  CHECK(f.now_ms < 1000);  // nothing left to wait for: not the whole 5 s
}

TEST_CASE("terminate: dry run signals nothing; an unkillable process is a survivor; a recycled pid is left", "[stop]") {
  FakeProcesses dry;
  dry.spawn(10, 1, WT).spawn(11, 10, "/tmp");
  auto d = orchkit::stop::terminate(WT, {}, std::chrono::milliseconds(1000), true, dry, dry);
  CHECK(pids(d.signalled) == std::vector<pid_t>{10, 11});
  CHECK(dry.sent.empty());

  FakeProcesses stuck;
  stuck.spawn(10, 1, WT, OnTerm::ignore);
  stuck.table[10].unkillable = true;
  auto s = orchkit::stop::terminate(WT, {}, std::chrono::milliseconds(200), false, stuck, stuck);
  CHECK(pids(s.survivors) == std::vector<pid_t>{10});

  // the agent registered as (30, start 777) is gone; pid 30 now belongs to another process
  FakeProcesses reused;
  reused.spawn(30, 1, "/home");
  auto a = orchkit::stop::terminate("", {{30, 777}}, std::chrono::milliseconds(200), false, reused, reused);
  CHECK(a.signalled.empty());
  CHECK(reused.sent.empty());
}
