#include "orchkit/stop/safety.hpp"

#include <fnmatch.h>

#include <regex>

#include "orchkit/git/repo.hpp"
#include "orchkit/saferm.hpp"

namespace orchkit::stop {

std::optional<std::string> task_key_rule(const std::string& key, const orchkit::Config& cfg) {
  if (key.empty()) return "the task key is empty";
  if (key[0] == '-' || key[0] == '.') return "a task key may not start with '-' or '.'";
  for (unsigned char c : key) {
    if (c < 0x21 || c == 0x7f) return "a task key may not hold whitespace or control characters";
    if (c == '/' || c == '\\') return "a task key may not hold a path separator";
    if (c >= 0x80) return "a task key is ASCII only";
  }
  if (key.find("..") != std::string::npos) return "a task key may not hold '..'";
  try {
    if (!std::regex_match(key, std::regex(cfg.task.key_pattern)))
      return "the task key does not match task.key_pattern " + cfg.task.key_pattern;
  } catch (const std::regex_error&) {
    return "task.key_pattern is not a valid regular expression";
  }
  return std::nullopt;
}

std::optional<std::string> branch_rule(const std::string& branch, const std::string& key, const orchkit::Config& cfg,
                                       const std::optional<std::string>& default_branch) {
  for (unsigned char c : branch)
    if (c < 0x20 || c == 0x7f) return "a branch name may not hold control characters";
  if (!orchkit::git::valid_branch_name(branch)) return "'" + branch + "' fails git check-ref-format";
  for (const auto& pattern : cfg.project.protected_branches)
    if (branch == pattern || fnmatch(pattern.c_str(), branch.c_str(), 0) == 0)
      return "'" + branch + "' is protected (" + pattern + ")";
  if (branch == cfg.project.target_branch) return "'" + branch + "' is the target branch";
  if (default_branch && branch == *default_branch) return "'" + branch + "' is the remote's default branch";
  const std::string& prefix = cfg.task.branch_prefix;
  if (prefix.empty() || branch.rfind(prefix, 0) != 0)
    return "'" + branch + "' does not start with task.branch_prefix '" + prefix + "'";
  std::string own = prefix + key;
  if (branch != own && branch.rfind(own + "-", 0) != 0 && branch.rfind(own + "/", 0) != 0)
    return "'" + branch + "' is not a branch of " + key;
  return std::nullopt;
}

std::optional<std::string> worktree_rule(const std::string& real_worktree, const std::string& real_root,
                                         const std::string& key, const std::string& real_main_worktree) {
  if (real_worktree == real_main_worktree) return "the main worktree is never removed";
  if (!orchkit::path_within(real_worktree, real_root))
    return real_worktree + " lies outside task.worktrees_root " + real_root;
  if (real_worktree != real_root + "/" + key) return real_worktree + " is not " + real_root + "/" + key;
  if (orchkit::path_within(real_main_worktree, real_worktree)) return "the worktree would contain the main worktree";
  return std::nullopt;
}

}  // namespace orchkit::stop
