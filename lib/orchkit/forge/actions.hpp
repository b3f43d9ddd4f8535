// Cancelling a task's CI runs where the Gitea server offers the Actions API (newer Gitea):
// `GET /repos/{owner}/{repo}/actions/runs?branch=&status=` lists them, `POST .../runs/{run}/cancel`
// asks (a running job goes to `cancelling` until its runner reacts), `.../force-cancel` marks
// what remains cancelled. A server without these endpoints answers 404: then the tombstone is
// what refuses the runs. Only runs whose own head_branch is the task's branch are ever touched.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "orchkit/forge/repo_api.hpp"
#include "orchkit/json.hpp"
#include "orchkit/result.hpp"
#include "orchkit/util/units.hpp"

namespace orchkit::forge {

struct Run {
  int64_t id = 0;
  std::string branch = {};  // head_branch, as the server reports it
  std::string status = {};  // queued | waiting | in_progress | cancelling | completed | ...
  std::string conclusion = {};
  std::string name = {};  // display_title, else the workflow path
};

// The runs of a list answer ({"workflow_runs": [...]}, or a bare array); entries without an id
// are skipped.
std::vector<Run> parse_runs(const Json& doc);
Run parse_run(const Json& run);
// Not finished: anything but `completed` (and the terminal words some servers use as status).
bool run_active(const Run& r);
// The active runs of `branch` among `listed`, each once: a run of another branch is never
// chosen, whatever the server's filter did.
std::vector<Run> runs_to_cancel(const std::vector<Run>& listed, std::string_view branch);

// What happened to one run.
struct RunOutcome {
  Run run = {};
  std::string result = {};  // cancelled | force-cancelled | already ended | still <status> | failed
  std::string detail = {};
};

struct CancelReport {
  bool supported = true;  // false: the server has no Actions runs API (404)
  std::vector<RunOutcome> runs = {};
  std::vector<std::string> problems = {};  // calls that failed (an indication: the tombstone stands)
};

struct CancelOptions {
  Duration grace = Duration(10'000);  // how long cancel requests are given before force-cancel
  Duration poll = Duration(500);
  bool dry_run = false;                      // list only
  std::function<void(Duration)> sleep = {};  // default: sleep this thread
};

// Lists, cancels, polls within the grace, force-cancels what remains, and reads each run's end.
CancelReport cancel_branch_runs(const RepoApi& api, const std::vector<std::string>& branches,
                                const CancelOptions& opts);

}  // namespace orchkit::forge
