#include "orchkit/workspace.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <regex>

#include "orchkit/frontmatter.hpp"
#include "orchkit/records/location.hpp"
#include "orchkit/records/stage.hpp"
#include "orchkit/state/open.hpp"
#include "orchkit/util/file.hpp"
#include "orchkit/util/log.hpp"

namespace orchkit {

namespace fs = std::filesystem;

std::string Workspace::artefacts_dir() const { return records::artefacts_root(cfg, main_worktree); }

Result<Workspace> open_workspace(const std::string& dir, const std::optional<std::string>& config_flag, bool need_repo,
                                 bool read_worktree_config) {
  Workspace ws;
  auto repo = git::Repo::discover(dir);
  std::string root;
  if (repo) {
    root = repo->workdir();
  } else {
    std::error_code ec;
    root = fs::weakly_canonical(fs::absolute(dir, ec), ec).string();
  }
  ORCHKIT_TRY(cfg, load_config(config_flag, read_worktree_config ? root : std::string()));
  ws.cfg = std::move(cfg);
  ws.workdir = root;
  ws.main_worktree = root;
  if (!repo) {
    if (need_repo) return fail(std::move(repo).error());
    derive_paths(ws);
    return ws;
  }
  ws.main_worktree = repo->main_worktree();
  ws.repo = std::move(*repo);
  derive_paths(ws);
  return ws;
}

void derive_paths(Workspace& ws) {
  if (!ws.cfg.project.name.empty()) ws.repo_id = ws.cfg.project.name;
  else if (auto id = ws.repo ? ws.repo->origin_owner_name() : std::nullopt) ws.repo_id = *id;
  else ws.repo_id = fs::path(ws.main_worktree).filename().string();
  if (ws.cfg.state.path.empty())
    ws.state_path = (ws.repo ? ws.repo->common_dir() : ws.workdir + "/.git") + "/orchkit/state.db";
  else if (fs::path(ws.cfg.state.path).is_absolute()) ws.state_path = ws.cfg.state.path;
  else ws.state_path = ws.main_worktree + "/" + ws.cfg.state.path;
}

Result<void> require_valid_config(const Config& cfg, const std::vector<std::string_view>& prefixes) {
  auto wanted = [&](const std::string& key) {
    return std::any_of(prefixes.begin(), prefixes.end(), [&](std::string_view p) { return key.rfind(p, 0) == 0; });
  };
  std::vector<ConfigProblem> problems = config_problems(cfg);
  if (!git::valid_branch_name(cfg.project.target_branch)) {
    auto it = cfg.wheres.find("project.target_branch");
    std::string where = it != cfg.wheres.end() ? it->second : "built-in default";
    problems.insert(problems.begin(),
                    {"project.target_branch", where + ": project.target_branch: '" + cfg.project.target_branch +
                                                  "' is not a valid branch name"});
  }
  if (cfg.state.backend == "git" && !git::valid_branch_name(cfg.state.branch)) {
    auto it = cfg.wheres.find("state.branch");
    std::string where = it != cfg.wheres.end() ? it->second : "built-in default";
    problems.push_back(
        {"state.branch", where + ": state.branch: '" + cfg.state.branch + "' is not a valid branch name"});
  }
  std::optional<Error> first;
  for (const auto& p : problems) {
    if (wanted(p.key) && !first) first = Error{Exit::usage, p.message};
    else if (!wanted(p.key)) log::warning(p.message + " (not used here)");
  }
  if (first) return fail(*first);
  return {};
}

Result<Exit> print_config(const Config& cfg, const std::vector<std::string_view>& prefixes) {
  std::fputs(show_config(cfg).c_str(), stdout);
  std::fflush(stdout);
  ORCHKIT_CHECK(require_valid_config(cfg, prefixes));
  return Exit::ok;
}

Result<void> check_task_key(const Config& cfg, const std::string& task) {
  try {
    std::regex re(cfg.task.key_pattern);
    if (!std::regex_match(task, re))
      return fail(Exit::usage, "task key '" + task + "' does not match task.key_pattern " + cfg.task.key_pattern);
  } catch (const std::regex_error& e) {
    return fail(Exit::usage,
                "task.key_pattern '" + cfg.task.key_pattern + "' is not a valid regular expression: " + e.what());
  }
  return {};
}

int64_t live_generation(const Workspace& ws, const std::string& task) {
  auto stage = records::read_stage(ws, task);
  return stage ? stage->generation : 1;
}

Result<void> refuse_if_cancelled(const Workspace& ws, const std::string& task) {
  ORCHKIT_TRY(st, state::open_state(ws, state::Access::read));
  return refuse_if_cancelled(ws, st ? &*st : nullptr, task);
}

Result<void> refuse_if_cancelled(const Workspace& ws, state::State* st, const std::string& task) {
  if (!st) return {};
  int64_t gen = live_generation(ws, task);
  ORCHKIT_TRY(dead, st->tombstoned(state::TombstoneKind::task, task, gen));
  if (dead)
    return fail(Exit::refused,
                task + " generation " + std::to_string(gen) +
                    " is cancelled (tombstoned): refusing to act for it (a new 'To Analyse' starts generation " +
                    std::to_string(gen + 1) + ")");
  return {};
}

}  // namespace orchkit
