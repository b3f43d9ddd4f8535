// plane-status reconcile: one pass over each project's work items. STOP -> the stop of the
// generation observed (lib/orchkit/stop, in-process); To Analyse -> plane.start_command (the only entry point that
// starts a pipeline), once per generation: a start record claimed in the state before it runs (start_once.hpp). One
// paginated listing per project, filtered here (the API has no state filter), no per-item GET. Board and command
// failures are warnings (exit 0; --strict: exit 3).
#include <cstdio>
#include <filesystem>

#include "orchkit/json_writer.hpp"
#include "orchkit/process/proc.hpp"
#include "orchkit/records/tasks.hpp"
#include "orchkit/stop/sequence.hpp"
#include "orchkit/util/log.hpp"
#include "orchkit/util/units.hpp"
#include "plane-status/plan.hpp"
#include "plane-status/run.hpp"
#include "plane-status/start_once.hpp"

namespace plane_status {

using namespace orchkit;

namespace {

struct ProjectReport {
  std::string ident = {};
  std::optional<std::string> stop_state = {};
  std::optional<std::string> to_analyse_state = {};
  int64_t listed = 0;
  int pages = 0;
  std::optional<std::string> warning = {};
};

struct ActionReport {
  std::string project = {};
  std::string task = {};
  std::string issue = {};
  Trigger trigger = Trigger::stop;
  Decision decision = {};
  int64_t generation = 1;
  std::vector<std::string> command = {};
  bool ran = false;
  std::optional<int> exit_code = {};
  bool timed_out = false;
  int64_t start_generation = 0;                 // start/relaunch: the generation started
  int64_t attempt = 0;                          // its attempt this pass ran (0: none)
  std::optional<std::string> stop_status = {};  // Action::stop: the stop's status (cancelled, deferred, …)
  bool cancelled_shown = false;
  std::optional<std::string> warning = {};
};

struct Candidate {
  plane::WorkItem item = {};
  Trigger trigger = Trigger::stop;
};

// Text for a Markdown table cell: one line, no column breaks.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else out += (c == '\n' ? ' ' : c);
  }
  return out;
}

std::string argv_text(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

class Reconciler {
 public:
  Reconciler(const Options& o, Workspace& ws, plane::Board& board) : o_(o), ws_(ws), board_(board), tasks_(ws) {}

  void project(const std::string& ident) {
    ProjectReport pr;
    pr.ident = ident;
    auto p = board_.project(ident);
    if (!p) return project_warning(pr, p.error().message);
    auto stop = board_.resolve(ident, "stop");
    if (!stop) return project_warning(pr, stop.error().message);
    auto start = board_.resolve(ident, "to_analyse");
    if (!start) return project_warning(pr, start.error().message);
    // Only a state the project really has is a trigger: a fallback (To Analyse -> Todo) would
    // start every Todo item.
    if (stop->via == plane::Via::direct) pr.stop_state = stop->state_id;
    else
      warn(ident + ": no STOP state ('" + stop->state_name +
           "'): STOP on the board cannot be seen (create it in Plane)");
    if (start->via == plane::Via::direct) pr.to_analyse_state = start->state_id;
    else log::info(ident + ": no 'To Analyse' state: nothing starts from this project's board");
    if (!pr.stop_state && !pr.to_analyse_state) {
      projects_.push_back(pr);
      return;
    }

    std::vector<Candidate> found;
    auto pages = board_.client().list_work_items((*p)->id, o_.per_page, [&](const plane::Page& page) -> Result<void> {
      pr.listed += static_cast<int64_t>(page.items.size());
      if (++pr.pages % 10 == 0) log::info(ident + ": " + std::to_string(pr.listed) + " work items listed so far");
      for (const auto& item : page.items) {
        if (pr.stop_state && item.state == *pr.stop_state) found.push_back({item, Trigger::stop});
        else if (pr.to_analyse_state && item.state == *pr.to_analyse_state)
          found.push_back({item, Trigger::to_analyse});
      }
      return {};
    });
    if (!pages) return project_warning(pr, pages.error().message);
    projects_.push_back(pr);
    for (const auto& c : found) act(ident, c);
  }

  bool any_warning() const { return !warnings_.empty(); }

  // The Markdown step summary of a scheduled reconcile (Gitea/GitHub Actions).
  std::string summary() const {
    std::string md = std::string("## plane-status reconcile") + (o_.dry_run ? " (dry run)" : "") + "\n\n";
    for (const auto& p : projects_) {
      md += "- " + p.ident + ": " + std::to_string(p.listed) + " work items" +
            (p.warning ? " (not reconciled: " + *p.warning + ")" : std::string()) + "\n";
    }
    if (!actions_.empty()) md += "\n| task | board | action | why |\n| --- | --- | --- | --- |\n";
    for (const auto& a : actions_) {
      md += "| " + a.task + " | " + (a.trigger == Trigger::stop ? "STOP" : "To Analyse") + " | " +
            std::string(action_name(a.decision.action)) +
            (a.exit_code ? " (exit " + std::to_string(*a.exit_code) + ")" : "") +
            (a.stop_status ? " (" + *a.stop_status + ")" : "") + " | " +
            cell(a.warning ? *a.warning : a.decision.reason) + " |\n";
    }
    return md;
  }

  void print(bool json) const {
    if (json) {
      JsonWriter w;
      w.object().field("dry_run", o_.dry_run).field("requests", static_cast<uint64_t>(board_.stats().requests));
      w.field("rate_limit_pauses", static_cast<uint64_t>(board_.stats().pauses));
      w.key("projects").array();
      for (const auto& p : projects_) {
        w.object().field("project", p.ident);
        w.key("stop_state").opt_str(p.stop_state);
        w.key("to_analyse_state").opt_str(p.to_analyse_state);
        w.key("listed").num_signed(p.listed);
        w.field("pages", static_cast<uint64_t>(p.pages));
        w.key("warning").opt_str(p.warning);
        w.end();
      }
      w.end().key("actions").array();
      for (const auto& a : actions_) {
        w.object().field("project", a.project).field("task", a.task).field("issue", a.issue);
        w.field("trigger", trigger_name(a.trigger)).field("action", action_name(a.decision.action));
        w.field("reason", a.decision.reason);
        w.key("generation").num_signed(a.generation);
        w.key("start_generation");
        if (a.start_generation) w.num_signed(a.start_generation);
        else w.null();
        w.key("attempt").num_signed(a.attempt);
        w.key("command").array();
        for (const auto& arg : a.command) w.str(arg);
        w.end().field("ran", a.ran);
        w.key("exit_code");
        if (a.exit_code) w.num_signed(*a.exit_code);
        else w.null();
        w.key("stop_status").opt_str(a.stop_status);
        w.field("cancelled_shown", a.cancelled_shown);
        w.key("warning").opt_str(a.warning);
        w.end();
      }
      w.end().key("warnings").array();
      for (const auto& m : warnings_) w.str(m);
      w.end().end();
      std::printf("%s\n", log::redact(w.text()).c_str());
      return;
    }
    for (const auto& p : projects_) {
      std::printf("%s: %lld work items in %d page%s", p.ident.c_str(), static_cast<long long>(p.listed), p.pages,
                  p.pages == 1 ? "" : "s");
      if (p.warning) std::printf(" (not reconciled: %s)", p.warning->c_str());
      std::printf("\n");
    }
    for (const auto& a : actions_) {
      std::printf("  %-12s %-10s %-14s %s", a.task.c_str(), a.trigger == Trigger::stop ? "STOP" : "To Analyse",
                  std::string(action_name(a.decision.action)).c_str(), a.decision.reason.c_str());
      if (!a.command.empty()) std::printf(" [%s]", argv_text(a.command).c_str());
      if (o_.dry_run && a.decision.action != Action::skip) std::printf(" (dry run: not run)");
      if (a.attempt > 1) std::printf(" (attempt %lld)", static_cast<long long>(a.attempt));
      if (a.exit_code) std::printf(": exit %d", *a.exit_code);
      if (a.stop_status) std::printf(": %s", a.stop_status->c_str());
      if (a.cancelled_shown) std::printf(", board: Cancelled");
      std::printf("\n");
    }
    std::printf("%d Plane requests%s\n", board_.stats().requests,
                o_.dry_run ? " (dry run: nothing ran, nothing changed)" : "");
  }

 private:
  void warn(const std::string& m) {
    warnings_.push_back(log::redact(m));
    log::warning(m);
  }
  void project_warning(ProjectReport& pr, const std::string& m) {
    pr.warning = log::redact(m);
    projects_.push_back(pr);
    warn(pr.ident + ": " + m);
  }

  void act(const std::string& ident, const Candidate& c) {
    ActionReport a;
    a.project = ident;
    a.issue = c.item.id;
    a.trigger = c.trigger;
    if (c.item.sequence_id <= 0) {
      a.decision = {Action::skip, "the work item has no sequence_id: no task key"};
      a.warning = "work item " + c.item.id + ": " + a.decision.reason;
      return finish(std::move(a));
    }
    a.task = ident + "-" + std::to_string(c.item.sequence_id);
    if (auto ok = check_task_key(ws_.cfg, a.task); !ok) {
      a.decision = {Action::skip, ok.error().message};
      a.warning = a.task + ": " + ok.error().message;
      return finish(std::move(a));
    }
    TaskFacts f;
    const auto stage = tasks_.stage_file(a.task);
    f.has_stage_file = stage.has_value();
    if (stage) {
      f.stage = stage->stage.value_or("");
      f.generation = stage->generation;
    }
    auto dead = tasks_.tombstoned(a.task, f.generation);
    if (!dead) {
      a.decision = {Action::skip, "cannot read the state file"};
      a.warning = a.task + ": " + dead.error().message;
      return finish(std::move(a));
    }
    f.tombstoned = *dead;
    a.generation = f.generation;
    a.decision = decide(c.trigger, f);

    switch (a.decision.action) {
      case Action::stop:
        if (!o_.dry_run) stop(a, c.item);
        break;
      case Action::mark_cancelled:
        if (!o_.dry_run) show_cancelled(a, ident, c.item);
        break;
      case Action::start:
      case Action::relaunch: {
        const int64_t gen = f.tombstoned ? f.generation + 1 : f.generation;
        const auto& argv = ws_.cfg.plane.start_command;
        a.command = expand_command(
            argv, {{"task", a.task}, {"issue", c.item.id}, {"project", ident}, {"generation", std::to_string(gen)}});
        if (argv.empty()) {
          a.warning = a.task + ": plane.start_command is empty: nothing started (set [plane] start_command)";
          break;
        }
        start_once(a, gen);
        break;
      }
      case Action::skip: break;
    }
    finish(std::move(a));
  }

  StartPolicy policy() const {
    const auto& p = ws_.cfg.plane;
    return {p.start_timeout.count() + 60'000, p.start_retry.count(), p.start_retry_max.count()};
  }

  // Generation `gen` starts once: the start record is claimed in the state before the command
  // runs and holds its outcome after (start_once.hpp). A claim that cannot be made starts nothing.
  void start_once(ActionReport& a, int64_t gen) {
    a.start_generation = gen;
    if (o_.dry_run) {
      auto st = tasks_.readable();
      std::optional<state::StartRecord> cur;
      if (st && *st)
        if (auto r = (*st)->start_record(a.task, gen)) cur = *r;
      auto c = decide_claim(cur, a.task, gen, state::holder_id(), state::now_ms(), state::now_utc(), policy());
      if (!c.go) a.decision = {Action::skip, c.reason};
      return;
    }
    auto st = tasks_.writable();
    auto claim =
        st ? claim_start(**st, a.task, gen, state::holder_id(), policy()) : Result<StartClaim>(fail(st.error()));
    if (!claim) {
      a.decision = {Action::skip, "the start could not be recorded"};
      a.warning = a.task + ": not started: cannot record the start of generation " + std::to_string(gen) + ": " +
                  claim.error().message + " (the next pass tries again)";
      return;
    }
    if (!claim->go) {
      a.decision = {Action::skip, claim->reason};
      return;
    }
    a.attempt = claim->next.attempts;
    const Duration timeout = ws_.cfg.plane.start_timeout;
    run_command(a, timeout);
    std::string detail = a.warning.value_or("");
    if (a.exit_code)
      detail = *a.exit_code == 124 && a.timed_out ? "timed out after " + format_duration(timeout)
                                                  : "exited " + std::to_string(*a.exit_code);
    const auto done = finish_claim(claim->next, a.exit_code, detail, state::now_ms(), state::now_utc(), policy());
    auto kept = (*st)->swap_start(claim->next, done);
    if (done.is(state::StartStatus::failed))
      a.warning = a.task + ": the start command " + detail + " (attempt " + std::to_string(done.attempts) +
                  "): retried after " + format_duration(Duration(backoff_ms(done.attempts, policy()))) +
                  " by a later pass";
    if (!kept || !*kept)
      a.warning = a.warning.value_or(a.task + ": started") + "; its outcome could not be recorded" +
                  (kept ? std::string() : ": " + kept.error().message) + " (a pass retries once the claim expires)";
  }

  void run_command(ActionReport& a, Duration timeout) {
    log::info(a.task + ": running " + argv_text(a.command));
    auto out = proc::run(a.command, ws_.workdir, timeout);
    a.ran = true;
    if (!out) {
      a.warning = a.task + ": " + out.error().message;
      return;
    }
    a.timed_out = out->timed_out;
    a.exit_code = out->timed_out ? 124 : out->exit_code;
  }

  // The stop of the generation observed, in-process; its last step shows Cancelled on this
  // pass's board (the item's state as just listed: no GET).
  void stop(ActionReport& a, const plane::WorkItem& item) {
    stop::StopRequest req;
    req.task = a.task;
    req.generation = a.generation;
    req.reason = "STOP on the board";
    req.issue = item.id;
    req.board = &board_;
    req.known_state = item.state;
    records::StopReport report;
    auto done = stop::run_stop(ws_, req, report);
    a.ran = true;
    a.stop_status = report.status;
    if (!done) {
      a.warning = a.task + ": the stop failed: " + done.error().message +
                  ": the item stays in STOP; the next reconcile tries again";
      return;
    }
    for (const auto& s : report.steps)
      if (s.step == "board") {
        a.cancelled_shown = s.result == "done";
        if (!a.cancelled_shown) a.warning = a.task + ": cancelled, but the board: " + s.detail;
      }
  }

  void show_cancelled(ActionReport& a, const std::string& ident, const plane::WorkItem& item) {
    auto r = board_.resolve(ident, "cancelled");
    if (!r || !r->state_id) {
      a.warning = a.task + ": cannot show Cancelled: " + (r ? r->warning.value_or(r->why) : r.error().message);
      return;
    }
    // The listing just said the item is in STOP: no GET needed.
    auto applied = board_.apply(ident, item.id, *r, std::optional<std::string>(item.state));
    if (!applied) {
      a.warning = a.task + ": cannot show Cancelled: " + applied.error().message;
      return;
    }
    a.cancelled_shown = true;
  }

  void finish(ActionReport a) {
    if (a.warning) warn(*a.warning);
    actions_.push_back(std::move(a));
  }

  const Options& o_;
  Workspace& ws_;
  plane::Board& board_;
  records::Tasks tasks_;
  std::vector<ProjectReport> projects_ = {};
  std::vector<ActionReport> actions_ = {};
  std::vector<std::string> warnings_ = {};
};

}  // namespace

Result<Exit> run_reconcile(const Options& o, Workspace& ws) {
  std::vector<std::string> idents;
  if (o.project) {
    if (ws.cfg.plane.projects.count(*o.project) == 0)
      return fail(Exit::usage,
                  "--project " + *o.project + ": no [plane.projects." + *o.project + "] in " + ws.cfg.source);
    idents.push_back(*o.project);
  } else {
    for (const auto& [ident, p] : ws.cfg.plane.projects) idents.push_back(ident);
  }
  ORCHKIT_TRY(opts, board_options(o, ws, Duration(5 * 60 * 1000)));
  auto board = plane::Board::open(ws.cfg, opts);
  if (!board) {
    const std::string m = "nothing reconciled: " + board.error().message;
    if (o.common.json) log::mark_stdout_used();
    if (o.common.json)
      std::printf("{\"dry_run\":%s,\"requests\":0,\"projects\":[],\"actions\":[],\"warnings\":[%s]}\n",
                  o.dry_run ? "true" : "false", json_quote(m).c_str());
    if (o.strict) return fail(Exit::error, m + " (--strict)");
    log::warning(m);
    return Exit::ok;
  }
  if (idents.empty()) log::info("no [plane.projects.<IDENT>] configured: nothing to reconcile");
  Reconciler rec(o, ws, *board);
  for (const auto& ident : idents) rec.project(ident);
  rec.print(o.common.json);
  if (o.common.json) log::mark_stdout_used();
  log::step_summary(rec.summary());
  if (rec.any_warning() && o.strict) return fail(Exit::error, "reconcile finished with warnings (--strict)");
  return Exit::ok;
}

}  // namespace plane_status
