// The names of the leases in the state file, one rule for every tool (SPEC §4): the critical
// windows `merge:<repo>:<target>` (merge-verify) and `guard:<kind>:<repo>:<task>` (stop-task
// guard), during which a stop is deferred, and `stop:<repo>:<task>` (one stop of a task at a time),
// which is not a window.
#pragma once

#include <string>
#include <string_view>

namespace orchkit::lease_names {

inline std::string merge(std::string_view repo, std::string_view target) {
  return "merge:" + std::string(repo) + ":" + std::string(target);
}
inline std::string guard(std::string_view kind, std::string_view repo, std::string_view task) {
  return "guard:" + std::string(kind) + ":" + std::string(repo) + ":" + std::string(task);
}
inline std::string stop(std::string_view repo, std::string_view task) {
  return "stop:" + std::string(repo) + ":" + std::string(task);
}

// Does a stop of the lease's task wait for it (SPEC §7 step 2)?
inline bool is_window(std::string_view name) { return name.rfind("merge:", 0) == 0 || name.rfind("guard:", 0) == 0; }

}  // namespace orchkit::lease_names
