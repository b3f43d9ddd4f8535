// What every coverage-gate command that touches a repository needs: the config with flags
// applied, the repository, its identity (the baseline key), the target and the state path.
#pragma once

#include <optional>
#include <string>

#include "coverage-gate/options.hpp"
#include "orchkit/config.hpp"
#include "orchkit/git.hpp"
#include "orchkit/result.hpp"

namespace coverage_gate {

struct Context {
  orchkit::Config cfg = {};
  std::optional<orchkit::git::Repo> repo = {};
  std::string workdir = {};        // the worktree measured
  std::string main_worktree = {};  // where artefacts live
  std::string repo_id = {};        // project.name, else origin owner/name, else the directory name
  std::string target = {};
  std::string state_path = {};
};

orchkit::Result<Context> make_context(const Options& opts);

// The live generation of a task: `generation` in <artefacts>/<KEY>/00-stage.md, else 1.
int64_t live_generation(const Context& ctx, const std::string& task);
// Exit 4 when the task's live generation is tombstoned (cancelled).
orchkit::Result<void> refuse_if_cancelled(const Context& ctx, const std::string& task);

}  // namespace coverage_gate
