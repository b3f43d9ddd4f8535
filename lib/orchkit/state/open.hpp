// Opening the configured store of a workspace (state.backend): the one place that knows which
// store a tool talks to. Every tool opens its state here.
#pragma once

#include <optional>

#include "orchkit/result.hpp"
#include "orchkit/state/state.hpp"
#include "orchkit/workspace.hpp"

namespace orchkit::state {

enum class Access {
  read,       // nullopt when there is no state yet (no file, no branch): nothing is stored
  write,      // creates the file (sqlite); the branch is created by the first change (git)
  read_only,  // as read, and the store refuses every write (queue-report)
};

// Exit 3 when the state exists but cannot be read (a broken file, an unreachable remote, a
// rewritten state branch); never a silent "no state".
Result<std::optional<State>> open_state(const Workspace& ws, Access access);

// Where the state lives, for messages: the file, or <remote>/<branch> on the forge.
std::string state_location(const Workspace& ws);

}  // namespace orchkit::state
