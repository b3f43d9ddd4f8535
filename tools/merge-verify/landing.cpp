#include "merge-verify/landing.hpp"

#include <algorithm>

namespace merge_verify {

namespace {

std::string short_id(const std::string& sha) { return sha.substr(0, 12); }

// L by identity: the gated commit itself, or a merge that brought it in as a non-first parent.
std::optional<Landing> by_identity(const LandingFacts& f) {
  for (size_t i = 0; i < f.chain.size(); ++i) {
    const ChainCommit& c = f.chain[i];
    if (c.sha == f.gated_commit) return Landing{c.sha, c.tree, How::fast_forward, i};
    if (c.parents.size() > 1 && std::find(c.parents.begin() + 1, c.parents.end(), f.gated_commit) != c.parents.end())
      return Landing{c.sha, c.tree, How::merge_commit, i};
  }
  return std::nullopt;
}

// L by tree: the newest commit of the chain with the gated tree, newer than the fork point.
std::optional<Landing> by_tree(const LandingFacts& f) {
  for (size_t i = 0; i < f.chain.size(); ++i) {
    const ChainCommit& c = f.chain[i];
    if (f.fork_point && c.sha == *f.fork_point) return std::nullopt;
    if (c.tree == f.gated_tree) return Landing{c.sha, c.tree, How::same_tree, i};
  }
  return std::nullopt;
}

}  // namespace

const char* how_name(How h) {
  switch (h) {
    case How::fast_forward: return "fast_forward";
    case How::merge_commit: return "merge_commit";
    case How::same_tree: return "same_tree";
  }
  return "?";
}

LandingVerdict find_landing(const LandingFacts& f) {
  std::optional<Landing> l = f.gated_commit_known ? by_identity(f) : std::nullopt;
  if (!l) l = by_tree(f);
  std::string gated = short_id(f.gated_commit);
  if (!l)
    return {std::nullopt, false,
            "the gated commit " + gated + " did not land on the target: it is not on its first-parent history, " +
                "no merge there brought it in, and no commit there has the gated tree " + short_id(f.gated_tree)};
  std::string via = l->how == How::fast_forward   ? "is itself on the target"
                    : l->how == How::merge_commit ? "landed through the merge " + short_id(l->commit)
                                                  : "landed as " + short_id(l->commit) + " with the same tree";
  if (l->tree != f.gated_tree)
    return {l, false,
            "the gated commit " + gated + " " + via + ", but its tree " + short_id(l->tree) +
                " is not the gated tree " + short_id(f.gated_tree) +
                " (the target moved between the gate and the merge): what landed is not what was gated"};
  return {l, true, gated + " " + via};
}

}  // namespace merge_verify
