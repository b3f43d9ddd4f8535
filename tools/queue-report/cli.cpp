#include "queue-report/cli.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>

namespace queue_report {

std::optional<orchkit::Exit> parse_cli(int argc, char** argv, Options& o) {
  CLI::App app{
      "queue-report: every task's stage, coverage and stop state, the baseline history and the pending stops, "
      "as one Markdown or JSON artefact (SPEC §9)",
      "queue-report"};
  orchkit::cli::add_common(app, o.common, "queue-report",
                           "  queue-report                                   Markdown on stdout\n"
                           "  queue-report --out docs/queue.md --svg docs/queue-baseline.svg\n"
                           "  queue-report --format json --now 2025-06-01T12:00:00Z\n"
                           "  queue-report --artefacts /srv/ci/work-items -C /srv/ci/repo\n");
  app.add_option("-C", o.dir, "Repository (default: the current directory); relative paths are taken from it");
  app.add_option("--artefacts", o.artefacts, "Task folders to read (default: task.artefacts_dir in the main worktree)");
  auto* format = app.add_option("--format", o.format, "md (default) or json")->check(CLI::IsMember({"md", "json"}));
  auto* json = app.add_flag("--json", o.common.json, "Same as --format json");
  json->excludes(format);
  app.add_option("--out", o.out, "Write the report here (atomically) instead of stdout");
  app.add_option("--svg", o.svg, "Also write the baseline history chart (SVG); the Markdown links to it");
  app.add_option("--now", o.now,
                 "The report's time, ISO-8601 UTC (2025-06-01T12:00:00Z): printed, and used to tell expired "
                 "windows; without it the report has no time of its own");
  if (auto stop = orchkit::cli::parse(app, argc, argv)) return stop;
  if (o.common.json) o.format = "json";
  if (o.out && o.svg &&
      std::filesystem::absolute(*o.out).lexically_normal() == std::filesystem::absolute(*o.svg).lexically_normal())
    return orchkit::cli::usage_error(argc, argv, "--out and --svg name the same file " + *o.out);
  return std::nullopt;
}

}  // namespace queue_report
