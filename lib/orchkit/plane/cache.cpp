#include "orchkit/plane/cache.hpp"

#include <cctype>

#include "orchkit/json.hpp"
#include "orchkit/json_writer.hpp"
#include "orchkit/util/file.hpp"

namespace orchkit::plane {

std::string serialize_cache(const StatesCache& c) {
  JsonWriter w;
  w.object().field("ident", c.ident).field("project_id", c.project_id);
  w.key("fetched_at_ms").num_signed(c.fetched_at_ms);
  w.key("states").array();
  for (const State& s : c.states) {
    w.object().field("id", s.id).field("name", s.name).field("group", s.group).field("project", s.project).end();
  }
  w.end().end();
  return w.text() + "\n";
}

Result<StatesCache> parse_cache(std::string_view text, std::string_view name) {
  ORCHKIT_TRY(doc, parse_json(text, name));
  StatesCache c;
  auto project = doc.get_string("project_id");
  auto at = doc.get_int("fetched_at_ms");
  const Json* states = doc.find("states");
  if (!project || !at || !states || !states->is_array())
    return fail(Exit::error, std::string(name) + ": not a states cache (expected project_id, fetched_at_ms, states)");
  c.ident = doc.get_string("ident").value_or("");
  c.project_id = *project;
  c.fetched_at_ms = *at;
  for (const Json& s : states->items()) {
    State st{s.get_string("id").value_or(""), s.get_string("name").value_or(""), s.get_string("group").value_or(""),
             s.get_string("project").value_or("")};
    if (st.id.empty()) return fail(Exit::error, std::string(name) + ": a cached state without an id");
    c.states.push_back(std::move(st));
  }
  return c;
}

bool cache_usable(const StatesCache& c, std::string_view project_id, Duration ttl, int64_t now_ms) {
  if (ttl <= Duration(0) || c.project_id != project_id) return false;
  const int64_t age = now_ms - c.fetched_at_ms;
  return age >= 0 && age < ttl.count();
}

std::string cache_path(const std::string& dir, std::string_view ident) {
  std::string safe;
  for (char ch : ident) {
    const auto u = static_cast<unsigned char>(ch);
    safe += (std::isalnum(u) || ch == '-' || ch == '_') ? ch : '_';
  }
  return dir + "/plane-states-" + safe + ".json";
}

std::optional<std::vector<State>> load_cached_states(const std::string& path, std::string_view project_id, Duration ttl,
                                                     int64_t now_ms) {
  if (ttl <= Duration(0)) return std::nullopt;
  auto text = read_file(path);
  if (!text) return std::nullopt;
  auto c = parse_cache(*text, path);
  if (!c || !cache_usable(*c, project_id, ttl, now_ms)) return std::nullopt;
  return std::move(c->states);
}

Result<void> store_cached_states(const std::string& path, const StatesCache& c) {
  return write_file_atomic(path, serialize_cache(c));
}

}  // namespace orchkit::plane
