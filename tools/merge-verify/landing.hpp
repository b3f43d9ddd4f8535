// Through which commit did the gated task land on the target, and is its tree the gated tree?
// A pure rule over the target's first-parent history (SPEC §6 step 3): being an ancestor of the
// tip is not enough — a commit can be in the target's history while what landed differs from it.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace merge_verify {

// One commit of the target's first-parent chain, tip first: its tree and its parents (first first).
struct ChainCommit {
  std::string sha = {};
  std::string tree = {};
  std::vector<std::string> parents = {};
};

struct LandingFacts {
  std::string gated_commit = {};
  std::string gated_tree = {};
  bool gated_commit_known = true;  // false: the gated commit is not in this repository (a hook's
                                   // temporary commit made elsewhere); only its tree can match
  // merge-base(gated commit, tip): the gated commit already contains it and every older commit of
  // the chain, so none of those can be where it landed (a tree search stops there).
  std::optional<std::string> fork_point = {};
  std::vector<ChainCommit> chain = {};  // the target's first-parent history from its tip
};

enum class How {
  fast_forward,  // the gated commit is on the chain itself (fast-forward, or a rebase that kept it)
  merge_commit,  // a merge on the chain has the gated commit among its non-first parents
  same_tree,     // the gated commit is not on the chain: the newest commit with the gated tree
                 // (squash, rebase, the forge's merge of a caught-up HEAD)
};

struct Landing {
  std::string commit = {};  // L: the commit through which the task landed (exists on the target)
  std::string tree = {};
  How how = How::fast_forward;
  size_t depth = 0;  // commits between the tip and L on the chain (0: L is the tip)
};

struct LandingVerdict {
  std::optional<Landing> landing = {};  // none: the task is not on the target's history at all
  bool verified = false;                // iff L exists and L.tree == the gated tree
  std::string why = {};
};

// The gated commit's identity wins over its tree: when it (or the merge of it) is on the chain,
// that commit is L, whatever a later commit's tree is (a revert back to the gated tree does not
// make a newer landing). Only a gated commit absent from the chain is looked for by tree, from
// the tip down to the fork point.
LandingVerdict find_landing(const LandingFacts& f);

const char* how_name(How h);

}  // namespace merge_verify
