// What every store shares: how a baseline prints, the actor and holder names, the clock for
// records (never for verdicts), and the window rule on top of the leases.
#include "orchkit/state/state.hpp"

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>

#include "orchkit/json_writer.hpp"
#include "orchkit/state/lease_names.hpp"
#include "orchkit/util/units.hpp"

namespace orchkit::state {

std::string baseline_json(const std::optional<Baseline>& b) {
  if (!b) return "null";
  return JsonWriter()
      .object()
      .field("line_covered", b->covered)
      .field("line_total", b->total)
      .field("line_pct", format_ratio_pct(b->covered, b->total))
      .end()
      .text();
}

std::string now_utc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string current_actor() {
  if (const char* a = std::getenv("GITHUB_ACTOR"); a && *a) return a;
  if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_name) return pw->pw_name;
  return "uid:" + std::to_string(getuid());
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string holder_id() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(::getpid());
}

Result<std::optional<Lease>> State::window_for_task(const std::string& task) {
  ORCHKIT_TRY(all, s_->leases());
  const int64_t now = now_ms();
  for (auto& l : all)
    if (l.task == task && l.expires_at_ms >= now && lease_names::is_window(l.name))
      return std::optional<Lease>{std::move(l)};
  return std::optional<Lease>{};
}

}  // namespace orchkit::state
