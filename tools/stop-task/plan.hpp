// What a stop will touch, worked out and checked against every safety rule before anything
// is done: the worktree (real path, linked worktree of this repository), the branches.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "orchkit/result.hpp"
#include "orchkit/workspace.hpp"

namespace stop_task {

struct Plan {
  std::string key = {};
  int64_t generation = 1;
  std::string real_root = {};                           // task.worktrees_root, resolved ("" when absent)
  std::optional<std::string> worktree = {};             // real path of the task's linked worktree
  std::optional<std::string> worktree_name = {};        // its name under <common dir>/worktrees/
  std::optional<std::string> stale_worktree_name = {};  // git's entry for a directory already gone
  bool worktree_locked = false;
  std::string lock_reason = {};
  std::vector<std::string> local_branches = {};  // to delete locally
  struct Remote {
    std::string branch = {};
    std::string oid = {};
  };
  std::vector<Remote> remote_branches = {};  // to delete on origin, with the tip read
  bool has_origin = false;
  std::string issue = {};  // the Plane work item, from 00-stage.md
};

// Exit 4 naming the rule when anything in the plan is unsafe; exit 3 when git fails.
orchkit::Result<Plan> make_plan(orchkit::Workspace& ws, const std::string& key, int64_t generation);

}  // namespace stop_task
