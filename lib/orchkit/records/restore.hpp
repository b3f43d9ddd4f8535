// What a stop saved before deleting anything (the uncommitted-work patch, the bundle of commits
// not on the target) and the exact commands that get it back on a fresh clone once the branch is
// gone. Kept in 90-stop.md's front matter, so a re-run of a half-done stop can still tell.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "orchkit/frontmatter.hpp"

namespace orchkit::records {

struct Saved {
  std::optional<std::string> patch = {};        // 90-stop-generation-N.patch (absent: the worktree was clean)
  std::optional<std::string> bundle = {};       // 90-stop-generation-N.bundle (absent: nothing off the target)
  std::string head = {};                        // the commit the worktree had checked out ("" without one)
  std::optional<std::string> head_branch = {};  // the branch it had checked out (absent: detached)
  std::string target = {};                      // project.target_branch
  std::string target_oid = {};                  // its tip when the commits were saved
  struct Ref {
    std::string ref = {};   // as the bundle carries it: refs/heads/..., refs/remotes/origin/..., HEAD
    std::string tip = {};   // the commit it named
    std::string base = {};  // its merge-base with the target ("" when none)
  };
  std::vector<Ref> refs = {};
  bool empty() const { return !patch && !bundle && head.empty() && refs.empty(); }
};

// The fetch refspec that restores `ref` of the bundle as a local branch ("" for HEAD: its commits
// are fetched, no branch is made). A remote tip beside a local branch of the same name becomes
// "<branch>-origin".
std::string restore_refspec(const Saved& s, const Saved::Ref& r);

// The shell commands, one a line, that restore the saved work on a fresh clone.
std::vector<std::string> restore_commands(const Saved& s);

// The Markdown section of 90-stop.md: what was saved, the tips and bases, the commands, and that
// ignored files were not saved.
std::string render_restore(const Saved& s);

// Front matter fields (saved_patch, saved_bundle, worktree_head, worktree_branch, target,
// target_commit, bundle_refs) and back.
void write_saved(orchkit::FrontMatterWriter& w, const Saved& s);
Saved read_saved(const orchkit::FrontMatter& fm);

}  // namespace orchkit::records
