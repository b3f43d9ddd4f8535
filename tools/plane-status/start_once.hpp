// Reconcile starts a task's generation once (issue 15 item 9): the pass claims the generation's
// start record in the state (`running`, atomically) before start_command runs, then records the
// outcome. A later pass leaves a claimed, started or backing-off generation alone. The decisions
// are pure functions of the record and the time; the claim itself is a compare-and-set.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "orchkit/result.hpp"
#include "orchkit/state/state.hpp"

namespace plane_status {

struct StartPolicy {
  int64_t run_ttl_ms = 0;    // a claim expires after the command's timeout and a margin
  int64_t retry_ms = 0;      // the first retry after a failed start
  int64_t retry_max_ms = 0;  // the longest wait (the backoff doubles up to it)
};

struct StartClaim {
  bool go = false;                        // run the start command now
  std::string reason = {};                // why (or why not), for the report
  orchkit::state::StartRecord next = {};  // go: the record to claim
};

// What a pass does with generation `gen` of `task` given its start record: start it (no record,
// a failed start whose backoff is over, a claim that expired with its pass), or leave it.
StartClaim decide_claim(const std::optional<orchkit::state::StartRecord>& cur, const std::string& task, int64_t gen,
                        const std::string& holder, int64_t now_ms, const std::string& now_text, const StartPolicy& p);

// The record once the claimed attempt ended: `started` on exit 0, else `failed` with the
// earliest retry (backoff_ms of its attempts).
orchkit::state::StartRecord finish_claim(const orchkit::state::StartRecord& claimed, std::optional<int> exit_code,
                                         const std::string& detail, int64_t now_ms, const std::string& now_text,
                                         const StartPolicy& p);

// The wait after the n-th failed attempt: retry_ms · 2^(n-1), at most retry_max_ms.
int64_t backoff_ms(int64_t attempts, const StartPolicy& p);

// The claim against the store: read, decide, compare-and-set; a pass that loses the race reads
// the winner's record and leaves the generation to it.
orchkit::Result<StartClaim> claim_start(orchkit::state::State& st, const std::string& task, int64_t gen,
                                        const std::string& holder, const StartPolicy& p);

}  // namespace plane_status
