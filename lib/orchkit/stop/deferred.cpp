#include "orchkit/stop/deferred.hpp"

#include <filesystem>

#include "orchkit/state/open.hpp"
#include "orchkit/stop/sequence.hpp"
#include "orchkit/util/log.hpp"

namespace orchkit::stop {

Result<int> run_deferred_stops(Workspace& ws, const std::string& task) {
  if (task.empty()) return 0;
  std::vector<state::StopRequest> deferred;
  {
    ORCHKIT_TRY(st, state::open_state(ws, state::Access::read));
    if (!st) return 0;
    ORCHKIT_TRY(reqs, st->stop_requests(task));
    for (auto& r : reqs)
      if (r.is(state::StopStatus::deferred)) deferred.push_back(std::move(r));
  }
  int ran = 0;
  for (const auto& d : deferred) {
    log::info("running the stop of " + d.task + " deferred during " + d.window);
    StopRequest req;
    req.task = d.task;
    req.generation = d.generation;
    if (!d.reason.empty()) req.reason = d.reason;
    records::StopReport report;
    auto done = run_stop(ws, req, report);
    if (!done) {
      log::warning("deferred stop of " + d.task + ": " + done.error().message + " (run `stop-task --task " + d.task +
                   "` again)");
      continue;
    }
    log::info("deferred stop of " + d.task + ": " + report.status +
              (report.message.empty() ? "" : " — " + report.message));
    ++ran;
  }
  return ran;
}

}  // namespace orchkit::stop
