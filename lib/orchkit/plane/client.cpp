#include "orchkit/plane/client.hpp"

#include <cstdio>
#include <thread>

#include "orchkit/json.hpp"
#include "orchkit/json_writer.hpp"
#include "orchkit/util/log.hpp"

namespace orchkit::plane {
namespace {

using std::chrono::duration_cast;

constexpr auto kWindow = std::chrono::seconds(60);
constexpr int kMaxPages = 10'000;  // 1,000,000 items at 100 a page: past that, something loops

int64_t wall_now_ms() {
  return duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string secs(Duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(std::max<Duration::rep>(d.count(), 0)) / 1000.0);
  return buf;
}

}  // namespace

Client::Client(ClientOptions options) : options_(std::move(options)) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
  if (!options_.sleep) options_.sleep = [](Duration d) { std::this_thread::sleep_for(d); };
  if (!options_.note) options_.note = [](std::string_view text) { log::info(text); };
}

Result<void> Client::wait_for_turn(const std::string& what) {
  const auto now = Clock::now();
  Duration wait(0);
  std::string why;
  if (paused_until_ && *paused_until_ > now) {
    wait = duration_cast<Duration>(*paused_until_ - now);
    why = "the server says no requests remain (X-RateLimit-Remaining: 0)";
  }
  if (options_.requests_per_minute > 0) {
    while (!sent_.empty() && now - sent_.front() >= kWindow) sent_.pop_front();
    if (static_cast<int>(sent_.size()) >= options_.requests_per_minute) {
      const auto mine = duration_cast<Duration>(sent_.front() + kWindow - now);
      if (mine > wait) {
        wait = mine;
        why = std::to_string(options_.requests_per_minute) + " requests in the last minute";
      }
    }
  }
  paused_until_.reset();
  if (wait <= Duration(0)) return {};
  if (wait >= left()) {
    return fail(Exit::error, what + ": rate limit: " + why + "; the next request may go in " + secs(wait) +
                                 ", beyond the " + secs(left()) + " left of the time budget (run again later)");
  }
  options_.note(what + ": rate limit: " + why + "; pausing " + secs(wait));
  options_.sleep(wait);
  spent_ += wait;
  stats_.pauses += 1;
  stats_.paused += wait;
  // Sends that have left the window by the end of the wait (the clock may be a test's).
  const auto after = now + wait;
  while (!sent_.empty() && after - sent_.front() >= kWindow) sent_.pop_front();
  return {};
}

Result<Client::Answer> Client::send(const std::string& project_id, const Call& call) {
  if (left() <= Duration(0))
    return fail(Exit::error, call.what + ": the " + secs(options_.budget) + " time budget is spent (run again later)");
  ORCHKIT_CHECK(wait_for_turn(call.what));

  http::Request req;
  req.method = call.method;
  req.url = options_.base_url + "/api/v1/workspaces/" + http::url_escape(options_.workspace) + "/projects/" +
            http::url_escape(project_id) + "/" + call.path + (call.query.empty() ? "" : "?" + call.query);
  req.headers = {{"X-Api-Key", options_.api_key}, {"Accept", "application/json"}};
  req.body = call.body;
  req.timeout = std::min(options_.timeout, left());
  req.connect_timeout = std::min(req.connect_timeout, req.timeout);
  req.what = call.what;
  req.secrets = {options_.api_key};

  http::RetryPolicy policy;
  policy.max_attempts = options_.max_attempts;
  policy.budget = left();
  int retries = 0;
  policy.note = [&](std::string_view text) {
    ++retries;
    sent_.push_back(Clock::now());
    options_.note(text);
  };
  const auto start = Clock::now();
  sent_.push_back(start);
  auto resp = http::send(req, policy);
  spent_ += duration_cast<Duration>(Clock::now() - start);
  stats_.requests += 1 + retries;
  if (!resp) return fail(std::move(resp).error());

  auto remaining = resp->header("x-ratelimit-remaining");
  auto reset = resp->header("x-ratelimit-reset");
  if (auto pause = rate_limit_pause(remaining ? std::optional<std::string_view>(*remaining) : std::nullopt,
                                    reset ? std::optional<std::string_view>(*reset) : std::nullopt, wall_now_ms())) {
    paused_until_ = Clock::now() + *pause;
  }
  Answer a{std::move(*resp), req.url};
  if (a.resp.status == 401 || a.resp.status == 403) {
    // Plane answers a bad key and a project the key's user may not see with 403 alike: the
    // detail tells them apart.
    const std::string key_hint =
        "the API key was refused: set PLANE_API_KEY to a valid key of workspace '" + options_.workspace + "'";
    switch (refusal_of(error_detail(a.resp.body))) {
      case Refusal::key: return fail(failure(call, a, key_hint));
      case Refusal::membership:
        return fail(failure(call, a,
                            "the API key's user is not a member of project " + project_id +
                                ": add them to the project in Plane, or check plane.projects.<IDENT>.id"));
      case Refusal::unknown: break;
    }
    return fail(failure(call, a, key_hint + ", and a member of the project"));
  }
  return a;
}

Result<Client::Answer> Client::send_items(const std::string& project_id, Call call) {
  const std::string rest = call.path.substr(std::string_view("items/").size());
  auto on = [&](const char* segment) {
    Call c = call;
    c.path = std::string(segment) + "/" + rest;
    return send(project_id, c);
  };
  if (paths_ == Paths::legacy) return on("issues");
  ORCHKIT_TRY(modern, on("work-items"));
  if (modern.resp.status != 404 || paths_ == Paths::modern) {
    if (modern.resp.ok()) paths_ = Paths::modern;
    return modern;
  }
  // A JSON 404 is Plane's own answer ("this item does not exist"): the route exists. Only a
  // plain 404 page (no such route) means a server older than v1.1.0.
  if (auto doc = parse_json(modern.resp.body, "plane 404"); doc && doc->is_object()) {
    paths_ = Paths::modern;
    return modern;
  }
  ORCHKIT_TRY(legacy, on("issues"));
  if (legacy.resp.status != 404) {
    paths_ = Paths::legacy;
    stats_.legacy_paths = true;
    options_.note(call.what + ": this Plane server has no work-items/ endpoint (older than v1.1.0): using issues/");
  }
  return legacy;
}

Error Client::failure(const Call& call, const Answer& a, std::string_view hint) const {
  std::string msg =
      call.what + ": " + http::display_url(a.url, {options_.api_key}) + ": HTTP " + std::to_string(a.resp.status);
  const std::string detail = error_detail(a.resp.body);
  if (!detail.empty()) msg += ": " + detail;
  if (!hint.empty()) msg += " (" + std::string(hint) + ")";
  http::Request shown;
  shown.secrets = {options_.api_key};
  return Error{Exit::error, http::scrub(msg, shown)};
}

Result<std::vector<State>> Client::list_states(const std::string& project_id) {
  std::vector<State> all;
  Cursor cursor{100, 0, false};
  for (int pages = 0; pages < 100; ++pages) {
    Call call{"GET", "states/", "per_page=100&cursor=" + format_cursor(cursor), "", "plane: GET states"};
    ORCHKIT_TRY(a, send(project_id, call));
    if (a.resp.status == 404) {
      return fail(failure(call, a,
                          "no such project in workspace '" + options_.workspace +
                              "': check plane.projects.<IDENT>.id and plane.workspace"));
    }
    if (!a.resp.ok()) return fail(failure(call, a));
    ORCHKIT_TRY(doc, parse_json(a.resp.body, "plane states"));
    ORCHKIT_TRY(states, parse_states(doc, "plane states"));
    all.insert(all.end(), states.begin(), states.end());
    if (doc.is_array()) break;  // an unpaginated answer
    if (!doc.get_bool("next_page_results").value_or(false)) break;
    auto next = parse_cursor(doc.get_string("next_cursor").value_or(""));
    if (!next || next->page <= cursor.page) break;
    cursor = *next;
  }
  return all;
}

Result<WorkItem> Client::get_work_item(const std::string& project_id, const std::string& item_id) {
  Call call{"GET", "items/" + http::url_escape(item_id) + "/", "", "", "plane: GET work item"};
  ORCHKIT_TRY(a, send_items(project_id, call));
  if (a.resp.status == 404) {
    return fail(failure(call, a, "no work item " + item_id + " in this project: check --issue and the project"));
  }
  if (!a.resp.ok()) return fail(failure(call, a));
  ORCHKIT_TRY(doc, parse_json(a.resp.body, "plane work item"));
  return parse_work_item(doc, "plane work item");
}

Result<WorkItem> Client::set_state(const std::string& project_id, const std::string& item_id,
                                   const std::string& state_id) {
  Call call{"PATCH", "items/" + http::url_escape(item_id) + "/", "",
            JsonWriter().object().field("state", state_id).end().text(), "plane: PATCH work item"};
  ORCHKIT_TRY(a, send_items(project_id, call));
  if (a.resp.status == 404) {
    return fail(failure(call, a, "no work item " + item_id + " in this project: check --issue and the project"));
  }
  if (!a.resp.ok()) return fail(failure(call, a));
  ORCHKIT_TRY(doc, parse_json(a.resp.body, "plane work item"));
  auto item = parse_work_item(doc, "plane work item");
  if (!item) {  // the PATCH went through; an odd echo does not undo it
    WorkItem w;
    w.id = item_id;
    w.state = state_id;
    return w;
  }
  return item;
}

Result<int> Client::list_work_items(const std::string& project_id, int per_page,
                                    const std::function<Result<void>(const Page&)>& on_page) {
  per_page = std::clamp(per_page, 1, 100);
  Cursor cursor{per_page, 0, false};
  std::string cursor_text = format_cursor(cursor);
  for (int pages = 1; pages <= kMaxPages; ++pages) {
    Call call{
        "GET", "items/",
        "per_page=" + std::to_string(per_page) + "&cursor=" + cursor_text + "&fields=id,name,sequence_id,state,project",
        "", "plane: GET work items"};
    ORCHKIT_TRY(a, send_items(project_id, call));
    if (a.resp.status == 404) {
      return fail(failure(call, a,
                          "no such project in workspace '" + options_.workspace +
                              "': check plane.projects.<IDENT>.id and plane.workspace"));
    }
    if (!a.resp.ok()) return fail(failure(call, a));
    ORCHKIT_TRY(doc, parse_json(a.resp.body, "plane work items"));
    ORCHKIT_TRY(page, parse_page(doc, cursor, "plane work items (cursor " + cursor_text + ")"));
    ORCHKIT_CHECK(on_page(page));
    if (!page.next_cursor) return pages;
    cursor_text = *page.next_cursor;
    cursor = *parse_cursor(cursor_text);
  }
  return fail(Exit::error, "plane: GET work items: more than " + std::to_string(kMaxPages) +
                               " pages (stopped: the server's cursor does not end)");
}

}  // namespace orchkit::plane
