// plane-status set: record the pipeline's stage in 00-stage.md and show it on the board
// (plane::report_stage, the one writer of both).
// The board is an indication: its failures are warnings (exit 0), or exit 3 with --strict.
#include <cstdio>

#include "orchkit/json_writer.hpp"
#include "orchkit/plane/dispatch.hpp"
#include "orchkit/plane/stage.hpp"
#include "orchkit/util/file.hpp"
#include "orchkit/util/log.hpp"
#include "plane-status/run.hpp"

namespace plane_status {

using namespace orchkit;

namespace {

void print(const records::StageRecord& r, const plane::Indication& ind, const std::string& path, bool json) {
  if (json) {
    JsonWriter w;
    w.object().field("task", r.task).field("stage", r.stage).field("key", r.key);
    w.key("state_id").opt_str(r.state_id);
    w.field("resolved_via", r.resolved_via).field("changed", ind.changed);
    w.key("warning").opt_str(ind.warning ? std::optional<std::string>(log::redact(*ind.warning)) : std::nullopt);
    w.key("generation").num_signed(r.generation);
    w.key("issue").opt_str(r.issue);
    w.key("project").opt_str(r.project);
    w.key("health").opt_str(r.health);
    w.field("board", r.board).field("requests", static_cast<uint64_t>(ind.requests)).field("artefact", path);
    w.end();
    std::printf("%s\n", w.text().c_str());
    return;
  }
  std::printf("%s: stage %s (generation %lld) recorded in %s\n", r.task.c_str(), r.stage.c_str(),
              static_cast<long long>(r.generation), path.c_str());
  if (r.state_id) {
    std::printf("board: %s -> %s (%s, %s): %s\n", r.key.c_str(), ind.resolution.state_name.c_str(), r.state_id->c_str(),
                r.resolved_via.c_str(),
                ind.ok ? (ind.changed ? "updated" : "already there, unchanged") : "not updated");
  } else {
    std::printf("board: %s: not updated\n", r.key.c_str());
  }
}

}  // namespace

Result<Exit> run_set(const Options& o, Workspace& ws) {
  ORCHKIT_CHECK(check_task_key(ws.cfg, o.task));
  if (!ws.repo)
    return fail(Exit::error, ws.workdir +
                                 " is not inside a git repository: the stage record lives in the repository's "
                                 "artefacts directory (run plane-status in the checkout, or pass -C)");
  plane::StageRequest req;
  req.task = o.task;
  req.stage = o.stage;
  req.issue = o.issue;
  req.project = o.project;
  if (o.health) {
    auto h = plane::parse_health(*o.health);
    if (!h) return fail(Exit::usage, "--health '" + *o.health + "' (expected healthy or degraded)");
    req.health = *h;
  }
  ORCHKIT_TRY(opts, board_options(o, ws, Duration(30'000)));
  ORCHKIT_TRY(out, plane::report_stage(ws, req, std::move(opts)));
  print(out.record, out.indication, out.path, o.common.json);
  if (o.common.json) log::mark_stdout_used();
  const auto& warning = out.indication.warning;
  if (!warning) return Exit::ok;
  if (o.strict) return fail(Exit::error, *warning + " (--strict)");
  log::warning(*warning);
  return Exit::ok;
}

}  // namespace plane_status
