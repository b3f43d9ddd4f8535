// The repository a binary acts on, with everything derived from it that every tool needs:
// the config (file + environment), the repository, its identity (the baseline key), where
// artefacts live and where the state file is.
#pragma once

#include <optional>
#include <string>

#include "orchkit/config.hpp"
#include "orchkit/git/repo.hpp"
#include "orchkit/result.hpp"

namespace orchkit {

namespace state {
class State;
}

struct Workspace {
  Config cfg = {};
  std::optional<git::Repo> repo = {};  // nullopt only when `dir` is not in a repository
  std::string workdir = {};            // the worktree acted on
  std::string main_worktree = {};      // where artefacts live (SPEC §1)
  std::string repo_id = {};            // project.name, else origin owner/name, else the directory name
  std::string state_path = {};

  // Unchecked joins, for reading; every file written for a task is located by records::task_record.
  std::string artefacts_dir() const;
  std::string task_dir(const std::string& task) const { return artefacts_dir() + "/" + task; }
};

// Loads the config for `dir` (--config, $ORCHKIT_CONFIG, <repo>/orchkit.toml) and, when
// `need_repo`, opens the repository (an error when there is none).
// With `read_worktree_config` false, a config named from outside (--config, $ORCHKIT_CONFIG)
// is still read but the worktree's own orchkit.toml is not: the caller takes the policy from
// elsewhere (coverage-gate check: the target's committed file).
Result<Workspace> open_workspace(const std::string& dir, const std::optional<std::string>& config_flag, bool need_repo,
                                 bool read_worktree_config = true);

// Completes a workspace after flags changed its config (state path, identity).
void derive_paths(Workspace& ws);

// Exit 2 naming the key for the first config problem among keys under `prefixes` (with
// "project.": project.target_branch must be a valid branch name); a problem under another
// prefix is a warning only, so a broken [coverage] never blocks a stop.
Result<void> require_valid_config(const Config& cfg, const std::vector<std::string_view>& prefixes);
// --show-config: every value with its origin on stdout, then require_valid_config's verdict.
Result<Exit> print_config(const Config& cfg, const std::vector<std::string_view>& prefixes);

// Exit 2 unless `task` fully matches task.key_pattern.
Result<void> check_task_key(const Config& cfg, const std::string& task);

// The live generation of a task: `generation` in <artefacts>/<KEY>/00-stage.md, else 1.
int64_t live_generation(const Workspace& ws, const std::string& task);
// Exit 4 when the task's live generation is tombstoned (cancelled).
Result<void> refuse_if_cancelled(const Workspace& ws, const std::string& task);
// The same against a state already opened (nullptr: no state yet, nothing is tombstoned).
Result<void> refuse_if_cancelled(const Workspace& ws, state::State* st, const std::string& task);

}  // namespace orchkit
