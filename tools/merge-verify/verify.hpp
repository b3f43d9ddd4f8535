// What merge-verify decides, as a pure function: is what landed what was gated, and may the
// baseline be ratcheted with it?
#pragma once

#include <optional>
#include <string>

#include "orchkit/frontmatter.hpp"
#include "orchkit/result.hpp"

namespace merge_verify {

// The gate's record of a commit, read from the artefact's front matter.
struct Gated {
  std::string status = {};  // PASS | WARN | SKIPPED | FAIL | ERROR
  std::string commit = {};
  std::string tree = {};
  std::string task = {};
  std::string target = {};
  std::optional<uint64_t> line_covered = {};
  std::optional<uint64_t> line_total = {};
};

// Exit 1 (the gate says no) for an artefact that cannot be trusted.
orchkit::Result<Gated> gated_from(const orchkit::FrontMatter& fm, const std::string& name);

struct Landed {
  bool contains = false;    // the gated commit is the target tip or an ancestor of it
  bool tree_equal = false;  // the tip's tree is the gated tree (squash / rebase merge)
};

struct Decision {
  bool verified = false;
  bool ratchet = false;
  std::string why = {};
};

Decision decide(const Gated& g, const Landed& l);

}  // namespace merge_verify
