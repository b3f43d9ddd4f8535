// The stop of a task (SPEC §7), in-process: gather the facts, decide_stop() (decide.hpp), then
// the plan (every refusal before anything is done) and the journaled steps (steps.hpp), each
// recorded in stop_requests.steps so that a stop killed halfway finishes when run again. Called
// by stop-task, by the deferred-stop runner (merge-verify, guard) and by plane-status reconcile.
#pragma once

#include "orchkit/records/stop.hpp"
#include "orchkit/result.hpp"
#include "orchkit/stop/request.hpp"
#include "orchkit/workspace.hpp"

namespace orchkit::stop {

// Fills `report` as it goes (also when it fails: status "failed", the message, the steps done).
// Exit 4 for a refusal (an unsafe plan, a task key that cannot be a name), 3 when a step fails.
Result<void> run_stop(Workspace& ws, const StopRequest& req, records::StopReport& report);

}  // namespace orchkit::stop
