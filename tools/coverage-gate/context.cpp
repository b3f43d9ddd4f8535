#include "coverage-gate/context.hpp"

#include <cstdlib>

#include "orchkit/state/open.hpp"
#include "orchkit/util/file.hpp"

namespace coverage_gate {

using namespace orchkit;

namespace {

Result<void> apply_flags(Config& cfg, const Options& o) {
  auto set = [&](const char* key, const std::optional<std::string>& v, const char* flag) -> Result<void> {
    if (!v) return {};
    return set_config_value(cfg, key, *v, Origin::flag, flag);
  };
  ORCHKIT_CHECK(set("coverage.mode", o.mode, "--mode"));
  ORCHKIT_CHECK(set("coverage.rule", o.rule, "--rule"));
  ORCHKIT_CHECK(set("coverage.min", o.min, "--min"));
  ORCHKIT_CHECK(set("coverage.epsilon", o.epsilon, "--epsilon"));
  ORCHKIT_CHECK(set("coverage.patch_min", o.patch_min, "--patch-min"));
  ORCHKIT_CHECK(set("project.target_branch", o.target, "--target"));
  if (o.fail_closed)
    ORCHKIT_CHECK(set_config_value(cfg, "coverage.on_tool_error", "fail", Origin::flag, "--fail-closed"));
  return {};
}

// project.target_branch as the worktree's orchkit.toml says, read leniently: only to know which
// branch's committed policy to read (CI and hooks pass --target).
std::optional<std::string> worktree_target(const std::string& workdir) {
  auto text = read_file(workdir + "/orchkit.toml");
  if (!text) return std::nullopt;
  auto cfg = parse_config(*text, "orchkit.toml");
  if (!cfg || cfg->origins.count("project.target_branch") == 0) return std::nullopt;
  return cfg->project.target_branch;
}

bool config_from_outside(const Options& o) {
  const char* env = std::getenv("ORCHKIT_CONFIG");
  return o.common.config.has_value() || (env && *env);
}

}  // namespace

Result<Context> make_context(const Options& opts) {
  bool need_repo = !opts.common.show_config && opts.command != Command::measure;
  bool policy_from_target = opts.command == Command::check && !config_from_outside(opts);
  ORCHKIT_TRY(ws, open_workspace(opts.dir, opts.common.config, need_repo, !policy_from_target));
  Context ctx;
  static_cast<Workspace&>(ctx) = std::move(ws);
  if (opts.target && !git::valid_branch_name(*opts.target))
    return fail(Exit::usage, "--target '" + *opts.target + "' is not a valid branch name");
  std::string target = opts.target ? *opts.target : ctx.cfg.project.target_branch;
  if (policy_from_target && !opts.target) target = worktree_target(ctx.workdir).value_or(target);
  if (opts.command == Command::check && ctx.repo) {
    if (!git::valid_branch_name(target)) ORCHKIT_CHECK(require_valid_config(ctx.cfg, {"project."}));
    ORCHKIT_TRY(src, adopt_target_policy(ctx, target, config_from_outside(opts)));
    ctx.policy = std::move(src);
  }
  ORCHKIT_CHECK(apply_flags(ctx.cfg, opts));
  if (opts.target) ctx.cfg.project.target_branch = *opts.target;
  if (!opts.common.show_config) ORCHKIT_CHECK(require_valid_config(ctx.cfg, kPolicyKeys));
  if (opts.task) ORCHKIT_CHECK(check_task_key(ctx.cfg, *opts.task));
  ctx.target = opts.command == Command::check ? target : ctx.cfg.project.target_branch;
  return ctx;
}

Result<state::State*> read_state(Context& ctx) {
  if (!ctx.read) {
    ORCHKIT_TRY(st, state::open_state(ctx, state::Access::read));
    ctx.read.emplace(std::move(st));
  }
  return *ctx.read ? &**ctx.read : nullptr;
}

}  // namespace coverage_gate
