#include "coverage-gate/policy.hpp"

#include <filesystem>

#include "orchkit/util/file.hpp"
#include "orchkit/util/log.hpp"

namespace coverage_gate {

using namespace orchkit;

namespace {

// The working tree's own orchkit.toml, as a branch would have it; nullopt when there is none.
std::optional<Config> worktree_config(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  auto text = read_file(path);
  if (!text) return std::nullopt;
  auto cfg = parse_config(*text, path);
  if (!cfg) {
    log::warning("the working tree's orchkit.toml is not valid and is not policy here: " + cfg.error().message);
    return std::nullopt;
  }
  if (!apply_env(*cfg)) return std::nullopt;
  return std::move(*cfg);
}

std::string keys_of(const std::vector<ConfigChange>& changes) {
  std::string out;
  for (const auto& c : changes) out += (out.empty() ? "" : ", ") + c.key;
  return out;
}

}  // namespace

Result<PolicySource> adopt_target_policy(Workspace& ws, const std::string& target, bool explicit_config) {
  PolicySource src;
  if (explicit_config) {
    src.origin = ws.cfg.source;
    return src;
  }
  ORCHKIT_TRY(tip, ws.repo->target_tip(target));
  std::string name = target + ":orchkit.toml";
  ORCHKIT_TRY(committed, ws.repo->read_committed(tip.sha, "orchkit.toml"));
  Config policy;
  if (committed) {
    ORCHKIT_TRY(parsed, parse_config(*committed, name));
    policy = std::move(parsed);
    src.origin = name + " (at " + tip.sha.substr(0, 12) + ")";
  } else {
    policy.source = "(built-in defaults: " + target + " has no committed orchkit.toml)";
    src.origin = policy.source;
  }
  ORCHKIT_CHECK(apply_env(policy));

  std::string wt_path = ws.workdir + "/orchkit.toml";
  if (auto mine = worktree_config(wt_path)) {
    src.changes = config_diff(policy, *mine, kPolicyKeys);
    if (!committed)
      log::warning(wt_path + " is not policy: " + target +
                   " has no committed orchkit.toml, so the built-in defaults decide (commit it to " + target +
                   ", or pass --config FILE from outside the repository)");
    else if (!src.changes.empty())
      log::warning(wt_path + " changes the gate's policy (" + keys_of(src.changes) + "): " + name +
                   " decides; the change takes effect once it has landed on " + target);
  }
  // A task branch is never a merge target: a branch naming itself as the target would read its
  // own committed policy.
  const std::string& prefix = policy.task.branch_prefix;
  if (!prefix.empty() && target.rfind(prefix, 0) == 0)
    return fail(Exit::usage, "target '" + target + "' is a task branch (task.branch_prefix \"" + prefix +
                                 "\"): the gate judges what lands on the target (pass --target main)");
  ws.cfg = std::move(policy);
  derive_paths(ws);
  return src;
}

}  // namespace coverage_gate
