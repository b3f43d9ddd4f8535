// plane-status set: record the pipeline's stage in 00-stage.md and show it on the board.
// The board is an indication: its failures are warnings (exit 0), or exit 3 with --strict.
#include <cstdio>

#include "orchkit/file.hpp"
#include "orchkit/json_writer.hpp"
#include "orchkit/log.hpp"
#include "orchkit/plane/dispatch.hpp"
#include "orchkit/records/location.hpp"
#include "plane-status/plan.hpp"
#include "plane-status/run.hpp"
#include "plane-status/tasks.hpp"

namespace plane_status {

using namespace orchkit;

namespace {

void print(const StageRecord& r, const plane::Indication& ind, const std::string& path, bool json) {
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
  ORCHKIT_TRY(path, records::task_record(ws.cfg, ws.main_worktree, o.task, "00-stage.md"));
  plane::Health health = plane::Health::none;
  if (o.health) {
    auto h = plane::parse_health(*o.health);
    if (!h) return fail(Exit::usage, "--health '" + *o.health + "' (expected healthy or degraded)");
    health = *h;
  }
  if (!plane::is_known_stage(o.stage)) ORCHKIT_CHECK(plane::key_for_stage(o.stage, false));  // the usage error
  if (o.project && ws.cfg.plane.projects.count(*o.project) == 0)
    return fail(Exit::usage,
                "--project " + *o.project + ": no [plane.projects." + *o.project + "] in " + ws.cfg.source);

  Tasks tasks(ws);
  const auto previous = tasks.stage_file(o.task);
  const int64_t live = previous ? previous->generation : 1;

  // A cancelled generation is never acted for; `to_analyse` re-creates the task as the next one.
  std::optional<Error> db_error;
  auto dead = [&](int64_t gen) {
    auto t = tasks.tombstoned(o.task, gen);
    if (!t) {
      if (!db_error) db_error = t.error();
      return false;
    }
    return *t;
  };
  const Generation gen = decide_generation(live, o.stage, dead);
  if (db_error) return fail(*db_error);
  if (gen.refused) {
    ORCHKIT_CHECK(refuse_if_cancelled(ws, o.task));
    return fail(Exit::refused,
                o.task + " generation " + std::to_string(live) + " is cancelled: refusing to act for it");
  }
  if (gen.renewed) {
    log::info(o.task + " generation " + std::to_string(live) + " was cancelled: 'to_analyse' starts generation " +
              std::to_string(gen.value));
  }

  std::optional<std::string> ident = o.project;
  if (!ident && previous && previous->project && ws.cfg.plane.projects.count(*previous->project))
    ident = previous->project;
  if (!ident) ident = plane::project_of_task(ws.cfg, o.task);
  const bool self_hosting = ident ? ws.cfg.plane.projects.at(*ident).self_hosting : ws.cfg.project.self_hosting;
  ORCHKIT_TRY(key, plane::key_for_stage(o.stage, self_hosting, health));
  std::optional<std::string> issue = o.issue;
  if (!issue && previous) issue = previous->issue;

  plane::Indication ind;
  ind.resolution.key = key;
  if (!ident) {
    ind.warning = "board not updated: no Plane project for " + o.task +
                  " (pass --project IDENT, or add [plane.projects." + o.task.substr(0, o.task.rfind('-')) +
                  "] to the config)";
  } else {
    ORCHKIT_TRY(opts, board_options(o, ws, Duration(30'000)));
    ind = plane::indicate(ws.cfg, *ident, issue.value_or(""), key, opts);
  }

  StageRecord r;
  r.task = o.task;
  r.stage = recorded_stage(previous ? previous->stage : std::nullopt, o.stage, health);
  r.key = key;
  r.state_id = ind.resolution.state_id;
  r.generation = gen.value;
  r.updated_at = state::now_utc();
  r.issue = issue;
  r.project = ident;
  r.resolved_via = std::string(plane::via_name(ind.resolution.via));
  if (health != plane::Health::none) r.health = std::string(plane::health_name(health));
  r.board = ind.ok ? (ind.changed ? "updated" : "unchanged") : (ident ? "failed" : "skipped");
  r.board_warning = ind.warning;
  ORCHKIT_CHECK(write_file_atomic(path, render_stage_file(r)));

  print(r, ind, path, o.common.json);
  if (o.common.json) log::mark_stdout_used();
  if (!ind.warning) return Exit::ok;
  if (o.strict) return fail(Exit::error, *ind.warning + " (--strict)");
  log::warning(*ind.warning);
  return Exit::ok;
}

}  // namespace plane_status
