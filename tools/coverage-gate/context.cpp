#include "coverage-gate/context.hpp"

#include <filesystem>
#include <regex>

#include "orchkit/file.hpp"
#include "orchkit/frontmatter.hpp"
#include "orchkit/state.hpp"

namespace coverage_gate {

using namespace orchkit;
namespace fs = std::filesystem;

namespace {

Result<void> apply_flags(Config& cfg, const Options& o) {
  auto set = [&](const char* key, const std::optional<std::string>& v, const char* flag) -> Result<void> {
    if (!v) return {};
    return set_config_value(cfg, key, *v, Origin::flag, flag);
  };
  ORCHKIT_CHECK(set("coverage.mode", o.mode, "--mode"));
  ORCHKIT_CHECK(set("coverage.min", o.min, "--min"));
  ORCHKIT_CHECK(set("coverage.epsilon", o.epsilon, "--epsilon"));
  ORCHKIT_CHECK(set("coverage.patch_min", o.patch_min, "--patch-min"));
  ORCHKIT_CHECK(set("project.target_branch", o.target, "--target"));
  if (o.fail_closed) ORCHKIT_CHECK(set_config_value(cfg, "coverage.on_tool_error", "fail", Origin::flag, "--fail-closed"));
  return {};
}

}  // namespace

Result<Context> make_context(const Options& opts) {
  Context ctx;
  auto repo = git::Repo::discover(opts.dir);
  std::string root;
  if (repo) {
    root = repo->workdir();
  } else {
    std::error_code ec;
    root = fs::weakly_canonical(fs::absolute(opts.dir, ec), ec).string();
  }
  ORCHKIT_TRY(cfg, load_config(opts.common.config, root));
  ctx.cfg = std::move(cfg);
  ORCHKIT_CHECK(apply_flags(ctx.cfg, opts));
  if (opts.task) {
    std::regex re(ctx.cfg.task.key_pattern);
    if (!std::regex_match(*opts.task, re))
      return fail(Exit::usage, "--task '" + *opts.task + "' does not match task.key_pattern " + ctx.cfg.task.key_pattern);
  }
  ctx.target = ctx.cfg.project.target_branch;
  if (opts.common.show_config) return ctx;  // nothing else is needed to show the config
  if (!repo) return fail(std::move(repo).error());
  ctx.workdir = repo->workdir();
  ctx.main_worktree = repo->main_worktree();
  if (!ctx.cfg.project.name.empty()) ctx.repo_id = ctx.cfg.project.name;
  else if (auto id = repo->origin_owner_name()) ctx.repo_id = *id;
  else ctx.repo_id = fs::path(ctx.main_worktree).filename().string();
  if (ctx.cfg.state.path.empty()) ctx.state_path = repo->common_dir() + "/orchkit/state.db";
  else if (fs::path(ctx.cfg.state.path).is_absolute()) ctx.state_path = ctx.cfg.state.path;
  else ctx.state_path = ctx.main_worktree + "/" + ctx.cfg.state.path;
  ctx.repo = std::move(*repo);
  return ctx;
}

int64_t live_generation(const Context& ctx, const std::string& task) {
  std::string path = ctx.main_worktree + "/" + ctx.cfg.task.artefacts_dir + "/" + task + "/00-stage.md";
  auto text = read_file(path);
  if (!text) return 1;
  auto fm = parse_front_matter(*text, path);
  if (!fm) return 1;
  return fm->get_int("generation").value_or(1);
}

Result<void> refuse_if_cancelled(const Context& ctx, const std::string& task) {
  std::error_code ec;
  if (!fs::exists(ctx.state_path, ec)) return {};
  ORCHKIT_TRY(st, state::State::open(ctx.state_path, false));
  int64_t gen = live_generation(ctx, task);
  ORCHKIT_TRY(dead, st.tombstoned("task", task, gen));
  if (dead)
    return fail(Exit::refused, task + " generation " + std::to_string(gen) +
                                   " is cancelled (tombstoned): refusing to act for it (a new 'To Analyse' starts generation " +
                                   std::to_string(gen + 1) + ")");
  return {};
}

}  // namespace coverage_gate
