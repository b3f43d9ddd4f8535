// A small HTTP client for the services orchkit only *indicates* to (Plane, Telegram, Gitea's API):
// per-attempt timeouts, bounded retries that honour 429/503 Retry-After, and one time budget for
// the whole call. The only file that includes libcurl.
//
// Secrets never leave this layer: every error and note names the URL without its query or
// credentials, with Request::secrets and the values of secret headers (Authorization, X-Api-Key,
// Cookie, ...) replaced by "***", and is passed through log::redact.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "orchkit/result.hpp"
#include "orchkit/util/units.hpp"

namespace orchkit::http {

// One HTTP call as the caller means it; send() may make several attempts of it.
struct Request {
  std::string method = "GET";
  std::string url = {};
  std::vector<std::pair<std::string, std::string>> headers = {};  // name, value
  std::string body = {};                       // sent as application/json unless a Content-Type header says otherwise
  Duration timeout = Duration(10'000);         // per attempt, connect to last byte
  Duration connect_timeout = Duration(5'000);  // per attempt
  // What the call is for, first in every error: "telegram sendMessage", "plane: PATCH work item".
  std::string what = "HTTP request";
  // Values that must never be shown (e.g. a token inside the URL path); replaced by "***".
  std::vector<std::string> secrets = {};
  size_t max_response_bytes = size_t{8} << 20;
  int max_redirects = 5;  // followed only to the same scheme, host and port
};

// What the server answered. Header names are lower-cased; repeated headers are joined by ", ".
struct Response {
  long status = 0;
  std::map<std::string, std::string> headers = {};
  std::string body = {};

  bool ok() const { return status >= 200 && status < 300; }
  // The value of a header by its lower-case name.
  std::optional<std::string> header(std::string_view lower_name) const;
};

// How hard send() tries. Retried: connection failures, resets, empty replies, timeouts, 5xx and
// 429. Never retried: other statuses, which send() returns as a Response.
struct RetryPolicy {
  int max_attempts = 3;
  Duration budget = Duration(30'000);  // the whole call: attempts and the waits between them
  Duration backoff = Duration(500);    // wait before the 2nd attempt, doubled after each retry
  Duration max_backoff = Duration(8'000);
  // A service-specific wait read from a 429/5xx response (Telegram's parameters.retry_after);
  // the longer of this and the Retry-After header wins.
  std::function<std::optional<Duration>(const Response&)> retry_after_from_body = {};
  // Where progress notes go ("retrying in 2s after HTTP 503"); default log::info; an empty
  // function silences them. Notes are redacted like errors.
  std::function<void(std::string_view)> note = default_note();

  static std::function<void(std::string_view)> default_note();
};

// Performs the request. Any final HTTP status is a Response (4xx included: the caller decides);
// an error (Exit::error) when no usable answer came within the attempts and the budget:
// "<what>: <redacted url>: <cause> (<attempts, budget>)". A Retry-After longer than the budget
// left gives up at once rather than sleeping past the budget.
Result<Response> send(const Request& req, const RetryPolicy& policy = {});

// An error for an unwanted status, with a short one-line snippet of the body:
// "<what>: <redacted url>: HTTP 401: {\"message\":\"token is required\"}".
Error status_error(const Request& req, const Response& resp, std::string_view hint = {});

// The URL as it may be shown: no user:password@, no query, no fragment, every secret -> "***".
std::string display_url(std::string_view url, const std::vector<std::string>& secrets = {});

// `text` with the request's secrets and secret header values replaced by "***", then log::redact.
std::string scrub(std::string_view text, const Request& req);

// Percent-encodes one path segment (RFC 3986 unreserved characters stay as they are).
std::string url_escape(std::string_view segment);

// The number of seconds in a Retry-After value ("120" or an HTTP date); nullopt if unreadable.
// `now` is the current Unix time, used for the date form.
std::optional<Duration> parse_retry_after(std::string_view value, long long now);

}  // namespace orchkit::http
