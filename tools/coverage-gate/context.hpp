// coverage-gate's workspace: the shared one with the target's policy (for check) and this
// invocation's flags applied, every config problem found before anything runs.
#pragma once

#include "coverage-gate/options.hpp"
#include "coverage-gate/policy.hpp"
#include "orchkit/result.hpp"
#include "orchkit/state/state.hpp"
#include "orchkit/workspace.hpp"

namespace coverage_gate {

struct Context : orchkit::Workspace {
  std::string target = {};
  PolicySource policy = {};  // check only: where the policy came from, what the tree changes
  // The state as read once by this invocation (read_state): with the git backend every open
  // is a fetch, so the tombstone, the baseline and its line data come from one.
  std::optional<std::optional<orchkit::state::State>> read = {};
};

// The state opened for reading, once per invocation; nullptr when there is none yet. Exit 3
// when it exists but cannot be read.
orchkit::Result<orchkit::state::State*> read_state(Context& ctx);

// Exit 2 for a bad flag or config value (naming it), exit 3 when the target cannot be found.
// With --show-config the config problems are left for print_config to report.
orchkit::Result<Context> make_context(const Options& opts);

}  // namespace coverage_gate
