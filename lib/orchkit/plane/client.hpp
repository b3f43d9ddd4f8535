// A Plane API v1 client over orchkit::http: the `X-Api-Key` header (PLANE_API_KEY, never shown),
// states, work items (`work-items/`, falling back to `issues/` on servers older than v1.1.0) and
// paginated listings. It keeps to the rate limit (60 requests a minute per key by default): it
// paces itself, pauses when X-RateLimit-Remaining reaches 0 until X-RateLimit-Reset, and lets
// http::send honour 429 + Retry-After. Every attempt has a timeout, retries are bounded, and all
// calls of one client share one time budget.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "orchkit/http.hpp"
#include "orchkit/plane/model.hpp"
#include "orchkit/result.hpp"
#include "orchkit/util/units.hpp"

namespace orchkit::plane {

struct ClientOptions {
  std::string base_url = {};   // https://plane.example.org (no /api/v1)
  std::string workspace = {};  // the workspace slug
  std::string api_key = {};
  Duration timeout = Duration(10'000);              // per attempt
  Duration budget = Duration(30'000);               // all calls of this client together, waits included
  int max_attempts = 3;                             // per call
  int requests_per_minute = 60;                     // client-side pacing; 0 = off
  std::function<void(Duration)> sleep = {};         // default: sleep this thread
  std::function<void(std::string_view)> note = {};  // progress lines; default: log::info
};

struct ClientStats {
  int requests = 0;  // attempts sent, retries included
  int pauses = 0;    // waits for the rate limit
  Duration paused = Duration(0);
  bool legacy_paths = false;  // the server only knows .../issues/
};

class Client {
 public:
  explicit Client(ClientOptions options);

  Result<std::vector<State>> list_states(const std::string& project_id);
  // 404 (on both paths) is an Exit::error naming the item.
  Result<WorkItem> get_work_item(const std::string& project_id, const std::string& item_id);
  // PATCH {"state": "<uuid>"}.
  Result<WorkItem> set_state(const std::string& project_id, const std::string& item_id, const std::string& state_id);
  // Every work item of the project, one page (per_page 1..100) at a time; returns the page count.
  Result<int> list_work_items(const std::string& project_id, int per_page,
                              const std::function<Result<void>(const Page&)>& on_page);

  const ClientStats& stats() const { return stats_; }

 private:
  using Clock = std::chrono::steady_clock;
  struct Call {
    std::string method = "GET";
    std::string path = {};   // after /projects/<id>/, e.g. "states/"
    std::string query = {};  // without '?'
    std::string body = {};
    std::string what = {};  // "plane: GET states"
  };
  struct Answer {
    http::Response resp = {};
    std::string url = {};
  };
  Result<Answer> send(const std::string& project_id, const Call& call);
  // A work-item call: `items/` is replaced by work-items/ or, on older servers, issues/.
  Result<Answer> send_items(const std::string& project_id, Call call);
  Result<void> wait_for_turn(const std::string& what);
  Error failure(const Call& call, const Answer& a, std::string_view hint = {}) const;
  Duration left() const { return options_.budget - spent_; }

  ClientOptions options_;
  ClientStats stats_ = {};
  Duration spent_ = Duration(0);
  std::deque<Clock::time_point> sent_ = {};             // recent sends, for client-side pacing
  std::optional<Clock::time_point> paused_until_ = {};  // X-RateLimit-Remaining hit 0
  enum class Paths { unknown, modern, legacy } paths_ = Paths::unknown;
};

}  // namespace orchkit::plane
