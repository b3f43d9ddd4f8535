#include "merge-verify/landing.hpp"

#include <catch2/catch.hpp>

using namespace merge_verify;

namespace {

// Commits are named by one letter; their ids and trees are spelled from it ("c:M", "t:M").
ChainCommit C(const std::string& name, const std::string& tree, std::vector<std::string> parents) {
  return ChainCommit{"c:" + name, "t:" + tree, std::move(parents)};
}
std::string c(const std::string& name) { return "c:" + name; }

struct Row {
  const char* name;
  LandingFacts facts;
  std::optional<std::string> landing;  // the commit L, by name
  std::optional<How> how;
  bool verified;
};

LandingFacts F(const std::string& gated, const std::string& tree, std::vector<ChainCommit> chain,
               std::optional<std::string> fork = std::nullopt, bool known = true) {
  LandingFacts f;
  f.gated_commit = c(gated);
  f.gated_tree = "t:" + tree;
  f.gated_commit_known = known;
  if (fork) f.fork_point = c(*fork);
  f.chain = std::move(chain);
  return f;
}

}  // namespace

TEST_CASE("landing: the commit through which the task landed, and its tree", "[landing]") {
  // The target's first-parent chain, tip first. A = the old tip, G = the gated commit.
  // clang-format off
  const std::vector<Row> rows = {
      {"fast-forward: G is the tip",
       F("G", "g", {C("G", "g", {c("A")}), C("A", "a", {})}, "G"), "G", How::fast_forward, true},
      {"fast-forward, then later commits: G is still the landing commit",
       F("G", "g", {C("X", "x", {c("G")}), C("G", "g", {c("A")}), C("A", "a", {})}, "G"), "G", How::fast_forward, true},
      {"merge commit --no-ff: M brings G in, same tree",
       F("G", "g", {C("M", "g", {c("A"), c("G")}), C("A", "a", {})}, "G"), "M", How::merge_commit, true},
      {"squash merge: S has the gated tree, G is nowhere on the chain",
       F("G", "g", {C("S", "g", {c("A")}), C("A", "a", {})}, "A"), "S", How::same_tree, true},
      {"caught-up HEAD merged by the forge: M has the tree of the local merge H of A and the PR head",
       F("H", "h", {C("M", "h", {c("A"), c("P")}), C("A", "a", {})}, "A"), "M", How::same_tree, true},
      {"caught-up HEAD made elsewhere (not in this repository): found by tree only",
       F("H", "h", {C("M", "h", {c("A"), c("P")}), C("A", "a", {})}, std::nullopt, false), "M", How::same_tree, true},
      {"hook's temporary commit (parent = the tip), then git merge --no-ff with the same tree",
       F("T", "m", {C("M", "m", {c("A"), c("B")}), C("A", "a", {})}, "A"), "M", How::same_tree, true},
      {"merged, but the target moved in between: the merge's tree differs",
       F("G", "g", {C("M", "gx", {c("X"), c("G")}), C("X", "x", {c("A")}), C("A", "a", {})}, "G"), "M", How::merge_commit, false},
      {"an ancestor of the tip through a later head: the merge brought G2, not G",
       F("G", "g", {C("M", "g2x", {c("A"), c("G2")}), C("A", "a", {})}, "G"), std::nullopt, std::nullopt, false},
      {"not on the target at all",
       F("G", "g", {C("X", "x", {c("A")}), C("A", "a", {})}, "A"), std::nullopt, std::nullopt, false},
      {"an empty chain finds nothing",
       F("G", "g", {}), std::nullopt, std::nullopt, false},
      {"revert back to an equal tree: G's own landing wins over the newer commit R with its tree",
       F("G", "g", {C("R", "g", {c("X")}), C("X", "x", {c("M")}), C("M", "g", {c("A"), c("G")}), C("A", "a", {})}, "G"), "M", How::merge_commit, true},
      {"revert back, landing tree differed: the newer equal tree does not rescue it",
       F("G", "g", {C("R", "g", {c("M")}), C("M", "gx", {c("A"), c("G")}), C("A", "a", {})}, "G"), "M", How::merge_commit, false},
      {"not landed, an older commit had the gated tree: below the fork point, not a landing",
       F("G", "a", {C("B", "b", {c("A")}), C("A", "a", {})}, "B"), std::nullopt, std::nullopt, false},
      {"squash of a revert: the newest equal tree above the fork point",
       F("G", "a", {C("S", "a", {c("B")}), C("B", "b", {c("A")}), C("A", "a", {})}, "B"), "S", How::same_tree, true},
      {"the gated commit's tree equals the fork point's (an empty commit): not a landing",
       F("G", "a", {C("A", "a", {})}, "A"), std::nullopt, std::nullopt, false},
      {"two squash landings of the same tree: the newest is L",
       F("G", "g", {C("S2", "g", {c("S1")}), C("S1", "g", {c("A")}), C("A", "a", {})}, "A"), "S2", How::same_tree, true},
      {"octopus merge: G as the third parent",
       F("G", "g", {C("M", "g", {c("A"), c("P"), c("G")}), C("A", "a", {})}, "G"), "M", How::merge_commit, true},
      {"G as the first parent of a merge is on the chain itself",
       F("G", "g", {C("M", "m", {c("G"), c("P")}), C("G", "g", {c("A")}), C("A", "a", {})}, "G"), "G", How::fast_forward, true},
  };
  // clang-format on
  for (const Row& r : rows) {
    SECTION(r.name) {
      LandingVerdict v = find_landing(r.facts);
      INFO(v.why);
      CHECK(v.verified == r.verified);
      REQUIRE(v.landing.has_value() == r.landing.has_value());
      if (r.landing) {
        CHECK(v.landing->commit == c(*r.landing));
        CHECK(v.landing->how == *r.how);
      }
      CHECK_FALSE(v.why.empty());
    }
  }
}

TEST_CASE("landing: the depth of L and the reasons name both trees", "[landing]") {
  LandingVerdict v =
      find_landing(F("G", "g", {C("M", "gx", {c("X"), c("G")}), C("X", "x", {c("A")}), C("A", "a", {})}, "G"));
  REQUIRE(v.landing);
  CHECK(v.landing->depth == 0);
  CHECK(v.why.find("t:gx") != std::string::npos);
  CHECK(v.why.find("t:g ") != std::string::npos);
  v = find_landing(F("G", "g", {C("X", "x", {c("G")}), C("G", "g", {c("A")}), C("A", "a", {})}, "G"));
  REQUIRE(v.landing);
  CHECK(v.landing->depth == 1);
  CHECK(std::string(how_name(How::same_tree)) == "same_tree");
}
