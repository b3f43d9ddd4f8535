#include "plane-status/start_once.hpp"

#include "orchkit/util/units.hpp"

namespace plane_status {

using orchkit::Duration;
using orchkit::state::StartRecord;
using orchkit::state::StartStatus;

namespace {

std::string wait_text(int64_t ms) { return orchkit::format_duration(Duration(ms < 0 ? 0 : ms)); }

std::string attempt_text(const StartRecord& r) {
  return "attempt " + std::to_string(r.attempts) + (r.holder.empty() ? "" : " by " + r.holder);
}

}  // namespace

int64_t backoff_ms(int64_t attempts, const StartPolicy& p) {
  int64_t wait = p.retry_ms;
  for (int64_t i = 1; i < attempts && wait < p.retry_max_ms; ++i) wait *= 2;
  return wait < p.retry_max_ms ? wait : p.retry_max_ms;
}

StartClaim decide_claim(const std::optional<StartRecord>& cur, const std::string& task, int64_t gen,
                        const std::string& holder, int64_t now_ms, const std::string& now_text, const StartPolicy& p) {
  const std::string g = "generation " + std::to_string(gen);
  StartClaim c;
  if (cur && cur->is(StartStatus::started))
    return {false, g + " was started (" + attempt_text(*cur) + ", " + cur->updated_at + "): once per generation", {}};
  if (cur && cur->is(StartStatus::running) && now_ms < cur->until_ms)
    return {false,
            g + ": the start command of an earlier pass still runs (" + attempt_text(*cur) + " since " +
                cur->updated_at + ")",
            {}};
  if (cur && cur->is(StartStatus::failed) && now_ms < cur->until_ms)
    return {
        false,
        g + ": " + attempt_text(*cur) + " failed (" + cur->detail + "): retry in " + wait_text(cur->until_ms - now_ms),
        {}};
  c.go = true;
  c.next.task = task;
  c.next.generation = gen;
  c.next.status = std::string(orchkit::state::start_status_name(StartStatus::running));
  c.next.attempts = cur ? cur->attempts + 1 : 1;
  c.next.holder = holder;
  c.next.until_ms = now_ms + p.run_ttl_ms;
  c.next.started_at = cur ? cur->started_at : now_text;
  c.next.updated_at = now_text;
  if (!cur) c.reason = "start " + g;
  else if (cur->is(StartStatus::failed))
    c.reason =
        "retry " + g + " (attempt " + std::to_string(c.next.attempts) + "; the last failed: " + cur->detail + ")";
  else c.reason = "retry " + g + ": the claim of " + cur->holder + " expired (its pass ended without an outcome)";
  return c;
}

StartRecord finish_claim(const StartRecord& claimed, std::optional<int> exit_code, const std::string& detail,
                         int64_t now_ms, const std::string& now_text, const StartPolicy& p) {
  StartRecord r = claimed;
  const bool ok = exit_code && *exit_code == 0;
  r.status = std::string(orchkit::state::start_status_name(ok ? StartStatus::started : StartStatus::failed));
  r.exit_code = exit_code.value_or(-1);
  r.detail = ok ? "" : detail;
  r.until_ms = ok ? 0 : now_ms + backoff_ms(r.attempts, p);
  r.updated_at = now_text;
  return r;
}

orchkit::Result<StartClaim> claim_start(orchkit::state::State& st, const std::string& task, int64_t gen,
                                        const std::string& holder, const StartPolicy& p) {
  for (int round = 0; round < 3; ++round) {
    ORCHKIT_TRY(cur, st.start_record(task, gen));
    StartClaim c = decide_claim(cur, task, gen, holder, orchkit::state::now_ms(), orchkit::state::now_utc(), p);
    if (!c.go) return c;
    ORCHKIT_TRY(won, st.swap_start(cur, c.next));
    if (won) return c;
  }
  // Three passes raced for it and this one lost each time: the others hold it.
  return StartClaim{false, "generation " + std::to_string(gen) + ": another pass claimed the start", {}};
}

}  // namespace plane_status
