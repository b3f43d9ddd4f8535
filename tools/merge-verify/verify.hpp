// What merge-verify decides, as a pure function: is what landed what was gated, and may the
// baseline be ratcheted with it?
#pragma once

#include <optional>
#include <string>

#include "merge-verify/landing.hpp"
#include "orchkit/frontmatter.hpp"
#include "orchkit/result.hpp"

namespace merge_verify {

// The gate's record of a commit, read from the artefact's front matter.
struct Gated {
  std::string status = {};  // PASS | WARN | SKIPPED | FAIL | ERROR
  std::string commit = {};
  std::string tree = {};
  std::string head_commit = {};  // the PR head the commit stands for (the commit in older artefacts)
  std::string task = {};
  std::string target = {};
  std::optional<uint64_t> line_covered = {};
  std::optional<uint64_t> line_total = {};
  std::optional<std::string> line_pct = {};
  std::optional<std::string> line_data_sha256 = {};  // the line data written beside the artefact
  std::string artefact = {};                         // the artefact's path (set by the caller)
  std::optional<std::string> line_data = {};         // carried with a record read from the state
};

// Exit 1 (the gate says no) for an artefact that cannot be trusted: a missing or unknown
// coverage_status, a commit or tree that is not 40 hex, or a front matter that disagrees with
// itself (line_covered > line_total, a line_pct that is not truncate(line_covered/line_total) to
// two decimals, a PASS without lines).
orchkit::Result<Gated> gated_from(const orchkit::FrontMatter& fm, const std::string& name);

// Where the landing commit L stands against the commit of the current baseline.
enum class BaselineAge {
  none,       // no baseline yet
  same,       // L is the baseline's commit: several artefacts of one landing ratchet to their max
  not_older,  // L is newer than (or unrelated to) the baseline's commit
  older,      // L is a proper ancestor of the baseline's commit: stale, never ratchets
  unknown,    // the baseline's commit is not in this repository: proceed, max() keeps it safe
};

struct Landed {
  LandingVerdict landing = {};
  BaselineAge baseline = BaselineAge::none;
};

struct Decision {
  bool verified = false;
  bool ratchet = false;
  bool stale = false;  // verified, but measured before what the baseline already holds: a kept row
  std::string why = {};
};

Decision decide(const Gated& g, const Landed& l);

}  // namespace merge_verify
