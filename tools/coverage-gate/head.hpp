// The pull-request head a measured commit stands for: what merge-verify sends Gitea as
// head_commit_id. A caught-up HEAD (ci/orchkit-pr.yml's local `git merge --no-ff` of the target
// into the PR head) is a commit Gitea has never seen; the PR head is its one parent that is not
// on the target. A commit the remote branch points at is the head itself (a branch that merged
// the target and pushed it), and so is anything else.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace coverage_gate {

struct HeadFacts {
  std::string measured = {};
  bool measured_on_remote = false;                         // refs/remotes/origin/<branch> points at it
  std::vector<std::pair<std::string, bool>> parents = {};  // each parent, and whether the target contains it
};

std::string gated_head(const HeadFacts& f);

}  // namespace coverage_gate
