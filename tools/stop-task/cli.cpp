#include "stop-task/cli.hpp"

#include <CLI/CLI.hpp>
#include <charconv>

namespace stop_task {

std::optional<orchkit::Exit> parse_cli(int argc, char** argv, Options& o) {
  CLI::App app{"stop-task: the one declarative cancel of a task (SPEC §7)", "stop-task"};
  orchkit::cli::add_common(
      app, o.common, "stop-task",
      "  stop-task --task ORCH-027                     cancel: processes, jobs, worktree, branch, tombstone\n"
      "  stop-task --task ORCH-027 --dry-run --json    every action it would take, none taken\n"
      "  stop-task --task ORCH-027 --generation 2      only if generation 2 is the live one\n"
      "  stop-task guard --task ORCH-027 -- ./deploy.sh   run a deploy as a critical window\n"
      "  stop-task register --task ORCH-027 --pid 4242  record an agent process of the task\n");
  app.require_subcommand(0, 1);
  app.fallthrough();
  app.add_option("--task", o.task, "Task key, e.g. ORCH-027");
  std::optional<std::string> generation;
  app.add_option("--generation", generation, "Act only if this is the task's live generation");
  app.add_option("--grace", o.grace, "SIGTERM, then SIGKILL after this (default stop.grace)");
  app.add_option("--reason", o.reason, "Why (recorded with the tombstone)");
  app.add_flag("--dry-run", o.dry_run, "Print every action it would take and take none");
  app.add_flag("--wait", o.wait, "When deferred, block until the window's owner has run the stop");
  app.add_option("-C", o.dir, "Repository (default: the current directory)");
  app.add_flag("--json", o.common.json, "One JSON object on stdout");
  auto* guard =
      app.add_subcommand("guard", "Run COMMAND as a critical window of the task; deferred stops run after it");
  guard->add_option("--kind", o.kind, "Kind of window (default deploy)");
  guard->add_option("command", o.argv, "-- COMMAND [ARGS...]");
  auto* reg = app.add_subcommand("register", "Record an agent process (pid + start time) of the task");
  reg->add_option("--pid", o.pid, "The process (default: the parent of this command)");
  // Everything after "--" is the guarded command, verbatim: CLI11 would read an argument such as
  // "[ -f x ]" or "[a,b]" as a bracketed list and change it.
  int own = argc;
  for (int i = 1; i < argc; ++i)
    if (std::string_view(argv[i]) == "--") {
      own = i;
      break;
    }
  if (auto stop = orchkit::cli::parse(app, own, argv)) return stop;
  if (own < argc) o.argv.assign(argv + own + 1, argv + argc);
  if (guard->parsed() && o.argv.empty() && !o.common.show_config)
    return orchkit::cli::usage_error(argc, argv, "guard: a command is required (stop-task guard --task KEY -- CMD...)");
  if (!guard->parsed() && own < argc)
    return orchkit::cli::usage_error(argc, argv, "'--' and a command belong to `stop-task guard` (see --help)");
  if (guard->parsed()) o.command = Command::guard;
  else if (reg->parsed()) o.command = Command::register_agent;
  if (!o.common.show_config && o.task.empty()) {
    return orchkit::cli::usage_error(argc, argv, "--task is required (see --help)");
  }
  if (generation) {
    int64_t g = 0;
    auto [end, ec] = std::from_chars(generation->data(), generation->data() + generation->size(), g);
    if (ec != std::errc() || end != generation->data() + generation->size() || g < 1)
      return orchkit::cli::usage_error(
          argc, argv, "--generation " + *generation + ": a generation is a positive integer (1 is a task's first)");
    o.generation = g;
  }
  return std::nullopt;
}

}  // namespace stop_task
