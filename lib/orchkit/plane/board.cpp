#include "orchkit/plane/board.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "orchkit/plane/cache.hpp"
#include "orchkit/util/log.hpp"

namespace orchkit::plane {
namespace {

int64_t wall_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ClientOptions client_options(const Config::Plane& plane, std::string api_key, const BoardOptions& o) {
  ClientOptions c;
  c.base_url = plane.base_url;
  c.workspace = plane.workspace;
  c.api_key = std::move(api_key);
  c.timeout = o.timeout;
  c.budget = o.budget;
  c.note = o.note;
  return c;
}

}  // namespace

std::string api_key_from_env() {
  const char* k = std::getenv("PLANE_API_KEY");
  return k ? std::string(k) : std::string();
}

Result<Board> Board::open(const Config& cfg, BoardOptions options) {
  if (cfg.plane.workspace.empty())
    return fail(Exit::usage, "plane.workspace is empty (set [plane] workspace to the workspace slug)");
  if (cfg.plane.base_url.empty()) return fail(Exit::usage, "plane.base_url is empty (set [plane] base_url)");
  std::string key = api_key_from_env();
  if (key.empty()) return fail(Exit::usage, "PLANE_API_KEY is not set (export the Plane API key)");
  return Board(cfg.plane, std::move(key), std::move(options));
}

Board::Board(const Config::Plane& plane, std::string api_key, BoardOptions options)
    : plane_(plane), options_(std::move(options)), client_(client_options(plane, std::move(api_key), options_)) {}

Result<const PlaneProject*> Board::project(const std::string& ident) const {
  auto it = plane_.projects.find(ident);
  if (it == plane_.projects.end()) {
    std::string known;
    for (const auto& [name, p] : plane_.projects) known += (known.empty() ? "" : ", ") + name;
    return fail(Exit::usage, "no Plane project '" + ident +
                                 "' in the config (configured: " + (known.empty() ? std::string("none") : known) +
                                 "; add [plane.projects." + ident + "])");
  }
  if (it->second.id.empty())
    return fail(Exit::usage, "plane.projects." + ident + ".id is empty (set it to the project's UUID)");
  return &it->second;
}

Result<std::vector<State>> Board::states(const std::string& ident) {
  ORCHKIT_TRY(p, project(ident));
  if (auto it = states_.find(ident); it != states_.end()) return it->second;
  const std::string path = options_.cache_dir.empty() ? std::string() : cache_path(options_.cache_dir, ident);
  if (!path.empty() && !options_.refresh_states) {
    if (auto cached = load_cached_states(path, p->id, plane_.states_cache_ttl, wall_now_ms())) {
      cached_[ident] = true;
      return states_[ident] = std::move(*cached);
    }
  }
  ORCHKIT_TRY(listed, client_.list_states(p->id));
  std::vector<State> mine;
  for (State& s : listed) {
    if (!s.project.empty() && s.project != p->id) continue;  // never a state of another project
    mine.push_back(std::move(s));
  }
  if (!path.empty() && plane_.states_cache_ttl > Duration(0)) {
    auto stored = store_cached_states(path, StatesCache{ident, p->id, wall_now_ms(), mine});
    if (!stored) log::warning("plane states cache: " + stored.error().message + " (states are asked again next time)");
  }
  cached_[ident] = false;
  return states_[ident] = std::move(mine);
}

bool Board::states_from_cache(const std::string& ident) const {
  auto it = cached_.find(ident);
  return it != cached_.end() && it->second;
}

void Board::forget_states(const std::string& ident) {
  states_.erase(ident);
  cached_.erase(ident);
  if (!options_.cache_dir.empty()) {
    std::error_code ec;
    std::filesystem::remove(cache_path(options_.cache_dir, ident), ec);
  }
}

Result<Resolution> Board::resolve(const std::string& ident, std::string_view key) {
  ORCHKIT_TRY(p, project(ident));
  ORCHKIT_TRY(list, states(ident));
  return plane::resolve(ident, *p, list, key);
}

Result<Applied> Board::apply(const std::string& ident, const std::string& issue, const Resolution& r,
                             const std::optional<std::string>& known_state) {
  if (!r.state_id) return fail(Exit::error, r.warning.value_or(r.why));
  if (r.project != ident)  // a resolution is only ever used in its own project
    return fail(Exit::error, "internal: a state of " + r.project + " offered for " + ident + " (not applied)");
  ORCHKIT_TRY(p, project(ident));
  Applied out;
  if (known_state) {
    out.previous_state = *known_state;
  } else {
    ORCHKIT_TRY(item, client_.get_work_item(p->id, issue));
    if (!item.project.empty() && item.project != p->id) {
      return fail(Exit::error, "work item " + issue + " belongs to project " + item.project + ", not " + ident + " (" +
                                   p->id + "): not updated (a state of one project is never set on another's item)");
    }
    out.previous_state = item.state;
  }
  if (out.previous_state == *r.state_id) return out;
  ORCHKIT_CHECK(client_.set_state(p->id, issue, *r.state_id));
  out.changed = true;
  return out;
}

Indication indicate(const Config& cfg, const std::string& ident, const std::string& issue, std::string_view key,
                    BoardOptions options) {
  auto board = Board::open(cfg, std::move(options));
  if (!board) {
    Indication ind;
    ind.resolution.project = ident;
    ind.resolution.key = std::string(key);
    ind.warning = "board not updated: " + board.error().message;
    return ind;
  }
  return indicate(*board, ident, issue, key);
}

Indication indicate(Board& board, const std::string& ident, const std::string& issue, std::string_view key,
                    const std::optional<std::string>& known_state) {
  Indication ind;
  ind.resolution.project = ident;
  ind.resolution.key = std::string(key);
  const int before = board.stats().requests;
  auto finish = [&](std::optional<std::string> warning) {
    ind.warning = std::move(warning);
    ind.requests = board.stats().requests - before;
    return ind;
  };
  auto r = board.resolve(ident, key);
  if (!r) return finish("board not updated: " + r.error().message);
  ind.resolution = *r;
  if (!r->state_id) return finish(r->warning.value_or("board not updated: " + r->why));
  if (issue.empty()) return finish("board not updated: no Plane work item for this task (pass --issue UUID once)");
  auto applied = board.apply(ident, issue, *r, known_state);
  if (!applied && board.states_from_cache(ident)) {
    // The cached state may be gone (renamed, deleted): ask the server once more.
    board.forget_states(ident);
    auto again = board.resolve(ident, key);
    if (again && again->state_id && again->state_id != r->state_id) {
      ind.resolution = *again;
      applied = board.apply(ident, issue, *again, known_state);
    }
  }
  if (!applied) return finish("board not updated: " + applied.error().message);
  ind.ok = true;
  ind.changed = applied->changed;
  ind.previous_state = applied->previous_state;
  return finish(std::nullopt);
}

std::string cache_dir_for(const Workspace& ws) {
  if (ws.repo) return ws.repo->common_dir() + "/orchkit";
  return std::filesystem::path(ws.state_path).parent_path().string();
}

std::optional<std::string> project_of_task(const Config& cfg, std::string_view task) {
  const size_t dash = task.rfind('-');
  if (dash == std::string_view::npos || dash == 0) return std::nullopt;
  std::string ident(task.substr(0, dash));
  if (cfg.plane.projects.count(ident) == 0) return std::nullopt;
  return ident;
}

}  // namespace orchkit::plane
