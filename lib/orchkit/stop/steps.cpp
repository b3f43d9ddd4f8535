#include "orchkit/stop/steps.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "orchkit/forge/actions.hpp"
#include "orchkit/notify/gitea.hpp"
#include "orchkit/notify/telegram.hpp"
#include "orchkit/plane/stage.hpp"
#include "orchkit/saferm.hpp"
#include "orchkit/stop/processes.hpp"
#include "orchkit/util/log.hpp"

namespace orchkit::stop {

namespace fs = std::filesystem;

namespace {
std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}
}  // namespace

Result<void> step_processes(StepContext& c) {
  std::vector<procfs::Identity> agents;
  if (!c.plan.real_root.empty()) agents = read_agents(agents_file(c.plan.real_root, c.plan.key));
  std::string wt = c.plan.worktree.value_or("");
  if (wt.empty() && agents.empty()) {
    c.report.add("processes", "skipped", "no worktree and no registered agent");
    return {};
  }
  Reaped r = terminate(wt, agents, c.grace, c.req.dry_run);
  c.report.signalled = r.signalled.size();
  c.report.survivors = r.survivors.size();
  if (c.req.dry_run) {
    c.report.add(
        "processes", "would",
        "SIGTERM " + std::to_string(r.signalled.size()) + " process(es), SIGKILL after " + format_duration(c.grace));
    return {};
  }
  if (!r.survivors.empty())
    return fail(Exit::error, std::to_string(r.survivors.size()) + " process(es) of " + c.plan.key +
                                 " survived SIGKILL (uninterruptible?); run stop-task again");
  c.report.add(
      "processes", "done",
      std::to_string(r.signalled.size()) + " signalled, " + std::to_string(r.killed.size()) + " needed SIGKILL");
  if (!c.plan.real_root.empty()) {
    std::error_code ec;
    fs::remove(agents_file(c.plan.real_root, c.plan.key), ec);
  }
  return {};
}

Result<void> step_jobs(StepContext& c) {
  // The tombstone (step 7) makes every orchkit binary refuse this generation everywhere; where
  // the server has the Actions API, the task's queued and running runs are cancelled too. Every
  // failure here is an indication: the tombstone stands whatever the forge answered.
  notify::GiteaEndpoint end = notify::gitea_endpoint(c.ws.cfg.gitea.api_url, c.ws.repo_id);
  if (end.api_url.empty()) {
    c.report.add("jobs", "skipped", "no [gitea] api_url: queued runs are refused by the tombstone");
    return {};
  }
  auto api = forge::repo_api(end.api_url, end.token, end.owner_repo, "cancelling CI runs");
  if (!api) {
    c.report.add("jobs", "skipped", api.error().message + ": queued runs are refused by the tombstone");
    return {};
  }
  std::vector<std::string> branches;
  for (const auto& r : c.plan.remote_branches) branches.push_back(r.branch);
  for (const auto& b : c.plan.local_branches)
    if (std::find(branches.begin(), branches.end(), b) == branches.end()) branches.push_back(b);
  if (branches.empty()) {
    c.report.add("jobs", "skipped", "no branch of the task: no run to cancel");
    return {};
  }
  forge::CancelOptions opts;
  opts.grace = c.grace;
  opts.dry_run = c.req.dry_run;
  forge::CancelReport r = forge::cancel_branch_runs(*api, branches, opts);
  if (!r.supported) {
    c.report.add("jobs", "skipped", "the Actions runs API is not supported by this server: the tombstone refuses them");
    return {};
  }
  for (const auto& run : r.runs) {
    std::string what = "run " + std::to_string(run.run.id) + (run.run.name.empty() ? "" : " (" + run.run.name + ")") +
                       " on " + run.run.branch + ": " + run.result +
                       (run.detail.empty() ? "" : " (" + run.detail + ")");
    bool ok = run.result == "cancelled" || run.result == "force-cancelled" || run.result == "already ended";
    c.report.add("jobs", c.req.dry_run ? "would" : (ok ? "done" : "failed"), what);
  }
  for (const auto& p : r.problems) c.report.add("jobs", "failed", p + " (the tombstone refuses the runs)");
  if (r.runs.empty() && r.problems.empty())
    c.report.add("jobs", "already", "no queued or running CI run of " + branches.front());
  return {};
}

namespace {
// A stop killed mid-removal leaves the renamed directory ".orchkit-removing-<KEY>-<pid>" inside
// the root: finish removing it (remove_tree never follows a symlink).
Result<void> remove_leftovers(const StepContext& c) {
  if (c.plan.real_root.empty()) return {};
  std::string prefix = ".orchkit-removing-" + c.plan.key + "-";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(c.plan.real_root, ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    if (c.req.dry_run) {
      c.report.add("worktree", "would", "remove the leftover " + name);
      continue;
    }
    ORCHKIT_CHECK(remove_tree(c.plan.real_root, name));
  }
  return {};
}

// git's entries for worktree directories already gone (a stop killed between the removal and the
// prune): while one is left its branch counts as checked out and could not be deleted.
Result<void> prune_stale(const StepContext& c) {
  if (c.req.dry_run) return {};
  for (const auto& name : c.plan.stale_worktrees) ORCHKIT_CHECK(c.ws.repo->prune_worktree(name));
  return {};
}
}  // namespace

Result<void> step_worktree(StepContext& c) {
  ORCHKIT_CHECK(remove_leftovers(c));
  ORCHKIT_CHECK(prune_stale(c));
  if (!c.plan.worktree) {
    c.report.add("worktree", "already",
                 "no worktree at " + (c.plan.real_root.empty() ? std::string("(no worktrees root)")
                                                               : c.plan.real_root + "/" + c.plan.key));
    c.report.worktree_removed = true;
    return {};
  }
  if (c.req.dry_run) {
    c.report.add("worktree", "would", "remove " + *c.plan.worktree);
    return {};
  }
  ORCHKIT_CHECK(remove_tree(c.plan.real_root, c.plan.key));
  ORCHKIT_CHECK(c.ws.repo->prune_worktree(*c.plan.worktree_name));
  c.report.worktree_removed = true;
  c.report.add("worktree", "done", "removed " + *c.plan.worktree);
  return {};
}

Result<void> step_branches(StepContext& c) {
  ORCHKIT_CHECK(prune_stale(c));  // also when the worktree step was journaled by an earlier run
  for (const auto& r : c.plan.remote_branches) {
    if (c.req.dry_run) {
      c.report.add("branch", "would",
                   "delete origin/" + r.branch + " (at " + r.oid.substr(0, 12) + ") by a non-force push");
      continue;
    }
    ORCHKIT_TRY(res, c.ws.repo->delete_remote_branch("origin", r.branch, r.oid));
    if (!res.ok)
      return fail(Exit::error, "origin/" + r.branch + ": " + res.message + " (run stop-task again once resolved)");
    c.report.add("branch", "done", "deleted origin/" + r.branch);
  }
  for (const auto& b : c.plan.local_branches) {
    if (c.req.dry_run) {
      c.report.add("branch", "would", "delete local " + b);
      continue;
    }
    ORCHKIT_TRY(gone, c.ws.repo->delete_local_branch(b));
    if (gone) c.report.add("branch", "done", "deleted local " + b);
  }
  if (c.plan.remote_branches.empty() && c.plan.local_branches.empty())
    c.report.add(
        "branch", "already",
        c.plan.has_origin ? "no branch of the task on origin or locally" : "no origin remote and no local branch");
  c.report.branch_deleted = !c.req.dry_run;
  return {};
}

Result<void> step_tombstones(StepContext& c) {
  std::string gen = std::to_string(c.plan.generation);
  if (c.req.dry_run) {
    c.report.add("tombstone", "would", "tombstone task " + c.plan.key + " generation " + gen);
    return {};
  }
  ORCHKIT_CHECK(
      c.st->add_tombstone(state::TombstoneKind::task, c.plan.key, c.plan.generation, c.plan.key, c.req.reason));
  for (const auto& b : c.plan.local_branches)
    ORCHKIT_CHECK(c.st->add_tombstone(state::TombstoneKind::branch, b, c.plan.generation, b, c.req.reason));
  for (const auto& r : c.plan.remote_branches)
    ORCHKIT_CHECK(
        c.st->add_tombstone(state::TombstoneKind::branch, r.branch, c.plan.generation, r.branch, c.req.reason));
  if (!c.plan.issue.empty())
    // The original id stays recoverable: natural_key is "<uuid>#<generation>", original the uuid.
    ORCHKIT_CHECK(c.st->add_tombstone(state::TombstoneKind::plane_issue, c.plan.issue + "#" + gen, c.plan.generation,
                                      c.plan.issue, c.req.reason));
  c.report.add("tombstone", "done", "task " + c.plan.key + " generation " + gen + " is cancelled");
  return {};
}

void step_board_and_notify(StepContext& c) {
  if (c.req.dry_run) {
    c.report.add("board", "would", "record stage cancelled in 00-stage.md and show Cancelled on the board");
    return;
  }
  // The one writer of 00-stage.md and of the board's state for a task, called in-process.
  plane::StageRequest req;
  req.task = c.plan.key;
  req.stage = "cancelled";
  req.cancelled_generation = c.plan.generation;
  req.issue = c.req.issue ? c.req.issue : (c.plan.issue.empty() ? std::nullopt : std::optional(c.plan.issue));
  req.board = c.req.board;
  req.known_state = c.req.known_state;
  req.previous = c.plan.stage;
  plane::BoardOptions opts;
  opts.cache_dir = plane::cache_dir_for(c.ws);
  auto out = plane::report_stage(c.ws, req, opts);
  if (!out) c.report.add("board", "failed", "00-stage.md not written: " + out.error().message);
  else if (out->indication.warning)
    c.report.add("board", "failed", *out->indication.warning + " (an indication only, the cancel stands)");
  else c.report.add("board", "done", out->indication.changed ? "Cancelled" : "Cancelled (already shown)");
  if (c.ws.cfg.telegram.chat_id.empty()) return;
  std::string text =
      "*stop\\-task*: " + notify::markdown_v2_escape(c.plan.key + " generation " + std::to_string(c.plan.generation) +
                                                     " cancelled (" + c.req.reason + ")");
  auto sent =
      notify::send_telegram(c.ws.cfg.telegram.api_url, env("TELEGRAM_BOT_TOKEN"), c.ws.cfg.telegram.chat_id, text);
  c.report.add("notify", sent ? "done" : "failed", sent ? "telegram" : sent.error().message);
}

}  // namespace orchkit::stop
