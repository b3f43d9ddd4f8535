// Where every file orchkit keeps for a task lives (SPEC §1, the one rule): <artefacts>/<KEY>/<file>,
// task.artefacts_dir relative to the main worktree or absolute, and coverage.artefact for the gate
// record. A location that would land outside the artefacts directory ('..', a symlink out of it,
// a key that a permissive key_pattern let through with a '/') or that cannot be a file name (a
// key longer than the filesystem allows) is refused with exit 4 before anything is written.
#pragma once

#include <string>
#include <string_view>

#include "orchkit/config.hpp"
#include "orchkit/result.hpp"

namespace orchkit::records {

// The artefacts directory as an absolute, lexically normal path (no trailing '/').
std::string artefacts_root(const Config& cfg, const std::string& main_worktree);

// Exit 4 unless `key` can be one directory name: not empty, no '/', not "." or "..", no control
// character, at most NAME_MAX bytes.
Result<void> check_key_as_name(std::string_view key);

// <artefacts>/<task>/<file>, checked as above (and every existing part resolved: no symlink out).
Result<std::string> task_record(const Config& cfg, const std::string& main_worktree, const std::string& task,
                                std::string_view file);

// The coverage gate record of `task`: coverage.artefact with {artefacts_dir} and {task}
// substituted, relative to the main worktree; it must lie inside the artefacts directory.
Result<std::string> gate_record(const Config& cfg, const std::string& main_worktree, const std::string& task);

// Pure: does `path` lie strictly inside `root` (both absolute, lexically normal)?
bool lies_inside(std::string_view path, std::string_view root);

}  // namespace orchkit::records
