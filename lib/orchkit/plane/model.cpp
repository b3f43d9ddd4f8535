#include "orchkit/plane/model.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace orchkit::plane {
namespace {

std::optional<int64_t> to_int(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// A UUID field that may also come expanded ({"id": ...}) when the caller asked for expand=.
std::string id_of(const Json& v) {
  if (auto s = v.get_string()) return *s;
  if (auto s = v.get_string("id")) return *s;
  return {};
}

const std::vector<Json>* results_of(const Json& doc) {
  if (doc.is_array()) return &doc.items();
  if (const Json* r = doc.find("results"); r && r->is_array()) return &r->items();
  return nullptr;
}

}  // namespace

std::optional<Cursor> parse_cursor(std::string_view text) {
  const size_t a = text.find(':');
  if (a == std::string_view::npos) return std::nullopt;
  const size_t b = text.find(':', a + 1);
  if (b == std::string_view::npos || text.find(':', b + 1) != std::string_view::npos) return std::nullopt;
  auto per = to_int(text.substr(0, a));
  auto page = to_int(text.substr(a + 1, b - a - 1));
  auto prev = to_int(text.substr(b + 1));
  if (!per || !page || !prev || *per <= 0 || (*prev != 0 && *prev != 1)) return std::nullopt;
  return Cursor{*per, *page, *prev == 1};
}

std::string format_cursor(const Cursor& c) {
  return std::to_string(c.per_page) + ":" + std::to_string(c.page) + ":" + (c.is_prev ? "1" : "0");
}

Result<std::vector<State>> parse_states(const Json& doc, std::string_view what) {
  const auto* list = results_of(doc);
  if (!list) return fail(Exit::error, std::string(what) + ": expected a list of states");
  std::vector<State> out;
  for (const Json& s : *list) {
    State st;
    st.id = s.get_string("id").value_or("");
    st.name = s.get_string("name").value_or("");
    st.group = s.get_string("group").value_or("");
    if (const Json* p = s.find("project")) st.project = id_of(*p);
    if (st.id.empty()) return fail(Exit::error, std::string(what) + ": a state without an id");
    out.push_back(std::move(st));
  }
  return out;
}

Result<WorkItem> parse_work_item(const Json& doc, std::string_view what) {
  if (!doc.is_object()) return fail(Exit::error, std::string(what) + ": expected a work item object");
  WorkItem w;
  w.id = doc.get_string("id").value_or("");
  if (w.id.empty()) return fail(Exit::error, std::string(what) + ": a work item without an id");
  w.sequence_id = doc.get_int("sequence_id").value_or(0);
  w.name = doc.get_string("name").value_or("");
  if (const Json* s = doc.find("state")) w.state = id_of(*s);
  if (w.state.empty()) w.state = doc.get_string("state_id").value_or("");
  if (const Json* p = doc.find("project")) w.project = id_of(*p);
  if (w.project.empty()) w.project = doc.get_string("project_id").value_or("");
  return w;
}

Result<Page> parse_page(const Json& doc, const Cursor& current, std::string_view what) {
  const auto* list = results_of(doc);
  if (!list) return fail(Exit::error, std::string(what) + ": expected {\"results\": [...]}");
  Page page;
  page.items.reserve(list->size());
  for (const Json& item : *list) {
    ORCHKIT_TRY(w, parse_work_item(item, what));
    page.items.push_back(std::move(w));
  }
  if (auto t = doc.get_int("total_results")) page.total = t;
  else if (auto c = doc.get_int("total_count")) page.total = c;
  if (!doc.get_bool("next_page_results").value_or(false)) return page;
  auto next_text = doc.get_string("next_cursor");
  if (!next_text) return fail(Exit::error, std::string(what) + ": next_page_results without a next_cursor");
  auto next = parse_cursor(*next_text);
  if (!next || next->is_prev)
    return fail(Exit::error,
                std::string(what) + ": unreadable next_cursor '" + *next_text + "' (expected per_page:page:0)");
  if (next->page <= current.page)
    return fail(Exit::error, std::string(what) + ": next_cursor '" + *next_text + "' does not move past page " +
                                 std::to_string(current.page) + " (stopped rather than loop)");
  page.next_cursor = *next_text;
  return page;
}

std::optional<Duration> rate_limit_pause(std::optional<std::string_view> remaining,
                                         std::optional<std::string_view> reset, int64_t now_ms) {
  if (!remaining) return std::nullopt;
  auto left = to_int(*remaining);
  if (!left || *left > 0) return std::nullopt;
  // Out of requests. Plane sends the reset as a Unix timestamp; a small number is read as
  // seconds from now. No usable reset: wait out one window (the documented limit is per minute).
  constexpr int64_t kWindowMs = 60'000;
  auto when = reset ? to_int(*reset) : std::nullopt;
  if (!when || *when < 0) return Duration(kWindowMs);
  int64_t wait_ms = *when >= 1'000'000'000 ? *when * 1000 - now_ms : *when * 1000;
  wait_ms = std::clamp<int64_t>(wait_ms, 0, 10 * kWindowMs);
  // The reset has one-second resolution and Plane truncates it: wait a second past it.
  return Duration(wait_ms + 1000);
}

namespace {

// One field's errors: a string, a list of strings, or (nested serializers) an object of those.
std::string field_errors(const Json& v) {
  if (auto s = v.get_string()) return *s;
  std::string out;
  if (v.is_array()) {
    for (const Json& item : v.items()) {
      std::string one = field_errors(item);
      if (!one.empty()) out += (out.empty() ? "" : ", ") + one;
    }
  } else if (v.is_object()) {
    for (const std::string& k : v.keys()) {
      std::string one = field_errors(*v.member(k));
      if (!one.empty()) out += (out.empty() ? "" : "; ") + k + ": " + one;
    }
  }
  return out;
}

}  // namespace

std::string error_detail(std::string_view body) {
  if (auto doc = parse_json(body, "plane error body")) {
    for (const char* k : {"detail", "error", "message"}) {
      if (auto s = doc->get_string(k)) return *s;
    }
    if (doc->is_object() && doc->size() > 0) {
      std::string text = field_errors(*doc);
      if (!text.empty()) return text.size() > 300 ? text.substr(0, 300) + "..." : text;
    }
  }
  std::string out;
  for (char c : body) {
    if (out.size() >= 160) {
      out += "...";
      break;
    }
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  return out;
}

Refusal refusal_of(std::string_view detail) {
  std::string d(detail);
  for (char& c : d) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (d.find("permission") != std::string::npos || d.find("not a member") != std::string::npos)
    return Refusal::membership;
  for (const char* k : {"token", "credentials", "api key", "authentication"})
    if (d.find(k) != std::string::npos) return Refusal::key;
  return Refusal::unknown;
}

}  // namespace orchkit::plane
