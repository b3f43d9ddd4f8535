// The steps of a cancel (SPEC §7, 3–7). Each is idempotent: run again after a crash, it finds
// its work done and says so.
#pragma once

#include "orchkit/state.hpp"
#include "orchkit/workspace.hpp"
#include "stop-task/options.hpp"
#include "stop-task/plan.hpp"
#include "stop-task/report.hpp"

namespace stop_task {

struct StepContext {
  orchkit::Workspace& ws;
  const Options& opts;
  const Plan& plan;
  orchkit::state::State* st;  // null on --dry-run
  Report& report;
  orchkit::Duration grace;
};

orchkit::Result<void> step_processes(StepContext& c);
orchkit::Result<void> step_jobs(StepContext& c);
// Saves uncommitted + untracked work as a patch in the task's artefacts folder; returns its path.
orchkit::Result<std::optional<std::string>> step_save_patch(StepContext& c);
orchkit::Result<void> step_worktree(StepContext& c);
orchkit::Result<void> step_branches(StepContext& c);
orchkit::Result<void> step_tombstones(StepContext& c);
void step_board_and_notify(StepContext& c);  // never fails: indications only

}  // namespace stop_task
