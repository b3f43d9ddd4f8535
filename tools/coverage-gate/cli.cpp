#include "coverage-gate/cli.hpp"

#include <CLI/CLI.hpp>

namespace coverage_gate {
namespace {

constexpr const char* kExamples =
    "  coverage-gate check --task ORCH-027               run coverage.command, decide, write the artefact\n"
    "  coverage-gate check --report coverage.json --json  decide on an existing report\n"
    "  coverage-gate measure --report lcov.info --report cov.xml@cobertura --json\n"
    "  coverage-gate baseline show --target main\n"
    "  coverage-gate baseline set 84.5 --reason \"tests moved to another repo\"\n"
    "  coverage-gate state export --out state.json        everything in the state, for another backend\n";

void add_check_options(CLI::App& app, Options& o) {
  app.add_option("-C", o.dir, "Worktree to measure (default: the current directory)");
  app.add_option("--task", o.task, "Task key, e.g. ORCH-027");
  app.add_option("--report", o.reports,
                 "Read this report instead of running coverage.command (FILE[@FORMAT], repeatable)");
  app.add_option("--mode", o.mode, "absolute | baseline | both");
  app.add_option("--rule", o.rule, "percent | differential | both (docs/differential.md)");
  app.add_option("--min", o.min, "Absolute floor, percent");
  app.add_option("--epsilon", o.epsilon, "Allowed drop below the baseline, percentage points");
  app.add_option("--patch-min", o.patch_min, "Floor for changed lines, percent (0 = off)");
  app.add_option("--target", o.target, "Target branch (default: project.target_branch)");
  app.add_option("--pr", o.pr, "Pull request number for [gitea] pr_comment (default: the Actions event's)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--fail-closed", o.fail_closed, "A tool error is ERROR (exit 3), not WARN (exit 0)");
  auto* art = app.add_option("--artefact", o.artefact, "Where to write the artefact");
  auto* no_art = app.add_flag("--no-artefact", o.no_artefact, "Write no artefact");
  art->excludes(no_art);
  app.add_flag("--json", o.common.json, "One JSON object on stdout");
}

}  // namespace

std::optional<orchkit::Exit> parse_cli(int argc, char** argv, Options& o) {
  CLI::App app{"coverage-gate: the deterministic coverage gate of a merge (SPEC §5)", "coverage-gate"};
  orchkit::cli::add_common(app, o.common, "coverage-gate", kExamples);
  app.require_subcommand(0, 1);
  app.fallthrough();          // --config and --show-config work after any subcommand
  add_check_options(app, o);  // `coverage-gate [check]`: check is the default command

  auto* check = app.add_subcommand("check", "Measure, compare with the floor and the baseline, write the artefact");
  add_check_options(*check, o);

  auto* measure = app.add_subcommand("measure", "Print the totals of reports: no verdict, no state");
  measure->add_option("--report", o.reports, "Report FILE[@FORMAT] (repeatable)")->required();
  measure->add_option("-C", o.dir, "Directory report paths are relative to (default: the current directory)");
  measure->add_flag("--json", o.common.json, "One JSON object on stdout");

  auto* baseline = app.add_subcommand("baseline", "Show, list or override the stored baseline");
  baseline->require_subcommand(1);
  auto* show = baseline->add_subcommand("show", "The baseline of the target branch");
  auto* history = baseline->add_subcommand("history", "Every change of the baseline");
  auto* set = baseline->add_subcommand("set", "Audited override: the only way a baseline goes down");
  for (auto* sub : {show, history, set}) {
    sub->add_option("--target", o.target, "Target branch (default: project.target_branch)");
    sub->add_option("-C", o.dir, "Repository (default: the current directory)");
  }
  show->add_flag("--json", o.common.json, "One JSON object on stdout");
  history->add_flag("--json", o.common.json, "One JSON object on stdout");
  set->add_option("value", o.set_value, "PCT or COVERED/TOTAL")->required();
  set->add_option("--reason", o.reason, "Why (recorded in the history; required)")->required();
  set->add_flag("--json", o.common.json, "One JSON object on stdout");

  auto* state = app.add_subcommand("state", "Move the whole state between backends (docs/state.md)");
  state->require_subcommand(1);
  auto* exp = state->add_subcommand("export", "Write every record as one stable JSON document");
  exp->add_option("--out", o.out, "Write to FILE (atomically) instead of stdout");
  auto* imp = state->add_subcommand("import", "Load an export into the configured backend");
  imp->add_option("file", o.import_file, "The export to load")->required();
  imp->add_flag("--replace", o.replace, "Replace a state that is not empty (its history stays in git)");
  for (auto* sub : {exp, imp}) sub->add_option("-C", o.dir, "Repository (default: the current directory)");

  if (auto stop = orchkit::cli::parse(app, argc, argv)) return stop;
  if (measure->parsed()) o.command = Command::measure;
  else if (show->parsed()) o.command = Command::baseline_show;
  else if (history->parsed()) o.command = Command::baseline_history;
  else if (set->parsed()) o.command = Command::baseline_set;
  else if (exp->parsed()) o.command = Command::state_export;
  else if (imp->parsed()) o.command = Command::state_import;
  else o.command = Command::check;
  return std::nullopt;
}

}  // namespace coverage_gate
