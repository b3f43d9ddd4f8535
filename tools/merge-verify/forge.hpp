// Merging a pull request through the Gitea API inside the merge window, pinned to the gated
// commit: the forge itself refuses a head that moved.
#pragma once

#include <string>

#include "orchkit/result.hpp"
#include "orchkit/workspace.hpp"

namespace merge_verify {
// 409 (head moved) and 405 (not mergeable) → exit 1; other failures → exit 3.
orchkit::Result<void> merge_pull_request(const orchkit::Workspace& ws, int number, const std::string& head_sha);
}  // namespace merge_verify
