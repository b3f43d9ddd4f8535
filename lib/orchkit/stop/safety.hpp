// The safety rules of a cancel, as pure functions: each returns the rule a name breaks, or
// nothing. They are checked before any git call or file operation.
#pragma once

#include <optional>
#include <string>

#include "orchkit/config.hpp"

namespace orchkit::stop {

// A task key: matches task.key_pattern, and is a plain name (no '/', '..', leading '-',
// whitespace or control characters) so it can name a directory.
std::optional<std::string> task_key_rule(const std::string& key, const orchkit::Config& cfg);

// A branch stop-task may delete: a valid branch name, `<branch_prefix><KEY>` or
// `<branch_prefix><KEY>-…`/`/…`, matching no protected pattern, not the remote's default.
std::optional<std::string> branch_rule(const std::string& branch, const std::string& key, const orchkit::Config& cfg,
                                       const std::optional<std::string>& default_branch);

// The worktree of `key`: its real path is exactly `<real worktrees_root>/<key>`, inside the root
// and not the main worktree.
std::optional<std::string> worktree_rule(const std::string& real_worktree, const std::string& real_root,
                                         const std::string& key, const std::string& real_main_worktree);

}  // namespace orchkit::stop
