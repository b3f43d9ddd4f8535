#include "plane-status/run.hpp"

#include <cstdio>

#include "orchkit/util/log.hpp"

namespace plane_status {

using namespace orchkit;

Result<plane::BoardOptions> board_options(const Options& o, const Workspace& ws, Duration default_budget) {
  plane::BoardOptions b;
  auto timeout = parse_duration(o.timeout);
  if (!timeout || *timeout <= Duration(0))
    return fail(Exit::usage, "--timeout '" + o.timeout + "' is not a duration (e.g. 10s)");
  b.timeout = *timeout;
  b.budget = default_budget;
  if (o.budget) {
    auto budget = parse_duration(*o.budget);
    if (!budget || *budget <= Duration(0))
      return fail(Exit::usage, "--budget '" + *o.budget + "' is not a duration (e.g. 30s)");
    b.budget = *budget;
  }
  b.cache_dir = plane::cache_dir_for(ws);
  return b;
}

Result<Exit> run(const Options& o) {
  ORCHKIT_TRY(ws, open_workspace(o.dir, o.common.config, false));
  if (o.common.show_config) return print_config(ws.cfg, {"project.", "task.", "plane."});
  ORCHKIT_CHECK(require_valid_config(ws.cfg, {"project.", "task."}));
  switch (o.command) {
    case Command::set: return run_set(o, ws);
    case Command::resolve: return run_resolve(o, ws);
    case Command::states: return run_states(o, ws);
    case Command::reconcile: return run_reconcile(o, ws);
    case Command::none: break;
  }
  return fail(Exit::usage, "a command is required: set, resolve, states or reconcile (see --help)");
}

}  // namespace plane_status
