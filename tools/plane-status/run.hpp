// plane-status: the Plane board follows the pipeline (set), shows how keys resolve (resolve,
// states), and turns STOP / To Analyse into stop-task / the start command (reconcile).
#pragma once

#include "orchkit/plane/board.hpp"
#include "orchkit/result.hpp"
#include "orchkit/workspace.hpp"
#include "plane-status/options.hpp"

namespace plane_status {

orchkit::Result<orchkit::Exit> run(const Options& opts);

// The board options for a command: timeouts from the flags, the cache beside the state file.
orchkit::Result<orchkit::plane::BoardOptions> board_options(const Options& o, const orchkit::Workspace& ws,
                                                            orchkit::Duration default_budget);

orchkit::Result<orchkit::Exit> run_set(const Options& o, orchkit::Workspace& ws);
orchkit::Result<orchkit::Exit> run_resolve(const Options& o, orchkit::Workspace& ws);
orchkit::Result<orchkit::Exit> run_states(const Options& o, orchkit::Workspace& ws);
orchkit::Result<orchkit::Exit> run_reconcile(const Options& o, orchkit::Workspace& ws);

}  // namespace plane_status
