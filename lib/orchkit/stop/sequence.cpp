#include "orchkit/stop/sequence.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <set>
#include <sstream>
#include <thread>

#include "orchkit/records/location.hpp"
#include "orchkit/state/lease.hpp"
#include "orchkit/state/lease_names.hpp"
#include "orchkit/state/open.hpp"
#include "orchkit/stop/decide.hpp"
#include "orchkit/stop/plan.hpp"
#include "orchkit/stop/safety.hpp"
#include "orchkit/stop/steps.hpp"
#include "orchkit/util/file.hpp"
#include "orchkit/util/log.hpp"

namespace orchkit::stop {

namespace {

using Journal = std::set<std::string>;

Journal split(const std::string& s) {
  Journal out;
  std::istringstream in(s);
  for (std::string t; std::getline(in, t, ',');)
    if (!t.empty()) out.insert(t);
  return out;
}

std::string join(const Journal& s) {
  std::string out;
  for (const auto& t : s) out += (out.empty() ? "" : ",") + t;
  return out;
}

// The journal of generation `gen` (and whether it is finished), from the state.
struct Recorded {
  Journal journal = {};
  bool done = false;
  bool known = false;
};
Result<Recorded> recorded(state::State& st, const std::string& task, int64_t gen) {
  ORCHKIT_TRY(reqs, st.stop_requests(task));
  Recorded r;
  for (const auto& q : reqs)
    if (q.generation == gen) {
      r.known = true;
      r.journal = split(q.steps);
      r.done = q.is(state::StopStatus::done);
    }
  return r;
}

// Blocks until the deferred stop has been run by the window's owner, or the window is gone
// (then this process runs it). Returns true when it is done.
Result<bool> wait_for_window(state::State& st, const std::string& key, int64_t gen, Duration bound) {
  auto deadline = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < deadline) {
    ORCHKIT_TRY(now, recorded(st, key, gen));
    if (now.done) return true;
    ORCHKIT_TRY(window, st.window_for_task(key));
    if (!window) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return fail(Exit::error, "waited " + format_duration(bound) + " for the critical window of " + key + " to end");
}

Result<void> write_record(const Workspace& ws, const records::StopReport& r, const std::string& reason) {
  return write_file_atomic(ws.task_dir(r.task) + "/" + records::stop_record_name,
                           records::render_artefact(r, reason, state::now_utc()));
}

// The journaled steps of SPEC §7 (3–7) for the live generation; `journal` holds what an
// earlier run finished.
class Steps {
 public:
  Steps(StepContext& c, state::State& st, Journal journal) : c_(c), st_(st), journal_(std::move(journal)) {}

  Result<void> run() {
    if (!c_.req.dry_run && journal_.empty()) ORCHKIT_CHECK(status(state::StopStatus::running));
    if (journal_.count("save")) c_.report.saved = records::load_saved(c_.ws, c_.plan.key);
    // A worktree at <root>/<KEY> after an earlier run removed it (re-created within the
    // generation) has its processes stopped and its work saved again before it goes; a branch
    // that moved after the save (pushed from elsewhere) is saved again before it is deleted.
    const bool back = c_.plan.worktree.has_value();
    ORCHKIT_CHECK(step(
        "processes", [&] { return step_processes(c_); }, back));
    ORCHKIT_CHECK(step("jobs", [&] { return step_jobs(c_); }));
    ORCHKIT_CHECK(step(
        "save", [&] { return save(); }, back || (journal_.count("save") && !saved_covers(c_))));
    ORCHKIT_CHECK(step(
        "worktree", [&] { return step_worktree(c_); }, back));
    ORCHKIT_CHECK(step("branch", [&] { return step_branches(c_); }));
    ORCHKIT_CHECK(step("tombstone", [&] { return step_tombstones(c_); }));
    return {};
  }

  Result<void> status(state::StopStatus s) {
    return st_.set_stop_status(c_.plan.key, c_.plan.generation, s, join(journal_));
  }
  bool did(const std::string& step) const { return journal_.count(step) > 0; }

 private:
  Result<void> step(const std::string& name, const std::function<Result<void>()>& body, bool again = false) {
    if (did(name) && !again) {
      c_.report.add(name, "already", "done by an earlier run");
      return {};
    }
    ORCHKIT_CHECK(body());
    if (c_.req.dry_run) return {};
    journal_.insert(name);
    return status(state::StopStatus::running);
  }

  Result<void> save() {
    ORCHKIT_CHECK(step_save(c_));
    if (c_.req.dry_run) return {};
    // Recorded now, so what was saved (and how to restore it) is known even if this run dies.
    c_.report.status = "stopping";
    return write_record(c_.ws, c_.report, c_.req.reason);
  }

  StepContext& c_;
  state::State& st_;
  Journal journal_;
};

Result<void> ends(records::StopReport& r, const StopDecision& d) {
  r.status = d.status;
  r.message = d.message;
  return {};
}

// The facts decide_stop needs, from the config, the stage record and the state.
struct Gathered {
  StopFacts facts = {};
  Recorded live = {};
  std::optional<state::Lease> window = {};
};
Result<Gathered> gather(Workspace& ws, const StopRequest& req, state::State& st, int64_t live) {
  Gathered g;
  StopFacts& f = g.facts;
  f.enabled = ws.cfg.stop.enabled;
  f.live = live;
  f.asked = req.generation;
  f.dry_run = req.dry_run;
  f.wait = req.wait;
  ORCHKIT_TRY(asked, recorded(st, req.task, req.generation.value_or(live)));
  ORCHKIT_TRY(now, recorded(st, req.task, live));
  ORCHKIT_TRY(window, st.window_for_task(req.task));
  f.asked_recorded = asked.known;
  f.live_done = now.done;
  g.live = std::move(now);
  if (window) {
    f.window = window->name;
    f.window_holder = window->holder;
  }
  g.window = std::move(window);
  return g;
}

}  // namespace

Result<void> run_stop(Workspace& ws, const StopRequest& req, records::StopReport& r) {
  r.task = req.task;
  if (!ws.repo) return fail(Exit::error, ws.workdir + " is not inside a git repository: nothing to stop there");
  // Each caller validated its own sections; a stop also reads these.
  ORCHKIT_CHECK(require_valid_config(ws.cfg, {"project.", "task.", "state.", "stop."}));
  if (auto rule = task_key_rule(req.task, ws.cfg)) return fail(Exit::refused, "task key '" + req.task + "': " + *rule);
  ORCHKIT_CHECK(records::check_key_as_name(req.task));
  // 00-stage.md once per stop: the live generation, the plan's issue, the stage writer's defaults
  const auto stage = records::read_stage(ws, req.task);
  const int64_t live = stage ? stage->generation : 1;
  r.generation = req.generation.value_or(live);
  if (!ws.cfg.stop.enabled) {
    StopFacts off;
    off.enabled = false;
    return ends(r, decide_stop(off, req.task));
  }
  // A dry run never creates the state: without one it reads an empty in-memory state.
  ORCHKIT_TRY(opened, state::open_state(ws, req.dry_run ? state::Access::read : state::Access::write));
  if (!opened) {
    ORCHKIT_TRY(empty, state::State::open(":memory:", true));
    opened.emplace(std::move(empty));
  }
  state::State& st = *opened;
  ORCHKIT_TRY(g, gather(ws, req, st, live));
  const StopDecision d = decide_stop(g.facts, req.task);
  if (d.verdict == Verdict::stale && d.record_stale)
    ORCHKIT_CHECK(st.set_stop_status(req.task, r.generation, state::StopStatus::stale, ""));
  if (d.verdict == Verdict::defer || d.verdict == Verdict::wait)
    ORCHKIT_CHECK(st.defer_stop(req.task, live, g.window->name, req.reason));
  if (d.verdict == Verdict::wait) {
    log::info(d.message);
    ORCHKIT_TRY(done, wait_for_window(st, req.task, live, ws.cfg.state.lease_ttl + Duration(60'000)));
    if (done) return ends(r, {Verdict::already, "cancelled", "the window's owner ran the deferred stop"});
  } else if (d.verdict != Verdict::proceed) {
    return ends(r, d);
  }

  // One stop of a task at a time: a second one (a --wait that saw the window close while the
  // owner starts the deferred stop) waits here, then finds the journal finished.
  std::optional<LeaseGuard> stop_lease;
  Journal journal = g.live.journal;
  if (!req.dry_run) {
    ORCHKIT_TRY(l, acquire_lease(st, lease_names::stop(ws.repo_id, req.task), req.task, ws.cfg.state.lease_ttl,
                                 ws.cfg.state.lease_ttl));
    stop_lease.emplace(std::move(l));
    ORCHKIT_TRY(again, recorded(st, req.task, live));
    if (again.done)
      return ends(r, {Verdict::already, req.wait ? "cancelled" : "already_cancelled",
                      req.task + " generation " + std::to_string(live) + " was cancelled by a concurrent stop"});
    journal = again.journal;
  }
  ORCHKIT_TRY(plan, make_plan(ws, req.task, live, stage));
  StepContext c{ws, req, plan, req.dry_run ? nullptr : &st, r, ws.cfg.stop.grace};
  Steps steps(c, st, journal);
  if (auto done = steps.run(); !done) {
    r.status = "failed";
    r.message = done.error().message;
    return fail(std::move(done).error());
  }
  step_board_and_notify(c);
  if (req.dry_run) return ends(r, {Verdict::proceed, "dry_run", "nothing was done"});
  ORCHKIT_CHECK(steps.status(state::StopStatus::done));
  r.status = "cancelled";
  r.worktree_removed = r.worktree_removed || steps.did("worktree");
  r.message = req.task + " generation " + std::to_string(live) +
              " is cancelled; a new 'To Analyse' starts generation " + std::to_string(live + 1);
  if (auto art = write_record(ws, r, req.reason); !art) log::warning("cannot write 90-stop.md: " + art.error().message);
  return {};
}

}  // namespace orchkit::stop
