#include "coverage-gate/context.hpp"

namespace coverage_gate {

using namespace orchkit;

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
  if (o.fail_closed)
    ORCHKIT_CHECK(set_config_value(cfg, "coverage.on_tool_error", "fail", Origin::flag, "--fail-closed"));
  return {};
}

}  // namespace

Result<Context> make_context(const Options& opts) {
  bool need_repo = !opts.common.show_config;
  ORCHKIT_TRY(ws, open_workspace(opts.dir, opts.common.config, need_repo));
  Context ctx;
  static_cast<Workspace&>(ctx) = std::move(ws);
  ORCHKIT_CHECK(apply_flags(ctx.cfg, opts));
  if (opts.task) ORCHKIT_CHECK(check_task_key(ctx.cfg, *opts.task));
  ctx.target = ctx.cfg.project.target_branch;
  return ctx;
}

}  // namespace coverage_gate
