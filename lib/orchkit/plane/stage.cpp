#include "orchkit/plane/stage.hpp"

#include "orchkit/records/location.hpp"
#include "orchkit/records/tasks.hpp"
#include "orchkit/state/state.hpp"
#include "orchkit/util/file.hpp"
#include "orchkit/util/log.hpp"

namespace orchkit::plane {

Generation decide_generation(int64_t live, std::string_view stage, const std::function<bool(int64_t)>& tombstoned) {
  Generation g;
  g.value = live;
  if (!tombstoned(live)) return g;
  if (stage == "cancelled") return g;  // showing a cancel that happened is not acting for the task
  if (stage != "to_analyse") {
    g.refused = true;
    return g;
  }
  g.renewed = true;
  for (int tries = 0; tries < 1000 && tombstoned(g.value); ++tries) ++g.value;
  return g;
}

std::string recorded_stage(const std::optional<std::string>& previous, std::string_view stage, Health health) {
  if (health != Health::none && previous && *previous == "done" && stage == "monitoring") return *previous;
  return std::string(stage);
}

namespace {

// The generation to record, or the refusal (exit 4) of a cancelled one.
Result<int64_t> generation_for(Workspace& ws, const StageRequest& req, int64_t live) {
  if (req.cancelled_generation) return *req.cancelled_generation;
  records::Tasks tasks(ws);
  std::optional<Error> db_error;
  auto dead = [&](int64_t gen) {
    auto t = tasks.tombstoned(req.task, gen);
    if (!t) {
      if (!db_error) db_error = t.error();
      return false;
    }
    return *t;
  };
  const Generation gen = decide_generation(live, req.stage, dead);
  if (db_error) return fail(*db_error);
  if (gen.refused) {
    ORCHKIT_CHECK(refuse_if_cancelled(ws, req.task));
    return fail(Exit::refused,
                req.task + " generation " + std::to_string(live) + " is cancelled: refusing to act for it");
  }
  if (gen.renewed)
    log::info(req.task + " generation " + std::to_string(live) + " was cancelled: 'to_analyse' starts generation " +
              std::to_string(gen.value));
  return gen.value;
}

}  // namespace

Result<StageOutcome> report_stage(Workspace& ws, const StageRequest& req, BoardOptions options) {
  ORCHKIT_TRY(path, records::task_record(ws.cfg, ws.main_worktree, req.task, records::stage_record_name));
  if (!is_known_stage(req.stage)) ORCHKIT_CHECK(key_for_stage(req.stage, false));  // the usage error
  if (req.project && ws.cfg.plane.projects.count(*req.project) == 0)
    return fail(Exit::usage,
                "--project " + *req.project + ": no [plane.projects." + *req.project + "] in " + ws.cfg.source);
  const auto previous = req.previous ? req.previous : records::read_stage(ws, req.task);
  ORCHKIT_TRY(generation, generation_for(ws, req, previous ? previous->generation : 1));

  std::optional<std::string> ident = req.project;
  if (!ident && previous && previous->project && ws.cfg.plane.projects.count(*previous->project))
    ident = previous->project;
  if (!ident) ident = project_of_task(ws.cfg, req.task);
  const bool self_hosting = ident ? ws.cfg.plane.projects.at(*ident).self_hosting : ws.cfg.project.self_hosting;
  ORCHKIT_TRY(key, key_for_stage(req.stage, self_hosting, req.health));
  std::optional<std::string> issue = req.issue;
  if (!issue && previous) issue = previous->issue;

  StageOutcome out;
  Indication& ind = out.indication;
  ind.resolution.key = key;
  if (!ident)
    ind.warning = "board not updated: no Plane project for " + req.task +
                  " (pass --project IDENT, or add [plane.projects." + req.task.substr(0, req.task.rfind('-')) +
                  "] to the config)";
  else if (req.board) ind = indicate(*req.board, *ident, issue.value_or(""), key, req.known_state);
  else ind = indicate(ws.cfg, *ident, issue.value_or(""), key, std::move(options));

  records::StageRecord& r = out.record;
  r.task = req.task;
  r.stage = recorded_stage(previous ? previous->stage : std::nullopt, req.stage, req.health);
  r.key = key;
  r.state_id = ind.resolution.state_id;
  r.generation = generation;
  r.updated_at = state::now_utc();
  r.issue = issue;
  r.project = ident;
  r.resolved_via = std::string(via_name(ind.resolution.via));
  if (req.health != Health::none) r.health = std::string(health_name(req.health));
  r.board = ind.ok ? (ind.changed ? "updated" : "unchanged") : (ident ? "failed" : "skipped");
  r.board_warning = ind.warning;
  ORCHKIT_CHECK(write_file_atomic(path, records::render_stage_file(r)));
  out.path = path;
  return out;
}

}  // namespace orchkit::plane
