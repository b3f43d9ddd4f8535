// What a stop will touch, worked out and checked against every safety rule before anything
// is done: the worktree (real path, linked worktree of this repository, not locked), the
// branches (and where they are checked out), the files it will write. Every refusal is made
// here, so a stop that cannot finish refuses before killing, saving or deleting anything.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "orchkit/records/stage.hpp"
#include "orchkit/result.hpp"
#include "orchkit/workspace.hpp"

namespace orchkit::stop {

struct Plan {
  std::string key = {};
  int64_t generation = 1;
  std::optional<orchkit::records::PreviousStage> stage = {};  // 00-stage.md as the stop read it, once
  std::string real_root = {};                                 // task.worktrees_root, resolved ("" when absent)
  std::optional<std::string> worktree = {};                   // real path of the task's linked worktree
  std::optional<std::string> worktree_name = {};              // its name under <common dir>/worktrees/
  std::string worktree_head = {};                             // the commit it has checked out
  std::optional<std::string> worktree_branch = {};            // the branch it has checked out (none: detached)
  std::vector<std::string> stale_worktrees = {};              // git's entries for directories already gone
  std::vector<std::string> local_branches = {};               // to delete locally
  struct Remote {
    std::string branch = {};
    std::string oid = {};
  };
  std::vector<Remote> remote_branches = {};  // to delete on origin, with the tip read
  bool has_origin = false;
  std::string target = {};      // project.target_branch: commits on it need no saving
  std::string target_oid = {};  // its tip (origin's first), "" when there is none
  std::string issue = {};       // the Plane work item, from 00-stage.md

  std::string patch_path = {};   // <artefacts>/<KEY>/90-stop-generation-N.patch
  std::string bundle_path = {};  // <artefacts>/<KEY>/90-stop-generation-N.bundle
};

// Exit 4 naming the rule (and what to do) when anything in the plan is unsafe or could not be
// finished; exit 3 when git fails.
orchkit::Result<Plan> make_plan(orchkit::Workspace& ws, const std::string& key, int64_t generation,
                                const std::optional<orchkit::records::PreviousStage>& stage);

}  // namespace orchkit::stop
