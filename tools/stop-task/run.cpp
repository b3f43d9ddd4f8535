// stop-task: the flags into a stop::StopRequest, the stop run in-process (lib/orchkit/stop), the
// report printed. `guard` and `register` are guard.cpp's.
#include "stop-task/run.hpp"

#include <cstdio>

#include "orchkit/records/stop.hpp"
#include "orchkit/stop/sequence.hpp"
#include "orchkit/util/log.hpp"
#include "orchkit/workspace.hpp"

namespace stop_task {

using namespace orchkit;

namespace {

const std::vector<std::string_view> kSections = {"project.", "task.", "state.", "stop."};

void print(const records::StopReport& r, bool json) {
  std::fputs((json ? records::render_json(r) : records::render_text(r)).c_str(), stdout);
  if (json) log::mark_stdout_used();
}

}  // namespace

Result<Exit> run(const Options& o) {
  if (o.command == Command::guard) return run_guard(o);
  if (o.command == Command::register_agent) return run_register(o);
  ORCHKIT_TRY(ws, open_workspace(o.dir, o.common.config, !o.common.show_config));
  if (o.grace) ORCHKIT_CHECK(set_config_value(ws.cfg, "stop.grace", *o.grace, Origin::flag, "--grace"));
  // A broken [coverage] never blocks a stop: it is a warning here.
  if (o.common.show_config) return print_config(ws.cfg, kSections);
  ORCHKIT_CHECK(require_valid_config(ws.cfg, kSections));
  stop::StopRequest req;
  req.task = o.task;
  req.generation = o.generation;
  req.reason = o.reason;
  req.dry_run = o.dry_run;
  req.wait = o.wait;
  records::StopReport r;
  auto done = stop::run_stop(ws, req, r);
  if (!done) {
    // A refusal before anything was done prints no report; a step that failed prints what ran.
    if (r.status == "failed" && o.common.json) print(r, true);
    return fail(std::move(done).error());
  }
  print(r, o.common.json);
  log::step_summary("## stop-task: " + r.task + " " + r.status + "\n\n" + r.message + "\n");
  return Exit::ok;
}

}  // namespace stop_task
