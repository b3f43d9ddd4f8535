#include "orchkit/plane/status.hpp"

#include <algorithm>
#include <cctype>

namespace orchkit::plane {
namespace {

std::string fold(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool of_project(const State& s, std::string_view project_id) { return s.project.empty() || s.project == project_id; }

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace

bool is_base_key(std::string_view key) { return std::find(kBaseKeys.begin(), kBaseKeys.end(), key) != kBaseKeys.end(); }
bool is_phase_key(std::string_view key) {
  return std::find(kPhaseKeys.begin(), kPhaseKeys.end(), key) != kPhaseKeys.end();
}
bool is_status_key(std::string_view key) { return is_base_key(key) || is_phase_key(key); }

std::optional<std::string_view> fallback_of(std::string_view key) {
  if (key == "to_analyse") return "todo";
  if (key == "analysis" || key == "code_review" || key == "awaiting_deploy" || key == "deploying") return "in_progress";
  if (key == "monitoring") return "done";
  return std::nullopt;
}

std::string_view default_state_name(std::string_view key) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"todo", "Todo"},
      {"in_progress", "In Progress"},
      {"done", "Done"},
      {"blocked", "Blocked"},
      {"cancelled", "Cancelled"},
      {"stop", "STOP"},
      {"to_analyse", "To Analyse"},
      {"analysis", "Analysis"},
      {"code_review", "Code Review"},
      {"awaiting_deploy", "Awaiting Deploy"},
      {"deploying", "Deploying"},
      {"monitoring", "Monitoring"},
  };
  for (const auto& [k, name] : kNames)
    if (k == key) return name;
  return {};
}

std::string state_name_for(const PlaneProject& project, std::string_view key) {
  auto it = project.states.find(std::string(key));
  if (it != project.states.end()) return it->second;
  return std::string(default_state_name(key));
}

const State* find_state(const std::vector<State>& states, std::string_view name, std::string_view project_id) {
  if (name.empty()) return nullptr;
  for (const State& s : states)
    if (of_project(s, project_id) && s.name == name && !s.id.empty()) return &s;
  const std::string want = fold(name);
  const State* found = nullptr;
  for (const State& s : states) {
    if (!of_project(s, project_id) || s.id.empty() || fold(s.name) != want) continue;
    if (found) return nullptr;  // ambiguous: "Done" and "done" both exist; an exact name is needed
    found = &s;
  }
  return found;
}

std::string_view via_name(Via via) {
  switch (via) {
    case Via::direct: return "direct";
    case Via::fallback: return "fallback";
    case Via::none: break;
  }
  return "none";
}

Resolution resolve(std::string_view ident, const PlaneProject& project, const std::vector<State>& states,
                   std::string_view key) {
  Resolution r;
  r.project = std::string(ident);
  r.key = std::string(key);
  if (!is_status_key(key)) {
    r.why = "unknown key " + quoted(key);
    r.warning = "unknown status key " + quoted(key) +
                " (known: todo, in_progress, done, blocked, cancelled, stop, "
                "to_analyse, analysis, code_review, awaiting_deploy, deploying, monitoring)";
    return r;
  }
  const std::string name = state_name_for(project, key);
  if (const State* s = find_state(states, name, project.id)) {
    r.used_key = r.key;
    r.state_name = s->name;
    r.state_id = s->id;
    r.via = Via::direct;
    r.why = r.key + " -> " + quoted(s->name) + " of " + r.project;
    return r;
  }
  if (auto base = fallback_of(key)) {
    const std::string base_name = state_name_for(project, *base);
    r.used_key = std::string(*base);
    r.state_name = base_name;
    if (const State* s = find_state(states, base_name, project.id)) {
      r.state_name = s->name;
      r.state_id = s->id;
      r.via = Via::fallback;
      r.why = r.project + " has no state " + quoted(name) + " for " + r.key + ": fell back to " + r.used_key + " -> " +
              quoted(s->name) + " of " + r.project;
      return r;
    }
    r.why = r.project + " has neither " + quoted(name) + " (" + r.key + ") nor " + quoted(base_name) + " (" +
            r.used_key + ")";
    r.warning = r.why + ": board not updated (create the state in Plane or map plane.projects." + r.project +
                ".states." + r.used_key + ")";
    return r;
  }
  r.used_key = r.key;
  r.state_name = name;
  r.why = r.project + " has no state " + quoted(name) + " for the base key " + r.key;
  r.warning = r.why + ": board not updated (create the state in Plane or map plane.projects." + r.project + ".states." +
              r.key + ")";
  return r;
}

}  // namespace orchkit::plane
