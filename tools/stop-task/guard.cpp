// `stop-task guard`: an irreversible step (a deploy) run as a critical window of the task, and
// `stop-task register`: recording an agent process of the task.
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "orchkit/process/proc.hpp"
#include "orchkit/saferm.hpp"
#include "orchkit/state/lease.hpp"
#include "orchkit/state/lease_names.hpp"
#include "orchkit/state/open.hpp"
#include "orchkit/stop/deferred.hpp"
#include "orchkit/stop/processes.hpp"
#include "orchkit/stop/safety.hpp"
#include "orchkit/util/log.hpp"
#include "orchkit/workspace.hpp"
#include "stop-task/run.hpp"

namespace stop_task {

using namespace orchkit;
namespace fs = std::filesystem;

Result<Exit> run_guard(const Options& o) {
  ORCHKIT_TRY(ws, open_workspace(o.dir, o.common.config, true));
  if (auto rule = stop::task_key_rule(o.task, ws.cfg))
    return fail(Exit::refused, "task key '" + o.task + "': " + *rule);
  ORCHKIT_CHECK(refuse_if_cancelled(ws, o.task));
  ORCHKIT_TRY(opened, state::open_state(ws, state::Access::write));
  state::State& st = *opened;
  std::string name = lease_names::guard(o.kind, ws.repo_id, o.task);
  ORCHKIT_TRY(lease, acquire_lease(st, name, o.task, ws.cfg.state.lease_ttl, Duration(60'000)));
  log::info("critical window " + name + " open: running " + o.argv.front());
  // Renew the lease while the step runs, so a long deploy never loses its window.
  std::string holder = state::holder_id();
  auto out = proc::run(
      o.argv, ws.workdir, Duration(24LL * 3600 * 1000),
      [&](Duration) { (void)st.try_acquire(name, holder, o.task, ws.cfg.state.lease_ttl.count()); },
      Duration(std::max<int64_t>(1000, ws.cfg.state.lease_ttl.count() / 3)));
  ORCHKIT_CHECK(lease.release());
  auto ran = stop::run_deferred_stops(ws, o.task);
  if (!ran) log::warning("deferred stops: " + ran.error().message);
  else if (*ran) log::info(std::to_string(*ran) + " deferred stop(s) ran after the window");
  if (!out) return fail(std::move(out).error());
  if (out->exit_code != 0)
    return fail(Exit::error,
                o.argv.front() + " exited with status " + std::to_string(out->exit_code) + " inside the window");
  return Exit::ok;
}

Result<Exit> run_register(const Options& o) {
  ORCHKIT_TRY(ws, open_workspace(o.dir, o.common.config, true));
  if (auto rule = stop::task_key_rule(o.task, ws.cfg))
    return fail(Exit::refused, "task key '" + o.task + "': " + *rule);
  ORCHKIT_CHECK(refuse_if_cancelled(ws, o.task));
  fs::path root(ws.cfg.task.worktrees_root);
  if (root.is_relative()) root = fs::path(ws.main_worktree) / root;
  std::error_code ec;
  fs::create_directories(root, ec);
  ORCHKIT_TRY(real_root, real_path(root.string()));
  pid_t pid = o.pid ? static_cast<pid_t>(*o.pid) : ::getppid();
  ORCHKIT_CHECK(stop::register_agent(stop::agents_file(real_root, o.task), pid));
  std::printf("registered pid %d as an agent of %s\n", static_cast<int>(pid), o.task.c_str());
  return Exit::ok;
}

}  // namespace stop_task
