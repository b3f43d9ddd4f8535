// The task's processes (SPEC §7 step 3): those whose working directory lies inside its
// worktree, its registered agents (pid + start time), and all their descendants; TERM, a grace
// period, KILL to survivors; never a process outside that set.
#pragma once

#include <string>
#include <vector>

#include "orchkit/process/control.hpp"
#include "orchkit/process/procfs.hpp"
#include "orchkit/util/units.hpp"

namespace orchkit::stop {

// The registry of agent processes: `<worktrees_root>/<KEY>.agents`, one "pid start_time" a line.
std::string agents_file(const std::string& real_root, const std::string& key);
std::vector<orchkit::procfs::Identity> read_agents(const std::string& path);
orchkit::Result<void> register_agent(const std::string& path, pid_t pid);

// Pure: the task's set among `procs`, given the worktree's real path (may be empty), the live
// registered agents, and the pids that must never be touched (ourselves and our ancestors).
std::vector<orchkit::procfs::Identity> task_set(const std::vector<orchkit::procfs::Proc>& procs,
                                                const std::string& worktree,
                                                const std::vector<orchkit::procfs::Identity>& agents,
                                                const std::vector<pid_t>& never);

struct Reaped {
  std::vector<orchkit::procfs::Identity> signalled = {};  // got SIGTERM (or SIGKILL)
  std::vector<orchkit::procfs::Identity> killed = {};     // needed SIGKILL
  std::vector<orchkit::procfs::Identity> survivors = {};  // still there at the end
};

// TERM to the set, rescanning during `grace` for newcomers (children born meanwhile, escapees
// that keep their cwd in the worktree), KILL to survivors, then a last check.
Reaped terminate(const std::string& worktree, const std::vector<orchkit::procfs::Identity>& agents,
                 orchkit::Duration grace, bool dry_run);
// The same over a given process table and clock (process/control.hpp): what tests drive.
Reaped terminate(const std::string& worktree, const std::vector<orchkit::procfs::Identity>& agents,
                 orchkit::Duration grace, bool dry_run, orchkit::process::Processes& procs,
                 orchkit::process::Clock& clock);

}  // namespace orchkit::stop
