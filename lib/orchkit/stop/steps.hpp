// The steps of a cancel (SPEC §7, 3–7). Each is idempotent: run again after a crash, it finds
// its work done and says so.
#pragma once

#include "orchkit/records/stop.hpp"
#include "orchkit/state/state.hpp"
#include "orchkit/stop/plan.hpp"
#include "orchkit/stop/request.hpp"
#include "orchkit/workspace.hpp"

namespace orchkit::stop {

struct StepContext {
  orchkit::Workspace& ws;
  const StopRequest& req;
  const Plan& plan;
  orchkit::state::State* st;  // null on --dry-run
  records::StopReport& report;
  orchkit::Duration grace;
};

orchkit::Result<void> step_processes(StepContext& c);
orchkit::Result<void> step_jobs(StepContext& c);
// Saves, before anything is deleted, uncommitted + untracked work as a patch and the commits not
// on the target as a bundle in the task's artefacts folder (save.cpp); fills report.saved, which
// holds what an earlier run saved when it got that far.
orchkit::Result<void> step_save(StepContext& c);
// Is every tip the plan would delete on the target or inside what report.saved holds? (If not,
// a branch moved after an earlier run saved it: the save is done again before deleting.)
bool saved_covers(StepContext& c);
// Removes the linked worktree (no symlink followed) and prunes git's entries for it.
orchkit::Result<void> step_worktree(StepContext& c);
orchkit::Result<void> step_branches(StepContext& c);
orchkit::Result<void> step_tombstones(StepContext& c);
// The stage record (00-stage.md) says cancelled and the board shows it, through
// plane::report_stage; then Telegram. Never fails: indications only.
void step_board_and_notify(StepContext& c);

}  // namespace orchkit::stop
