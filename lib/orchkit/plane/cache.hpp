// The states cache: a project's state list kept for plane.states_cache_ttl in a small JSON file
// (`<git common dir>/orchkit/plane-states-<IDENT>.json`, beside the state file but not in it), so
// a burst of `set` calls costs one states request per project. Written atomically; a cache that
// is unreadable, stale, or for another project id is ignored, never an error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orchkit/plane/status.hpp"
#include "orchkit/result.hpp"
#include "orchkit/util/units.hpp"

namespace orchkit::plane {

struct StatesCache {
  std::string ident = {};       // ORCH
  std::string project_id = {};  // the project UUID the states were listed for
  int64_t fetched_at_ms = 0;    // wall clock, ms since the epoch
  std::vector<State> states = {};
};

std::string serialize_cache(const StatesCache& c);
Result<StatesCache> parse_cache(std::string_view text, std::string_view name);

// Usable for `project_id` at `now_ms`: same project, fetched no longer than `ttl` ago (and not in
// the future: a clock that went back invalidates it). A ttl of 0 disables the cache.
bool cache_usable(const StatesCache& c, std::string_view project_id, Duration ttl, int64_t now_ms);

// <dir>/plane-states-<IDENT>.json (IDENT reduced to [A-Za-z0-9_-]).
std::string cache_path(const std::string& dir, std::string_view ident);

std::optional<std::vector<State>> load_cached_states(const std::string& path, std::string_view project_id, Duration ttl,
                                                     int64_t now_ms);
Result<void> store_cached_states(const std::string& path, const StatesCache& c);

}  // namespace orchkit::plane
