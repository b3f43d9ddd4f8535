// The gated commit's line data (written by coverage-gate beside its artefact) stored with a
// bootstrapped or raised baseline, so the next gate can categorise lines against it.
#pragma once

#include <string>

#include "merge-verify/verify.hpp"
#include "orchkit/result.hpp"
#include "orchkit/state/state.hpp"

namespace merge_verify {

// Stores the line data beside `g.artefact` for (repo, target) at the landing commit when its
// hash is the one the artefact records. Returns what happened ("stored", "none: ...", "refused:
// ..."): a missing or mismatched file is said, never stored, and never blocks the ratchet (the
// next gate then says it has no line data and the percent rule decides). Exit 3 only when the
// state file cannot be written.
orchkit::Result<std::string> store_line_data(orchkit::state::State& st, const std::string& repo,
                                             const std::string& target, const Gated& g, const std::string& landed);

}  // namespace merge_verify
