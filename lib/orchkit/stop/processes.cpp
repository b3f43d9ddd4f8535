#include "orchkit/stop/processes.hpp"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <sstream>

#include "orchkit/process/control.hpp"
#include "orchkit/saferm.hpp"
#include "orchkit/util/file.hpp"
#include "orchkit/util/log.hpp"

namespace orchkit::stop {

using procfs::Identity;
using procfs::Proc;

std::string agents_file(const std::string& real_root, const std::string& key) {
  return real_root + "/" + key + ".agents";
}

std::vector<Identity> read_agents(const std::string& path) {
  std::vector<Identity> out;
  auto text = read_file(path);
  if (!text) return out;
  std::istringstream in(*text);
  long long pid = 0;
  unsigned long long start = 0;
  while (in >> pid >> start)
    if (pid > 1) out.push_back({static_cast<pid_t>(pid), start});
  return out;
}

Result<void> register_agent(const std::string& path, pid_t pid) {
  auto p = procfs::read_proc(pid, false);
  if (!p) return fail(Exit::error, "process " + std::to_string(pid) + " does not exist");
  auto existing = read_file(path);
  std::string text = existing ? *existing : std::string();
  text += std::to_string(pid) + " " + std::to_string(p->start_time) + "\n";
  return write_file_atomic(path, text);
}

std::vector<Identity> task_set(const std::vector<Proc>& procs, const std::string& worktree,
                               const std::vector<Identity>& agents, const std::vector<pid_t>& never) {
  std::set<pid_t> excluded(never.begin(), never.end());
  excluded.insert(0);
  excluded.insert(1);
  std::map<pid_t, const Proc*> by_pid;
  std::multimap<pid_t, const Proc*> children;
  for (const auto& p : procs) {
    by_pid[p.pid] = &p;
    children.emplace(p.ppid, &p);
  }
  std::vector<const Proc*> seeds;
  for (const auto& p : procs) {
    if (p.ppid == 2 || p.pid == 2) continue;  // kernel threads
    if (!worktree.empty() && (p.cwd == worktree || path_within(p.cwd, worktree))) seeds.push_back(&p);
  }
  for (const auto& a : agents) {
    auto it = by_pid.find(a.pid);
    if (it != by_pid.end() && it->second->start_time == a.start_time) seeds.push_back(it->second);
  }
  std::set<pid_t> chosen;
  std::vector<const Proc*> stack = seeds;
  while (!stack.empty()) {
    const Proc* p = stack.back();
    stack.pop_back();
    if (excluded.count(p->pid) || !chosen.insert(p->pid).second) continue;
    auto [b, e] = children.equal_range(p->pid);
    for (auto it = b; it != e; ++it) stack.push_back(it->second);
  }
  std::vector<Identity> out;
  for (pid_t pid : chosen) {
    const Proc* p = by_pid[pid];
    if (p->state != 'Z') out.push_back({pid, p->start_time});
  }
  return out;
}

Reaped terminate(const std::string& worktree, const std::vector<Identity>& agents, Duration grace, bool dry_run) {
  return terminate(worktree, agents, grace, dry_run, process::system_processes(), process::system_clock());
}

Reaped terminate(const std::string& worktree, const std::vector<Identity>& agents, Duration grace, bool dry_run,
                 process::Processes& procs, process::Clock& clock) {
  Reaped r;
  std::vector<pid_t> never = procs.never();
  std::set<Identity> termed;
  auto current = [&]() { return task_set(procs.scan(), worktree, agents, never); };
  auto round = [&]() {
    auto set = current();
    for (const auto& id : set) {
      if (termed.count(id)) continue;
      if (dry_run || procs.send(id, SIGTERM) == procfs::SignalResult::sent) {
        termed.insert(id);
        r.signalled.push_back(id);
      }
    }
    return set;
  };
  auto set = round();
  if (dry_run || set.empty()) return r;
  auto start = clock.now(), next_note = start + std::chrono::seconds(2);
  while (clock.now() - start < grace) {
    bool any = false;
    for (const auto& id : termed) any = any || procs.alive(id);
    auto fresh = current();
    bool newcomers = std::any_of(fresh.begin(), fresh.end(), [&](const Identity& id) { return !termed.count(id); });
    if (!any && !newcomers) break;
    if (newcomers) round();
    if (clock.now() >= next_note) {
      log::info("waiting for the task's processes to exit (grace " + format_duration(grace) + ")");
      next_note += std::chrono::seconds(5);
    }
    clock.sleep(std::chrono::milliseconds(25));
  }
  // Survivors of TERM, plus anything the set gained at the last moment, get KILL.
  for (int pass = 0; pass < 5; ++pass) {
    std::vector<Identity> left;
    for (const auto& id : termed)
      if (procs.alive(id)) left.push_back(id);
    for (const auto& id : current())
      if (!termed.count(id)) {
        termed.insert(id);
        r.signalled.push_back(id);
        left.push_back(id);
      }
    if (left.empty()) break;
    for (const auto& id : left)
      if (procs.send(id, SIGKILL) == procfs::SignalResult::sent &&
          std::find(r.killed.begin(), r.killed.end(), id) == r.killed.end())
        r.killed.push_back(id);
    for (int i = 0; i < 20; ++i) {
      bool any = std::any_of(left.begin(), left.end(), [&](const Identity& id) { return procs.alive(id); });
      if (!any) break;
      clock.sleep(std::chrono::milliseconds(10));
    }
  }
  for (const auto& id : termed)
    if (procs.alive(id)) r.survivors.push_back(id);
  return r;
}

}  // namespace orchkit::stop
