#include "orchkit/state/open.hpp"

#include <filesystem>

#include "orchkit/state/git.hpp"

namespace orchkit::state {

std::string state_location(const Workspace& ws) {
  if (ws.cfg.state.backend == "git") return ws.cfg.state.remote + "/" + ws.cfg.state.branch;
  return ws.state_path;
}

Result<std::optional<State>> open_state(const Workspace& ws, Access access) {
  if (ws.cfg.state.backend == "git") {
    if (!ws.repo)
      return fail(Exit::usage, "state.backend = \"git\" needs a git repository (" + ws.workdir + " is not in one)");
    GitStoreOptions o{ws.repo->workdir(), ws.cfg.state.remote, ws.cfg.state.branch, access == Access::read_only};
    ORCHKIT_TRY(store, open_git_store(o));
    if (access != Access::write && !store->exists()) return std::optional<State>{};
    return std::optional<State>(State(std::move(store)));
  }
  std::error_code ec;
  if (access != Access::write && !std::filesystem::exists(ws.state_path, ec)) return std::optional<State>{};
  if (access == Access::read_only) {
    ORCHKIT_TRY(st, State::open_read_only(ws.state_path));
    return std::optional<State>(std::move(st));
  }
  ORCHKIT_TRY(st, State::open(ws.state_path, access == Access::write));
  return std::optional<State>(std::move(st));
}

}  // namespace orchkit::state
