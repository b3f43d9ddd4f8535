#include "plane-status/cli.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>

namespace plane_status {
namespace {

constexpr const char* kExamples =
    "  plane-status set --task ORCH-27 --stage code_review --issue 5f0c...   board -> Code Review (or In Progress)\n"
    "  plane-status set --task ORCH-27 --stage done --json                 terminal sync: Monitoring if self-hosting\n"
    "  plane-status set --task ORCH-27 --stage monitoring --health degraded   post-deploy: Blocked\n"
    "  plane-status resolve --project ORCH --key awaiting_deploy           which state, direct or fallback\n"
    "  plane-status states --project ORCH                                  the project's states and the key map\n"
    "  plane-status reconcile --dry-run                                    what STOP / To Analyse would trigger\n"
    "\nPLANE_API_KEY (environment only) is the Plane API key; it is never printed.\n";

void add_net(CLI::App& sub, Options& o) {
  sub.add_option("-C", o.dir, "Repository (default: the current directory)");
  sub.add_option("--timeout", o.timeout, "Per attempt of a Plane call (default 10s)");
  sub.add_option("--budget", o.budget, "All Plane calls together, waits included (default 30s; reconcile 5m)");
  sub.add_flag("--json", o.common.json, "One JSON object on stdout");
}

}  // namespace

std::optional<orchkit::Exit> parse_cli(int argc, char** argv, Options& o) {
  CLI::App app{"plane-status: the Plane board follows the pipeline; STOP and To Analyse drive it (SPEC §8)",
               "plane-status"};
  orchkit::cli::add_common(app, o.common, "plane-status", kExamples);
  app.require_subcommand(0, 1);
  app.fallthrough();
  app.add_option("-C", o.dir, "Repository (default: the current directory)");

  auto* set =
      app.add_subcommand("set", "Record the pipeline's stage and show it on the board (never fails on the board)");
  set->add_option("--task", o.task, "Task key, e.g. ORCH-27")->required();
  set->add_option("--stage", o.stage, "Pipeline stage (to_analyse ... done, blocked, cancelled)")->required();
  set->add_option("--issue", o.issue, "Plane work item UUID (default: the one recorded in 00-stage.md)");
  set->add_option("--project", o.project, "Plane project identifier (default: the task key's prefix)");
  set->add_option("--health", o.health, "Post-deploy health with --stage monitoring: healthy | degraded")
      ->check(CLI::IsMember({"healthy", "degraded"}));
  set->add_flag("--strict", o.strict, "A board failure is exit 3 instead of a warning");
  add_net(*set, o);

  auto* resolve = app.add_subcommand("resolve", "The state UUID a key resolves to in a project, and why");
  resolve->add_option("--project", o.project, "Plane project identifier")->required();
  resolve->add_option("--key", o.key, "Status key (todo ... stop, to_analyse ... monitoring)")->required();
  add_net(*resolve, o);

  auto* states = app.add_subcommand("states", "A project's states and how every key maps onto them");
  states->add_option("--project", o.project, "Plane project identifier")->required();
  add_net(*states, o);

  auto* reconcile =
      app.add_subcommand("reconcile", "One pass: STOP items -> stop-task, To Analyse items -> start_command");
  reconcile->add_option("--project", o.project, "Only this project (default: every configured project)");
  reconcile->add_flag("--dry-run", o.dry_run, "List what would run; run nothing, change nothing");
  reconcile->add_flag("--strict", o.strict, "Any warning (board or command failure) is exit 3");
  reconcile->add_option("--per-page", o.per_page, "Work items per listed page (1..100, default 100)")
      ->check(CLI::Range(1, 100));
  add_net(*reconcile, o);

  if (auto stop = orchkit::cli::parse(app, argc, argv)) return stop;
  if (o.issue && !orchkit::cli::is_uuid(*o.issue))
    return orchkit::cli::usage_error(argc, argv, "--issue '" + *o.issue + "' is not a Plane work item UUID");
  if (set->parsed()) o.command = Command::set;
  else if (resolve->parsed()) o.command = Command::resolve;
  else if (states->parsed()) o.command = Command::states;
  else if (reconcile->parsed()) o.command = Command::reconcile;
  if (o.command == Command::none && !o.common.show_config) {
    return orchkit::cli::usage_error(argc, argv,
                                     "a command is required: set, resolve, states or reconcile (see --help)");
  }
  return std::nullopt;
}

}  // namespace plane_status
