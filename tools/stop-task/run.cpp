// stop-task: the sequence of SPEC §7. Every step is journaled in stop_requests.steps, so a
// stop killed halfway finishes when run again and a finished one says "already cancelled".
#include "stop-task/run.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <set>
#include <sstream>
#include <thread>

#include "orchkit/file.hpp"
#include "orchkit/frontmatter.hpp"
#include "orchkit/lease.hpp"
#include "orchkit/log.hpp"
#include "orchkit/records/location.hpp"
#include "orchkit/state.hpp"
#include "orchkit/workspace.hpp"
#include "stop-task/plan.hpp"
#include "stop-task/report.hpp"
#include "stop-task/safety.hpp"
#include "stop-task/steps.hpp"

namespace stop_task {

using namespace orchkit;

namespace {

std::set<std::string> split(const std::string& s) {
  std::set<std::string> out;
  std::istringstream in(s);
  for (std::string t; std::getline(in, t, ',');)
    if (!t.empty()) out.insert(t);
  return out;
}

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& t : s) out += (out.empty() ? "" : ",") + t;
  return out;
}

// What an earlier run of this stop saved, from the 90-stop.md it wrote right after saving.
Saved load_saved(const Workspace& ws, const std::string& key) {
  auto text = read_file(ws.task_dir(key) + "/90-stop.md");
  if (!text) return {};
  auto fm = parse_front_matter(*text, "90-stop.md");
  if (!fm) return {};
  return read_saved(*fm);
}

Exit finish(const Report& r, const Options& o, Exit code) {
  std::fputs((o.common.json ? render_json(r) : render_text(r)).c_str(), stdout);
  log::step_summary("## stop-task: " + r.task + " " + r.status + "\n\n" + r.message + "\n");
  return code;
}

// Blocks until the deferred stop has been run by the window's owner, or the window is gone
// (then this process runs it). Returns true when it is done.
Result<bool> wait_for_window(state::State& st, const std::string& key, int64_t gen, Duration bound) {
  auto deadline = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < deadline) {
    ORCHKIT_TRY(reqs, st.stop_requests(key));
    for (const auto& r : reqs)
      if (r.generation == gen && r.status == "done") return true;
    ORCHKIT_TRY(window, st.window_for_task(key));
    if (!window) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return fail(Exit::error, "waited " + format_duration(bound) + " for the critical window of " + key + " to end");
}

}  // namespace

Result<Exit> run(const Options& o) {
  if (o.command == Command::guard) return run_guard(o);
  if (o.command == Command::register_agent) return run_register(o);
  ORCHKIT_TRY(ws, open_workspace(o.dir, o.common.config, !o.common.show_config));
  if (o.grace) ORCHKIT_CHECK(set_config_value(ws.cfg, "stop.grace", *o.grace, Origin::flag, "--grace"));
  // A broken [coverage] never blocks a stop: it is a warning here.
  if (o.common.show_config) return print_config(ws.cfg, {"project.", "task.", "state.", "stop."});
  ORCHKIT_CHECK(require_valid_config(ws.cfg, {"project.", "task.", "state.", "stop."}));
  Report r;
  r.task = o.task;
  if (auto rule = task_key_rule(o.task, ws.cfg)) return fail(Exit::refused, "task key '" + o.task + "': " + *rule);
  ORCHKIT_CHECK(records::check_key_as_name(o.task));
  int64_t live = live_generation(ws, o.task);
  r.generation = o.generation.value_or(live);
  if (!ws.cfg.stop.enabled) {
    r.status = "disabled";
    r.message = "stop.enabled = false (ORCH_STOP_STATUS_ENABLED=0): nothing touched";
    return finish(r, o, Exit::ok);
  }
  // A dry run never creates the state file: without one it reads an empty in-memory state.
  bool have_state = std::filesystem::exists(ws.state_path);
  ORCHKIT_TRY(st, state::State::open(o.dry_run && !have_state ? std::string(":memory:") : ws.state_path, true));
  if (o.generation && *o.generation != live) {
    r.status = "stale";
    r.message = "generation " + std::to_string(*o.generation) + " is not the live generation " + std::to_string(live) +
                ": a late or replayed stop; nothing touched";
    if (!o.dry_run) {
      ORCHKIT_TRY(reqs, st.stop_requests(o.task));
      bool known = false;
      for (const auto& q : reqs) known = known || q.generation == *o.generation;
      if (!known) ORCHKIT_CHECK(st.set_stop_status(o.task, *o.generation, "stale", ""));
    }
    return finish(r, o, Exit::ok);
  }
  ORCHKIT_TRY(reqs, st.stop_requests(o.task));
  std::set<std::string> journal;
  for (const auto& q : reqs)
    if (q.generation == live) {
      journal = split(q.steps);
      if (q.status == "done") {
        r.status = "already_cancelled";
        r.message = o.task + " generation " + std::to_string(live) + " is already cancelled";
        return finish(r, o, Exit::ok);
      }
    }
  ORCHKIT_TRY(window, st.window_for_task(o.task));
  if (window && !o.dry_run) {
    ORCHKIT_CHECK(st.defer_stop(o.task, live, window->name, o.reason));
    if (!o.wait) {
      r.status = "deferred";
      r.message = "inside the critical window " + window->name + " (held by " + window->holder +
                  "): the stop runs when the irreversible step ends";
      return finish(r, o, Exit::ok);
    }
    log::info("deferred: waiting for " + window->name + " to end");
    ORCHKIT_TRY(done, wait_for_window(st, o.task, live, ws.cfg.state.lease_ttl + Duration(60'000)));
    if (done) {
      r.status = "cancelled";
      r.message = "the window's owner ran the deferred stop";
      return finish(r, o, Exit::ok);
    }
  }

  // One stop of a task at a time: a second one (a --wait that saw the window close while the
  // owner starts the deferred stop) waits here, then finds the journal finished.
  std::optional<LeaseGuard> stop_lease;
  if (!o.dry_run) {
    ORCHKIT_TRY(l, acquire_lease(st, "stop:" + ws.repo_id + ":" + o.task, o.task, ws.cfg.state.lease_ttl,
                                 ws.cfg.state.lease_ttl));
    stop_lease.emplace(std::move(l));
    ORCHKIT_TRY(again, st.stop_requests(o.task));
    for (const auto& q : again)
      if (q.generation == live) {
        journal = split(q.steps);
        if (q.status == "done") {
          r.status = o.wait ? "cancelled" : "already_cancelled";
          r.message = o.task + " generation " + std::to_string(live) + " was cancelled by a concurrent stop";
          return finish(r, o, Exit::ok);
        }
      }
  }
  ORCHKIT_TRY(plan, make_plan(ws, o.task, live));
  StepContext c{ws, o, plan, o.dry_run ? nullptr : &st, r, ws.cfg.stop.grace};
  if (journal.count("save")) {
    r.saved = load_saved(ws, o.task);
    r.saved_patch = r.saved.patch;
    r.saved_bundle = r.saved.bundle;
  }
  auto journaled = [&](const std::string& step, const std::function<Result<void>()>& body,
                       bool again = false) -> Result<void> {
    if (journal.count(step) && !again) {
      r.add(step, "already", "done by an earlier run");
      return {};
    }
    ORCHKIT_CHECK(body());
    if (o.dry_run) return {};
    journal.insert(step);
    return st.set_stop_status(o.task, live, "running", join(journal));
  };
  if (!o.dry_run && journal.empty()) ORCHKIT_CHECK(st.set_stop_status(o.task, live, "running", ""));
  // A worktree at <root>/<KEY> after an earlier run removed it (re-created within the generation)
  // has its processes stopped and its work saved again before it goes; a branch that moved after
  // the save (pushed from elsewhere) is saved again before it is deleted.
  const bool worktree_back = plan.worktree.has_value();
  auto save = [&]() -> Result<void> {
    ORCHKIT_CHECK(step_save(c));
    if (o.dry_run) return {};
    // Recorded now, so what was saved (and how to restore it) is known even if this run dies.
    r.status = "stopping";
    return write_file_atomic(ws.task_dir(o.task) + "/90-stop.md", render_artefact(r, o.reason, state::now_utc()));
  };
  auto steps = [&]() -> Result<void> {
    ORCHKIT_CHECK(journaled(
        "processes", [&] { return step_processes(c); }, worktree_back));
    ORCHKIT_CHECK(journaled("jobs", [&] { return step_jobs(c); }));
    bool resave = worktree_back || (journal.count("save") && !saved_covers(c));
    ORCHKIT_CHECK(journaled("save", save, resave));
    ORCHKIT_CHECK(journaled(
        "worktree", [&] { return step_worktree(c); }, worktree_back));
    ORCHKIT_CHECK(journaled("branch", [&] { return step_branches(c); }));
    ORCHKIT_CHECK(journaled("tombstone", [&] { return step_tombstones(c); }));
    return {};
  };
  auto done = steps();
  if (!done) {
    r.status = "failed";
    r.message = done.error().message;
    if (o.common.json) {
      std::fputs(render_json(r).c_str(), stdout);
      log::mark_stdout_used();
    }
    return fail(std::move(done).error());
  }
  step_board_and_notify(c);
  if (o.dry_run) {
    r.status = "dry_run";
    r.message = "nothing was done";
    return finish(r, o, Exit::ok);
  }
  ORCHKIT_CHECK(st.set_stop_status(o.task, live, "done", join(journal)));
  r.status = "cancelled";
  r.worktree_removed = r.worktree_removed || journal.count("worktree");
  r.message = o.task + " generation " + std::to_string(live) + " is cancelled; a new 'To Analyse' starts generation " +
              std::to_string(live + 1);
  auto art = write_file_atomic(ws.task_dir(o.task) + "/90-stop.md", render_artefact(r, o.reason, state::now_utc()));
  if (!art) log::warning("cannot write 90-stop.md: " + art.error().message);
  return finish(r, o, Exit::ok);
}

}  // namespace stop_task
