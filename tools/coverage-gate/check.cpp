// `coverage-gate check`: kill-switch and scope → tombstone refusal → measure → baseline →
// patch → decide → artefact → notify → exit code.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "coverage-gate/context.hpp"
#include "coverage-gate/notify.hpp"
#include "coverage-gate/outcome.hpp"
#include "coverage-gate/run.hpp"
#include "orchkit/config.hpp"
#include "orchkit/coverage/reader.hpp"
#include "orchkit/file.hpp"
#include "orchkit/log.hpp"
#include "orchkit/proc.hpp"
#include "orchkit/sha256.hpp"
#include "orchkit/state.hpp"
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
  return Policy{*mode_from_name(cfg.coverage.mode), cfg.coverage.min, cfg.coverage.epsilon, cfg.coverage.patch_min,
                cfg.coverage.on_tool_error == "fail"};
}

std::string resolve(const std::string& base, const std::string& p) {
  return fs::path(p).is_absolute() ? p : base + "/" + p;
}

// Runs coverage.command unless --report was given; returns the report specs to read.
Result<std::vector<coverage::ReportSpec>> measure(const Context& ctx, const Options& opts, Outcome& out) {
  std::vector<coverage::ReportSpec> specs;
  const auto& args = opts.reports.empty() ? ctx.cfg.coverage.reports : opts.reports;
  bool from_command = opts.reports.empty();
  for (const auto& a : args) {
    ORCHKIT_TRY(spec, coverage::parse_report_arg(a));
    if (from_command) spec.path = resolve(ctx.workdir, spec.path);
    specs.push_back(std::move(spec));
  }
  if (!from_command) return specs;
  bool tty = isatty(STDERR_FILENO) == 1;
  log::info("running coverage.command in " + ctx.workdir);
  auto run = proc::run(
      ctx.cfg.coverage.command, ctx.workdir, ctx.cfg.coverage.timeout,
      [&](Duration d) {
        log::info("still measuring (" + std::to_string(d.count() / 1000) + " s of " +
                  format_duration(ctx.cfg.coverage.timeout) + ")");
      },
      Duration(tty ? 2'000 : 10'000));
  if (!run) {
    out.problem = run.error().message;
    return fail(std::move(run).error());
  }
  if (run->timed_out) {
    out.problem = "coverage.command timed out after " + format_duration(ctx.cfg.coverage.timeout) + " and was killed";
    return fail(Exit::error, out.problem);
  }
  if (run->exit_code != 0) {
    // Failing tests are the test gate's business; a report may still have been written.
    out.notes.push_back("coverage.command exited with status " + std::to_string(run->exit_code));
  }
  return specs;
}

Reason classify(const std::string& message) {
  if (message.find("No such file") != std::string::npos) return Reason::report_missing;
  return Reason::report_invalid;
}

void fill_worst(const coverage::Coverage& cov, Outcome& out) {
  std::vector<FileRatio> all;
  for (const auto& [path, fc] : cov.files) {
    auto t = fc.totals();
    if (t.total > t.covered) all.push_back({path, Ratio{t.covered, t.total}});
  }
  std::sort(all.begin(), all.end(), [](const FileRatio& a, const FileRatio& b) {
    if (less_than(a.ratio, b.ratio)) return true;
    if (less_than(b.ratio, a.ratio)) return false;
    return a.path < b.path;
  });
  if (all.size() > 10) all.resize(10);
  out.worst = std::move(all);
}

// Reads the reports and fills line facts; a problem becomes a reason, not a failure.
std::optional<coverage::Coverage> read_facts(const Context& ctx, const Options& opts, Outcome& out) {
  auto specs = measure(ctx, opts, out);
  if (!specs) {
    out.facts.tool_problem = Reason::tool_error;
    return std::nullopt;
  }
  coverage::PathRules rules{ctx.workdir, ctx.cfg.coverage.path_strip};
  auto merged = coverage::read_reports(*specs, rules);
  if (!merged) {
    out.problem = merged.error().message;
    out.facts.tool_problem = classify(out.problem);
    return std::nullopt;
  }
  for (const auto& r : merged->reports) {
    auto sha = sha256_file(r.path);
    out.reports.push_back({fs::relative(r.path, ctx.workdir).string(), std::string(coverage::format_name(r.format)),
                           sha ? *sha : std::string()});
  }
  auto t = merged->merged.totals();
  out.facts.line = Ratio{t.covered, t.total};
  if (t.total == 0) {
    out.problem = "the reports measure no line at all";
    out.facts.tool_problem = Reason::nothing_measured;
  }
  fill_worst(merged->merged, out);
  return std::move(merged->merged);
}

void add_patch(Context& ctx, const coverage::Coverage& cov, Outcome& out) {
  auto fail_note = [&](const std::string& why) {
    out.notes.push_back("patch coverage not computed: " + why);
    if (out.policy.patch_min.micro > 0 && !out.facts.tool_problem) {
      out.problem = why;
      out.facts.tool_problem = Reason::tool_error;
    }
  };
  auto tip = ctx.repo->target_tip(ctx.target);
  if (!tip) return fail_note(tip.error().message);
  auto base = ctx.repo->merge_base(out.commit->sha, tip->sha);
  if (!base) return fail_note(base.error().message);
  auto changed = ctx.repo->changed_lines(*base, out.commit->sha);
  if (!changed) return fail_note(changed.error().message);
  Patch p = compute_patch(*changed, cov);
  out.facts.patch = p.total;
  out.patch = std::move(p);
}

Result<void> read_baseline(const Context& ctx, Outcome& out) {
  std::error_code ec;
  if (!fs::exists(ctx.state_path, ec)) return {};
  ORCHKIT_TRY(st, state::State::open(ctx.state_path, false));
  ORCHKIT_TRY(b, st.baseline(ctx.repo_id, ctx.target));
  if (b) {
    out.facts.baseline = Ratio{b->covered, b->total};
    out.baseline_commit = b->commit;
  }
  return {};
}

std::optional<std::string> artefact_path(const Context& ctx, const Options& opts) {
  if (opts.no_artefact) return std::nullopt;
  if (opts.artefact) return resolve(ctx.workdir, *opts.artefact);
  if (!opts.task) return std::nullopt;
  std::string t = ctx.cfg.coverage.artefact;
  auto subst = [&](const std::string& key, const std::string& value) {
    for (size_t p = t.find(key); p != std::string::npos; p = t.find(key, p + value.size()))
      t.replace(p, key.size(), value);
  };
  subst("{artefacts_dir}", ctx.cfg.task.artefacts_dir);
  subst("{task}", *opts.task);
  return resolve(ctx.main_worktree, t);
}

Exit exit_of(Status s) {
  switch (s) {
    case Status::fail: return Exit::no;
    case Status::error: return Exit::error;
    default: return Exit::ok;
  }
}

}  // namespace

Result<Exit> run_check(const Options& opts) {
  ORCHKIT_TRY(ctx, make_context(opts));
  if (opts.common.show_config) {
    std::fputs(show_config(ctx.cfg).c_str(), stdout);
    return Exit::ok;
  }
  Outcome out;
  out.version = orchkit::version;
  out.task = opts.task;
  out.target = ctx.target;
  out.policy = policy_of(ctx.cfg);
  out.facts.enabled = ctx.cfg.coverage.enabled;
  out.facts.in_scope = in_scope(ctx);
  if (opts.task) ORCHKIT_CHECK(refuse_if_cancelled(ctx, *opts.task));
  auto head = ctx.repo->head();
  if (!head) return fail(std::move(head).error());
  out.commit = *head;

  if (out.facts.enabled && out.facts.in_scope) {
    auto cov = read_facts(ctx, opts, out);
    if (!out.facts.tool_problem || out.facts.tool_problem == Reason::nothing_measured) {
      auto b = read_baseline(ctx, out);
      if (!b) {
        out.problem = b.error().message;
        out.facts.tool_problem = Reason::tool_error;
      }
    }
    if (cov && !out.facts.tool_problem) add_patch(ctx, *cov, out);
  }
  out.verdict = decide(out.facts, out.policy);

  if (auto path = artefact_path(ctx, opts)) {
    auto w = write_file_atomic(*path, render_artefact(out));
    if (!w) return fail(w.error().exit, "cannot write the artefact: " + w.error().message);
    out.artefact = *path;
  }
  notify_outcome(ctx, out);

  if (out.verdict.status == Status::fail) log::error(sentence(out));
  else if (out.verdict.status == Status::warn) log::warning(sentence(out));
  else if (out.verdict.status == Status::error) log::error(sentence(out));
  if (!log::step_summary("## coverage-gate: " + std::string(status_name(out.verdict.status)) + "\n\n" + sentence(out) +
                         "\n"))
    log::warning("cannot append to $GITHUB_STEP_SUMMARY");
  std::string text = opts.common.json ? render_json(out) + "\n" : render_text(out);
  std::fputs(text.c_str(), stdout);
  return exit_of(out.verdict.status);
}

}  // namespace coverage_gate
