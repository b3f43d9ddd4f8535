// The Plane board as the tools use it: the configured projects ([plane.projects.<IDENT>]), one
// client (one rate limit, one time budget) and the states cache. `indicate()` is the
// never-raising board update below plane::report_stage (stage.hpp), which `plane-status set` and
// the stop share: the board is an
// indication, never control, so every failure there comes back as a warning.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orchkit/config.hpp"
#include "orchkit/plane/client.hpp"
#include "orchkit/plane/status.hpp"
#include "orchkit/result.hpp"
#include "orchkit/util/units.hpp"
#include "orchkit/workspace.hpp"

namespace orchkit::plane {

struct BoardOptions {
  Duration timeout = Duration(10'000);              // per attempt
  Duration budget = Duration(30'000);               // every call together
  std::string cache_dir = {};                       // where plane-states-<IDENT>.json lives; "" = no cache file
  bool refresh_states = false;                      // list states from the server even when the cache is fresh
  std::function<void(std::string_view)> note = {};  // progress lines; default log::info
};

// What apply() did to a work item.
struct Applied {
  bool changed = false;  // a PATCH was sent
  std::string previous_state = {};
};

class Board {
 public:
  // Exit::usage when the config cannot reach a board: no plane.workspace, no base_url, or no
  // PLANE_API_KEY in the environment.
  static Result<Board> open(const Config& cfg, BoardOptions options);
  Board(const Config::Plane& plane, std::string api_key, BoardOptions options);

  // The project's config: Exit::usage when [plane.projects.<IDENT>] is absent or has no id.
  Result<const PlaneProject*> project(const std::string& ident) const;
  // The project's states: from the cache when fresh, else from the server (then cached). Only
  // states of that project are kept.
  Result<std::vector<State>> states(const std::string& ident);
  bool states_from_cache(const std::string& ident) const;
  // Forgets the project's states (memory and cache file): the next states() asks the server.
  void forget_states(const std::string& ident);
  Result<Resolution> resolve(const std::string& ident, std::string_view key);
  // Moves work item `issue` of project `ident` to the resolved state, unless it is in it
  // already (then no PATCH). `known_state`: the item's state as just listed, which saves the GET.
  // An item that says it belongs to another project is never touched.
  Result<Applied> apply(const std::string& ident, const std::string& issue, const Resolution& r,
                        const std::optional<std::string>& known_state = {});

  Client& client() { return client_; }
  const ClientStats& stats() const { return client_.stats(); }

 private:
  Config::Plane plane_;
  BoardOptions options_;
  Client client_;
  std::map<std::string, std::vector<State>> states_ = {};
  std::map<std::string, bool> cached_ = {};
};

// A board update that never raises.
struct Indication {
  Resolution resolution = {};
  bool ok = false;       // the item is in the resolved state now
  bool changed = false;  // a PATCH was sent
  std::string previous_state = {};
  std::optional<std::string> warning = {};
  int requests = 0;  // HTTP requests it took
};

// Sets work item `issue` of project `ident` to the state `key` resolves to. Every failure (no
// key, an unknown project, a state the project lacks, the network, a refused key) is a warning.
Indication indicate(const Config& cfg, const std::string& ident, const std::string& issue, std::string_view key,
                    BoardOptions options);
// The same on a board already open (reconcile's: one rate limit and budget for the pass);
// `known_state` as for apply().
Indication indicate(Board& board, const std::string& ident, const std::string& issue, std::string_view key,
                    const std::optional<std::string>& known_state = {});

// <git common dir>/orchkit: the states cache lives beside the state file, shared by worktrees.
std::string cache_dir_for(const Workspace& ws);

// The configured project a task key belongs to: "ORCH" for "ORCH-27" when [plane.projects.ORCH]
// exists; nullopt otherwise.
std::optional<std::string> project_of_task(const Config& cfg, std::string_view task);

// The API key from PLANE_API_KEY ("" when unset).
std::string api_key_from_env();

}  // namespace orchkit::plane
