// `coverage-gate check`: the target's policy → kill-switch and scope → task and tombstone
// refusal → the facts (caught up? this run's reports, the baseline, the patch) → decide →
// artefact → notify → exit code. SIGINT/SIGTERM stop the measure and write nothing.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <regex>

#include "coverage-gate/context.hpp"
#include "coverage-gate/gather.hpp"
#include "coverage-gate/notify.hpp"
#include "coverage-gate/outcome.hpp"
#include "coverage-gate/pr_comment.hpp"
#include "coverage-gate/run.hpp"
#include "coverage-gate/status.hpp"
#include "orchkit/config.hpp"
#include "orchkit/line_data.hpp"
#include "orchkit/process/signals.hpp"
#include "orchkit/records/location.hpp"
#include "orchkit/state/open.hpp"
#include "orchkit/util/file.hpp"
#include "orchkit/util/log.hpp"
#include "orchkit/util/sha256.hpp"
#include "orchkit/version.hpp"

namespace coverage_gate {

using namespace orchkit;
namespace fs = std::filesystem;

namespace {

bool in_scope(const Context& ctx) {
  for (const auto& s : ctx.cfg.coverage.scope) {
    if (s == "all") return true;
    if (s == "self-hosting" && ctx.cfg.project.self_hosting) return true;
    if (s == ctx.repo_id) return true;
  }
  return false;
}

Policy policy_of(const Config& cfg) {
  Policy p{*mode_from_name(cfg.coverage.mode), cfg.coverage.min, cfg.coverage.epsilon, cfg.coverage.patch_min,
           cfg.coverage.on_tool_error == "fail"};
  p.rule = *rule_from_name(cfg.coverage.rule);
  p.max_new_uncovered = static_cast<uint64_t>(std::max<int64_t>(0, cfg.coverage.max_new_uncovered));
  p.patch_max_uncovered = cfg.coverage.patch_max_uncovered;
  return p;
}

// --artefact is the operator's own path; a task's record is located by the one rule (exit 4
// when it would land outside the artefacts directory).
Result<std::optional<std::string>> artefact_path(const Context& ctx, const Options& opts) {
  if (opts.no_artefact) return std::optional<std::string>{};
  if (opts.artefact)
    return std::optional<std::string>(fs::path(*opts.artefact).is_absolute() ? *opts.artefact
                                                                             : ctx.workdir + "/" + *opts.artefact);
  if (!opts.task) return std::optional<std::string>{};
  ORCHKIT_TRY(path, records::gate_record(ctx.cfg, ctx.main_worktree, *opts.task));
  return std::optional<std::string>(path);
}

// `check --task K` on a branch that names another task is a usage error: the artefact would
// be filed under the wrong task.
Result<void> task_matches_branch(Context& ctx, const std::string& task) {
  auto branch = ctx.repo->head_branch();
  const std::string& prefix = ctx.cfg.task.branch_prefix;
  if (!branch || prefix.empty() || branch->rfind(prefix, 0) != 0) return {};
  std::smatch m;
  std::string rest = branch->substr(prefix.size());
  if (!std::regex_search(rest, m, std::regex("^(" + ctx.cfg.task.key_pattern + ")"))) return {};
  if (m[1].str() == task) return {};
  return fail(Exit::usage, "--task " + task + ": the checked-out branch " + *branch + " belongs to task " + m[1].str() +
                               " (pass --task " + m[1].str() + ", or check out the task's branch)");
}

Exit exit_of(Status s) {
  switch (s) {
    case Status::fail: return Exit::no;
    case Status::error: return Exit::error;
    default: return Exit::ok;
  }
}

// Gathers every fact into the outcome; an error is orchkit's own failure (git, the state
// file): exit 3. Returns the merged coverage (for the line data) when something was read.
Result<std::optional<coverage::Coverage>> gather(Context& ctx, const Options& opts, Outcome& out) {
  std::optional<coverage::Coverage> cov;
  if (!out.facts.enabled || !out.facts.in_scope) return cov;
  git::Repository& repo = *ctx.repo;
  const std::string& measured = out.commit->sha;
  const char* head_ref = std::getenv("GITHUB_HEAD_REF");
  ORCHKIT_TRY(history,
              gather_history(repo, ctx.target, measured,
                             head_ref && *head_ref ? std::optional<std::string>(head_ref) : std::nullopt, ctx.workdir));
  record(out, history);
  cov = record(out, gather_lines(ctx, repo, opts, measured));
  if (out.interrupted) return cov;
  ORCHKIT_TRY(baseline, gather_baseline(ctx));
  record(out, baseline);
  if (cov && out.facts.measured) {
    auto p = gather_patch(repo, *cov, measured, history, out.paths, patch_check_on(out.policy));
    if (p) record(out, std::move(*p));
    else if (patch_check_on(out.policy)) record(out, Finding{Reason::tool_error, p.error().message, true});
    else out.notes.push_back("patch coverage not computed: " + p.error().message);
    ORCHKIT_TRY(diff, gather_differential(ctx, repo, *cov, measured, baseline, out.policy.rule));
    record(out, std::move(diff));
  }
  return cov;
}

// <artefact stem>.lines.gz beside a regular-file artefact (never beside a device such as
// /dev/null: that would write into /dev); its hash goes into the front matter.
// With state.backend = "git" the artefact and its line data travel in the state branch too, so
// merge-verify, queue-report and stop-task on another runner find them. The verdict stands
// whatever happens here: a record that did not travel is a warning (merge-verify elsewhere then
// finds no gate).
void share_gate_record(const Context& ctx, const std::string& task, const std::string& text, const std::string& lines) {
  if (ctx.cfg.state.backend != "git") return;
  auto st = state::open_state(ctx, state::Access::write);
  auto put = st ? (*st)->put_gate(task, text, lines) : Result<void>(fail(std::move(st).error()));
  if (!put) log::warning("the gate record did not reach the state branch: " + put.error().message);
}

// The line data written ("" when the artefact is not a regular file).
Result<std::string> write_line_data(const std::string& artefact, const coverage::Coverage& cov, Outcome& out) {
  std::error_code ec;
  auto st = fs::symlink_status(artefact, ec);
  if (!ec && fs::exists(st) && !fs::is_regular_file(st)) return std::string();
  ORCHKIT_TRY(gz, line_data::encode(cov));
  std::string path = line_data::path_beside(artefact);
  auto w = write_file_atomic(path, gz);
  if (!w) return fail(w.error().exit, "cannot write the line data: " + w.error().message);
  out.line_data_sha256 = sha256_hex(gz);
  return gz;
}

void report(const Context& ctx, const Options& opts, const Outcome& out) {
  notify_outcome(ctx, out);
  post_pr_comment(ctx, opts.pr, out);
  annotate_diff(out);
  // The verdict is printed once, on stdout; inside Actions it is also an annotation.
  if (out.verdict.status == Status::fail || out.verdict.status == Status::error) log::annotate("error", sentence(out));
  else if (out.verdict.status == Status::warn) log::annotate("warning", sentence(out));
  if (!log::step_summary("## coverage-gate: " + std::string(status_name(out.verdict.status)) + "\n\n" + sentence(out) +
                         "\n"))
    log::warning("cannot append to $GITHUB_STEP_SUMMARY");
  std::string text = opts.common.json ? render_json(out) + "\n" : render_text(out);
  std::fputs(text.c_str(), stdout);
}

// The check once the context is made; `status` is set once the measured commit is known, and
// finished on every path that reaches a verdict or an interrupt.
Result<Exit> check_in(Context& ctx, const Options& opts, std::optional<CheckStatus>& status) {
  if (opts.task) ORCHKIT_CHECK(task_matches_branch(ctx, *opts.task));
  ORCHKIT_TRY(artefact, artefact_path(ctx, opts));
  Outcome out;
  out.version = orchkit::version;
  out.task = opts.task;
  out.target = ctx.target;
  out.policy = policy_of(ctx.cfg);
  out.policy_origin = ctx.policy.origin;
  out.policy_changes = ctx.policy.changes;
  out.facts.policy_changed = !ctx.policy.changes.empty();
  out.facts.enabled = ctx.cfg.coverage.enabled;
  out.facts.in_scope = in_scope(ctx);
  ORCHKIT_TRY(head, ctx.repo->head());
  out.commit = head;
  // pending as soon as the commit is known: every later failure (a damaged state file too)
  // finishes it with error, so the required check never waits for a status that cannot come
  status.emplace(ctx, head.sha, opts.task.value_or(""));
  if (opts.task) {
    ORCHKIT_TRY(st, read_state(ctx));
    ORCHKIT_CHECK(refuse_if_cancelled(ctx, st, *opts.task));
  }

  ORCHKIT_TRY(cov, gather(ctx, opts, out));
  if (int sig = out.interrupted ? out.interrupted : signals::pending()) {
    std::string by = sig == 2 ? "SIGINT" : "SIGTERM";
    log::error("interrupted by " + by + ": the coverage command's process group was stopped; no verdict, no artefact");
    status->finish_error("interrupted by " + by + ": no verdict");
    return static_cast<Exit>(signals::exit_status(sig));
  }
  out.verdict = decide(out.facts, out.policy);

  if (artefact) {
    // The line data first, so an artefact never names line data that is not there; only for a
    // PASS, the one verdict merge-verify stores lines from.
    std::string lines;
    if (cov && out.facts.measured && out.verdict.status == Status::pass) {
      ORCHKIT_TRY(gz, write_line_data(*artefact, *cov, out));
      lines = std::move(gz);
    }
    const std::string text = render_artefact(out);
    auto w = write_file_atomic(*artefact, text);
    if (!w) return fail(w.error().exit, "cannot write the artefact: " + w.error().message);
    out.artefact = *artefact;
    if (opts.task) share_gate_record(ctx, *opts.task, text, lines);
  }
  status->finish(out.verdict.status, sentence(out));
  report(ctx, opts, out);
  return exit_of(out.verdict.status);
}

}  // namespace

Result<Exit> run_check(const Options& opts) {
  signals::StopOnSignal stop_on_signal;
  ORCHKIT_TRY(ctx, make_context(opts));
  if (opts.common.show_config) return print_config(ctx.cfg, kPolicyKeys);
  std::optional<CheckStatus> status;
  auto result = check_in(ctx, opts, status);
  if (!result && status) status->finish_error(result.error().message);
  return result;
}

}  // namespace coverage_gate
