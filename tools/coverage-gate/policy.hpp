// Where the gate's policy comes from (SPEC §3): the target branch's committed orchkit.toml, or a
// config given from outside the repository (--config, $ORCHKIT_CONFIG) — never the tree under
// test. A branch that relaxes its own gate is judged by the target's rules until the change has
// landed under them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "orchkit/config.hpp"
#include "orchkit/result.hpp"
#include "orchkit/workspace.hpp"

namespace coverage_gate {

struct PolicySource {
  std::string origin = {};                          // "main:orchkit.toml", "--config FILE", ...
  std::vector<orchkit::ConfigChange> changes = {};  // target's value -> the working tree's
};

// The keys a branch may not change for itself.
inline const std::vector<std::string_view> kPolicyKeys = {"project.", "task.", "coverage.", "state."};

// Replaces ws.cfg by the target's policy unless the config came from outside (`explicit_config`).
// Exit 2 when the target's committed file is invalid; exit 3 when the target cannot be found.
orchkit::Result<PolicySource> adopt_target_policy(orchkit::Workspace& ws, const std::string& target,
                                                  bool explicit_config);

}  // namespace coverage_gate
