// What the Plane API v1 answers, read into plain structs: states, work items, list pages and
// their cursors, rate-limit headers and error bodies. Pure: JSON in, values out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orchkit/json.hpp"
#include "orchkit/plane/status.hpp"
#include "orchkit/result.hpp"
#include "orchkit/util/units.hpp"

namespace orchkit::plane {

// A work item (an "issue" on servers older than v1.1.0), as far as orchkit needs it.
struct WorkItem {
  std::string id = {};
  int64_t sequence_id = 0;  // with the project identifier, the task key: ORCH-<sequence_id>
  std::string name = {};
  std::string state = {};    // the state UUID
  std::string project = {};  // the project UUID ("" when the server gave none)
};

// Plane's list cursor, "<per_page>:<page>:<is_prev>" (e.g. "100:1:0" is the second page of 100).
struct Cursor {
  int64_t per_page = 100;
  int64_t page = 0;
  bool is_prev = false;
};
std::optional<Cursor> parse_cursor(std::string_view text);
std::string format_cursor(const Cursor& c);

// One page of a list: its results and where the next one is.
struct Page {
  std::vector<WorkItem> items = {};
  std::optional<std::string> next_cursor = {};  // set only when there is a next page
  std::optional<int64_t> total = {};            // total_results / total_count when given
};

// A list of states: a bare array (older servers) or a paginated {"results": [...]}.
Result<std::vector<State>> parse_states(const Json& doc, std::string_view what);
Result<WorkItem> parse_work_item(const Json& doc, std::string_view what);
// A page of work items. The next page exists when next_page_results is true; its cursor must
// move forward from `current` (a server that answers the same page again is an error, not a loop).
Result<Page> parse_page(const Json& doc, const Cursor& current, std::string_view what);

// How long to wait before the next call after a response that said X-RateLimit-Remaining:
// `remaining` and X-RateLimit-Reset: `reset` (Unix seconds, or seconds from now when small).
// Nothing to wait while requests remain; `now_ms` is the wall clock in ms since the epoch.
std::optional<Duration> rate_limit_pause(std::optional<std::string_view> remaining,
                                         std::optional<std::string_view> reset, int64_t now_ms);

// The message of a Plane error body as text: {"detail": ...}, {"error": ...}, {"message": ...};
// Django REST framework's validation errors as "non_field_errors: a; state: b, c" (lists of
// strings per field, nested objects flattened); else the body itself cut to one short line.
std::string error_detail(std::string_view body);

// What a 401/403 means, from Plane's `detail`: the key (missing, invalid, expired) or the
// project (the key's user is not a member of it).
enum class Refusal { key, membership, unknown };
Refusal refusal_of(std::string_view detail);

}  // namespace orchkit::plane
