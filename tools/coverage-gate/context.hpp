// coverage-gate's workspace: the shared one with the target's policy (for check) and this
// invocation's flags applied, every config problem found before anything runs.
#pragma once

#include "coverage-gate/options.hpp"
#include "coverage-gate/policy.hpp"
#include "orchkit/result.hpp"
#include "orchkit/workspace.hpp"

namespace coverage_gate {

struct Context : orchkit::Workspace {
  std::string target = {};
  PolicySource policy = {};  // check only: where the policy came from, what the tree changes
};

// Exit 2 for a bad flag or config value (naming it), exit 3 when the target cannot be found.
// With --show-config the config problems are left for print_config to report.
orchkit::Result<Context> make_context(const Options& opts);

}  // namespace coverage_gate
