// Removing a directory tree without ever following a symlink, and path containment checks:
// what lets stop-task delete a worktree and nothing outside the worktrees root.
#pragma once

#include <string>

#include "orchkit/result.hpp"

namespace orchkit {

// realpath(), or an error naming the path.
Result<std::string> real_path(const std::string& path);

// Is `path` strictly inside `root`? Both must already be resolved (real_path).
bool path_within(const std::string& path, const std::string& root);

// Removes the directory `<parent>/<name>` and everything in it. `parent` must be a resolved real
// directory. Nothing is followed: the entry is first renamed aside inside `parent`, every level
// is opened with O_NOFOLLOW relative to its parent's descriptor, and a symlink met anywhere is
// removed as a link, never entered. A symlink in place of the directory itself is refused
// (Exit::refused) and left untouched.
Result<void> remove_tree(const std::string& parent, const std::string& name);

}  // namespace orchkit
