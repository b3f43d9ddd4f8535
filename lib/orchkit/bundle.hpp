// git bundles: a branch's commits saved as one file, so they can be fetched back after the branch
// is gone (`git fetch <file> <ref>:<ref>`). libgit2 1.5 writes no bundles: this adapter runs
// `git bundle create` (proc.hpp), the one place where orchkit starts git.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "orchkit/result.hpp"

namespace orchkit::bundle {

// A ref a bundle carries and the commit it names.
struct Head {
  std::string oid = {};
  std::string ref = {};  // refs/heads/..., refs/remotes/..., HEAD
};

// The refs listed in a bundle's text header (v2 or v3; prerequisites and capabilities skipped).
// `header` may run on into the pack: parsing stops at the first empty line.
Result<std::vector<Head>> parse_heads(std::string_view header, const std::string& name);

// The refs of the bundle file at `path` (its header only is read).
Result<std::vector<Head>> read_heads(const std::string& path);

// Writes the bundle `path` with the commits reachable from `refs` and from none of `exclude`
// (commit ids). `git_dir` is the repository's git dir, or a linked worktree's own git dir so that
// "HEAD" is that worktree's. The file appears whole or not at all (written aside, then renamed).
Result<void> create(const std::string& git_dir, const std::string& path, const std::vector<std::string>& refs,
                    const std::vector<std::string>& exclude);

}  // namespace orchkit::bundle
