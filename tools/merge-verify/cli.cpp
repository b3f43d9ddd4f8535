#include "merge-verify/cli.hpp"

#include <CLI/CLI.hpp>

namespace merge_verify {

std::optional<orchkit::Exit> parse_cli(int argc, char** argv, Options& o) {
  CLI::App app{"merge-verify: prove that what landed is what was gated, then ratchet the baseline (SPEC §6)",
               "merge-verify"};
  orchkit::cli::add_common(app, o.common, "merge-verify",
                           "  merge-verify --artefact docs/work-items/ORCH-027/18-coverage-report.md\n"
                           "  merge-verify --commit 3f2a... --task ORCH-027 --target main --json\n"
                           "  merge-verify --task ORCH-027 --merge-pr 42      merge through Gitea inside the lease\n");
  auto* commit =
      app.add_option("--commit", o.commit, "The gated commit (its artefact is the task's 18-coverage-report.md)");
  auto* artefact = app.add_option("--artefact", o.artefact, "The coverage artefact that gated the merge");
  app.add_option("--target", o.target, "Target branch (default: the artefact's target, else project.target_branch)");
  app.add_option("--task", o.task, "Task key (default: the artefact's task)");
  app.add_option("-C", o.dir, "Repository (default: the current directory)");
  app.add_flag("--no-fetch", o.no_fetch, "Do not fetch the target; verify against the local branch");
  app.add_option("--merge-pr", o.merge_pr,
                 "Merge pull request N through the Gitea API with head_commit_id = the gated commit");
  app.add_option("--lease-wait", o.lease_wait, "How long to wait for a merge lease held by another run (default 60s)");
  app.add_flag("--json", o.common.json, "One JSON object on stdout");
  if (auto stop = orchkit::cli::parse(app, argc, argv)) return stop;
  if (!o.common.show_config && !*commit && !*artefact && !o.task) {
    return orchkit::cli::usage_error(argc, argv, "one of --commit, --artefact or --task is required (see --help)");
  }
  return std::nullopt;
}

}  // namespace merge_verify
