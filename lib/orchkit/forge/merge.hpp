// Merging a pull request through Gitea's API without guessing. The merge POST is not
// idempotent and its answer can be lost after Gitea merged, so it is sent once; when the answer
// is missing, a 5xx or a 405, `GET .../pulls/{n}/merge` (204 merged, 404 not) says what
// happened. decide_merge() is the pure reading of those answers; merge_pull() does the I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "orchkit/result.hpp"
#include "orchkit/util/units.hpp"

namespace orchkit::forge {

// What the two calls answered. A missing status is no answer at all (timeout, reset).
struct MergeFacts {
  int number = 0;
  std::string head = {};                  // the head_commit_id sent
  std::string style = "merge";            // the Do sent
  std::optional<long> post_status = {};   // POST .../merge
  std::string post_message = {};          // Gitea's message, or why there was no answer
  std::optional<long> check_status = {};  // GET .../merge, when asked: 204, 404, other
  std::string check_message = {};         // why the check has no answer, when it has none
};

// After the POST: must GET .../merge be asked? (no answer, a 5xx, or a 405)
bool needs_check(const MergeFacts& f);

enum class MergeOutcome { merged, not_merged, unknown };
std::string_view merge_outcome_name(MergeOutcome o);  // merged | not_merged | unknown

struct MergeVerdict {
  MergeOutcome outcome = MergeOutcome::unknown;
  Exit exit = Exit::error;  // ok: merged; no: Gitea refused it; error: failed or unknown
  std::string message = {};
};

// The rules (docs/merge-verify.md): 200 → merged. 409 "head out of date" → the head moved;
// any other 409 (conflicts, a push rejected by a hook, the target moved) shows Gitea's
// message. 405 → already merged when the check says 204, else the style is not allowed or the
// PR not mergeable (Gitea's message). No answer or 5xx → merged (204), not merged (404, exit 3)
// or outcome unknown (exit 3). 423: the repository is archived or being migrated (exit 3).
MergeVerdict decide_merge(const MergeFacts& f);

// Gitea's answer as one line of text: its "message", else a merge conflict's StdErr first line,
// else a short snippet of the body.
std::string gitea_message(std::string_view body);

struct MergeRequest {
  std::string api_url = {};     // .../api/v1
  std::string token = {};       // GITEA_TOKEN
  std::string owner_repo = {};  // owner/name
  int number = 0;
  std::string head = {};
  std::string style = "merge";
  Duration timeout = Duration(120'000);  // the one POST
};

// Sends the merge once, asks GET .../merge when needed, and decides. An argument problem is
// Exit::usage; every other result is the verdict (exit ok only when merged).
Result<MergeVerdict> merge_pull(const MergeRequest& r);

}  // namespace orchkit::forge
