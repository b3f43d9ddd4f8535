// Merging a pull request through the Gitea API inside the merge window, pinned to the gated PR
// head (orchkit/forge/merge.hpp): the forge itself refuses a head that moved, and an answer
// that was lost is asked about, never guessed.
#pragma once

#include <string>

#include "orchkit/forge/merge.hpp"
#include "orchkit/result.hpp"
#include "orchkit/workspace.hpp"

namespace merge_verify {
// The verdict (exit ok: merged, go on to verify; no: Gitea refused it; error: failed or unknown);
// an error only for a missing URL, token or owner/name (exit 2).
orchkit::Result<orchkit::forge::MergeVerdict> merge_pull_request(const orchkit::Workspace& ws, int number,
                                                                 const std::string& head_sha);
}  // namespace merge_verify
