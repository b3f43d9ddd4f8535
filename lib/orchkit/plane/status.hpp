// The Plane status model (SPEC §8): logical status keys, mapped per project to state *names* in
// [plane.projects.<IDENT>.states], resolved to the state UUIDs of that same project. Pure: the
// project's config and its listed states in, a resolution out.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orchkit/config.hpp"

namespace orchkit::plane {

// A workflow state of one Plane project, as the API lists it.
struct State {
  std::string id = {};
  std::string name = {};
  std::string group = {};    // backlog | unstarted | started | completed | cancelled | triage
  std::string project = {};  // the project UUID the server gave ("" when it gave none)
};

inline constexpr std::array<std::string_view, 6> kBaseKeys = {"todo",    "in_progress", "done",
                                                              "blocked", "cancelled",   "stop"};
inline constexpr std::array<std::string_view, 6> kPhaseKeys = {"to_analyse",      "analysis",  "code_review",
                                                               "awaiting_deploy", "deploying", "monitoring"};

bool is_base_key(std::string_view key);
bool is_phase_key(std::string_view key);
bool is_status_key(std::string_view key);

// The base key a phase key degrades to (to_analyse→todo; analysis, code_review, awaiting_deploy,
// deploying→in_progress; monitoring→done); nullopt for a base key or an unknown one.
std::optional<std::string_view> fallback_of(std::string_view key);

// The state name a key stands for when [plane.projects.X.states] does not name it: Plane's
// default names for the base keys, the SPEC's names for the phase keys ("To Analyse", ...).
std::string_view default_state_name(std::string_view key);

// The state name `key` maps to in `project` (configured, else the default name).
std::string state_name_for(const PlaneProject& project, std::string_view key);

// The state of project `project_id` called `name`: an exact match, else the only match ignoring
// case and surrounding blanks. States that name another project are never returned.
const State* find_state(const std::vector<State>& states, std::string_view name, std::string_view project_id);

enum class Via { direct, fallback, none };
std::string_view via_name(Via via);

// Which state a key resolves to in one project, and why.
struct Resolution {
  std::string project = {};                  // the project identifier (ORCH)
  std::string key = {};                      // the key asked for
  std::string used_key = {};                 // the key whose state is used: key (direct) or its base (fallback)
  std::string state_name = {};               // the name looked up for used_key
  std::optional<std::string> state_id = {};  // nullopt: nothing to set
  Via via = Via::none;
  std::string why = {};                     // one line for people
  std::optional<std::string> warning = {};  // a base key the project lacks, an unknown key
};

// Resolves `key` in the project `ident` (its config, and the states the server listed for it).
// A phase key the project lacks degrades to its base key of the SAME project; a base key the
// project lacks resolves to nothing, with a warning. Only states of `project.id` are considered,
// so the result is never a UUID of another project.
Resolution resolve(std::string_view ident, const PlaneProject& project, const std::vector<State>& states,
                   std::string_view key);

}  // namespace orchkit::plane
