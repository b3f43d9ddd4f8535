#include "orchkit/http.hpp"

// libcurl is loaded on first use (dlopen), not at start-up: its dependency tree is ~20 shared
// libraries, and most runs of most binaries never speak HTTP (a `--version` or a git hook pays
// for every library mapped at start). The names below shadow libcurl's inside this namespace.
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <thread>

#include "orchkit/util/handle.hpp"
#include "orchkit/util/log.hpp"
#include "orchkit/util/text.hpp"
#include "orchkit/version.hpp"

namespace orchkit::http {
namespace {

struct CurlApi {
  bool ok = false;
  CURLcode (*global_init)(long) = nullptr;
  CURL* (*easy_init)() = nullptr;
  void (*easy_cleanup)(CURL*) = nullptr;
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...) = nullptr;
  CURLcode (*easy_perform)(CURL*) = nullptr;
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...) = nullptr;
  const char* (*easy_strerror)(CURLcode) = nullptr;
  curl_slist* (*slist_append)(curl_slist*, const char*) = nullptr;
  void (*slist_free_all)(curl_slist*) = nullptr;
  CURLU* (*url)() = nullptr;
  void (*url_cleanup)(CURLU*) = nullptr;
  CURLUcode (*url_set)(CURLU*, CURLUPart, const char*, unsigned int) = nullptr;
  CURLUcode (*url_get)(const CURLU*, CURLUPart, char**, unsigned int) = nullptr;
  void (*free)(void*) = nullptr;
  time_t (*getdate)(const char*, const time_t*) = nullptr;
};

const CurlApi& api() {
  static const CurlApi a = [] {
    CurlApi c;
    void* lib = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return c;
    auto load = [&](auto& fn, const char* name) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(::dlsym(lib, name));
      return fn != nullptr;
    };
    c.ok = load(c.global_init, "curl_global_init") && load(c.easy_init, "curl_easy_init") &&
           load(c.easy_cleanup, "curl_easy_cleanup") && load(c.easy_setopt, "curl_easy_setopt") &&
           load(c.easy_perform, "curl_easy_perform") && load(c.easy_getinfo, "curl_easy_getinfo") &&
           load(c.easy_strerror, "curl_easy_strerror") && load(c.slist_append, "curl_slist_append") &&
           load(c.slist_free_all, "curl_slist_free_all") && load(c.url, "curl_url") &&
           load(c.url_cleanup, "curl_url_cleanup") && load(c.url_set, "curl_url_set") &&
           load(c.url_get, "curl_url_get") && load(c.free, "curl_free") && load(c.getdate, "curl_getdate");
    return c;
  }();
  return a;
}

namespace lazy {
CURLcode global_init(long flags) { return api().ok ? api().global_init(flags) : CURLE_FAILED_INIT; }
CURL* easy_init() { return api().easy_init(); }
void easy_cleanup(CURL* h) { api().easy_cleanup(h); }
template <class T>
CURLcode easy_setopt(CURL* h, CURLoption o, T v) {
  return api().easy_setopt(h, o, v);
}
CURLcode easy_perform(CURL* h) { return api().easy_perform(h); }
template <class T>
CURLcode easy_getinfo(CURL* h, CURLINFO i, T v) {
  return api().easy_getinfo(h, i, v);
}
const char* easy_strerror(CURLcode c) { return api().easy_strerror(c); }
curl_slist* slist_append(curl_slist* l, const char* s) { return api().slist_append(l, s); }
void slist_free_all(curl_slist* l) { api().slist_free_all(l); }
CURLU* url() { return api().url(); }
void url_cleanup(CURLU* u) { api().url_cleanup(u); }
CURLUcode url_set(CURLU* u, CURLUPart p, const char* v, unsigned int f) { return api().url_set(u, p, v, f); }
CURLUcode url_get(const CURLU* u, CURLUPart p, char** v, unsigned int f) { return api().url_get(u, p, v, f); }
void free(void* p) { api().free(p); }
time_t getdate(const char* s, const time_t* now) { return api().getdate(s, now); }
}  // namespace lazy
#define curl_global_init lazy::global_init
#define curl_easy_init lazy::easy_init
#define curl_easy_cleanup lazy::easy_cleanup
#undef curl_easy_setopt
#define curl_easy_setopt lazy::easy_setopt
#define curl_easy_perform lazy::easy_perform
#undef curl_easy_getinfo
#define curl_easy_getinfo lazy::easy_getinfo
#define curl_easy_strerror lazy::easy_strerror
#define curl_slist_append lazy::slist_append
#define curl_slist_free_all lazy::slist_free_all
#define curl_url_cleanup lazy::url_cleanup
#define curl_url_set lazy::url_set
#define curl_url_get lazy::url_get
#define curl_free lazy::free
#define curl_getdate lazy::getdate
#define curl_url lazy::url

using Clock = std::chrono::steady_clock;
using Easy = Handle<CURL, curl_easy_cleanup>;
using Slist = Handle<curl_slist, curl_slist_free_all>;
using Url = Handle<CURLU, curl_url_cleanup>;

// libcurl wants this once per process before any other call; a function-local static makes the
// first caller do it, thread-safely.
CURLcode global_init() {
  static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  return rc;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_secret_header(std::string_view name) {
  const std::string n = lower(name);
  return n == "authorization" || n == "proxy-authorization" || n == "x-api-key" || n == "cookie" ||
         n == "private-token" || n == "x-auth-token";
}

// "1.5s", "30s", "250ms": how long, for people.
std::string seconds_text(Duration d) {
  const auto ms = d.count();
  if (ms < 1000) return std::to_string(std::max<decltype(ms)>(ms, 0)) + "ms";
  char buf[32];
  if (ms % 1000 == 0) {
    std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(ms / 1000));
  } else {
    std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(ms) / 1000.0);
  }
  return buf;
}

// One line, at most `max` bytes, never cutting a UTF-8 sequence.
std::string snippet(std::string_view body, size_t max = 200) {
  std::string out;
  bool space = false;
  for (char c : body) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  if (out.size() <= max) return out;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  out.resize(cut);
  return out + "...";
}

struct Sink {
  std::string* body = nullptr;
  size_t limit = 0;
  bool too_large = false;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t len = size * n;
  if (sink->body->size() + len > sink->limit) {
    sink->too_large = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  sink->body->append(data, len);
  return len;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  const size_t len = size * n;
  std::string_view line(data, len);
  if (line.rfind("HTTP/", 0) == 0) {
    headers->clear();  // a new response (after 100 Continue): only the last one counts
    return len;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return len;
  std::string name = lower(trim(line.substr(0, colon)));
  std::string value(trim(line.substr(colon + 1)));
  auto [it, inserted] = headers->emplace(name, value);
  if (!inserted) it->second += ", " + value;
  return len;
}

struct Attempt {
  CURLcode code = CURLE_OK;
  std::string curl_error = {};
  bool too_large = false;
  Response resp = {};
  std::string redirect_url = {};
};

Attempt perform(const Request& req, const std::string& url, const std::string& method, bool with_body,
                Duration timeout) {
  Attempt a;
  Easy easy(curl_easy_init());
  if (!easy) {
    a.code = CURLE_FAILED_INIT;
    return a;
  }
  CURL* h = easy.get();
  char errbuf[CURL_ERROR_SIZE] = {};
  Sink sink{&a.resp.body, req.max_response_bytes, false};

  // JSON is what every service here speaks; "Expect:" stops curl's 100-continue round trip.
  std::vector<std::string> lines;
  bool has_content_type = false;
  for (const auto& [name, value] : req.headers) {
    if (lower(name) == "content-type") has_content_type = true;
    lines.push_back(name + ": " + value);
  }
  lines.emplace_back("Expect:");
  if (with_body && !has_content_type) lines.emplace_back("Content-Type: application/json");
  Slist list;
  for (const std::string& line : lines) {
    curl_slist* head = curl_slist_append(list.get(), line.c_str());
    if (!head) {
      a.code = CURLE_OUT_OF_MEMORY;
      return a;
    }
    if (!list) list.reset(head);  // later appends return the same head
  }

  const Duration connect = std::min(req.connect_timeout, timeout);
  const std::string agent = std::string("orchkit/") + orchkit::version;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // send() follows same-origin redirects itself
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<Duration::rep>(timeout.count(), 1)));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::max<Duration::rep>(connect.count(), 1)));
  curl_easy_setopt(h, CURLOPT_USERAGENT, agent.c_str());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, static_cast<void*>(&sink));
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, static_cast<void*>(&a.resp.headers));
  if (method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else if (method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else {
    if (method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (with_body || method == "POST") {
      // libcurl keeps the pointer, not a copy: req.body outlives the transfer.
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(with_body ? req.body.size() : 0));
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, with_body ? req.body.c_str() : "");
    }
  }

  a.code = curl_easy_perform(h);
  a.too_large = sink.too_large;
  a.curl_error = errbuf[0] ? std::string(errbuf) : std::string(curl_easy_strerror(a.code));
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  a.resp.status = status;
  char* redirect = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &redirect) == CURLE_OK && redirect) a.redirect_url = redirect;
  return a;
}

// scheme://host:port, lower-cased, with the default port filled in; empty if unparseable.
std::string origin(const std::string& url) {
  Url u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return {};
  std::string out;
  for (CURLUPart part : {CURLUPART_SCHEME, CURLUPART_HOST, CURLUPART_PORT}) {
    char* v = nullptr;
    if (curl_url_get(u.get(), part, &v, CURLU_DEFAULT_PORT) != CURLUE_OK || !v) return {};
    out += lower(v);
    out += '|';
    curl_free(v);
  }
  return out;
}

bool retryable(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: return true;
    default: return false;
  }
}

}  // namespace

std::optional<std::string> Response::header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::function<void(std::string_view)> RetryPolicy::default_note() {
  return [](std::string_view text) { log::info(text); };
}

std::string display_url(std::string_view url, const std::vector<std::string>& secrets) {
  std::string out;
  std::string_view rest = url;
  if (size_t p = rest.find("://"); p != std::string_view::npos) {
    out = std::string(rest.substr(0, p + 3));
    rest.remove_prefix(p + 3);
    size_t end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, end);
    if (size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    out += authority;
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
  }
  out += rest.substr(0, rest.find_first_of("?#"));
  std::vector<std::string> sorted = secrets;
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (const std::string& s : sorted) {
    if (s.empty()) continue;
    for (size_t pos = out.find(s); pos != std::string::npos; pos = out.find(s, pos + 3))
      out.replace(pos, s.size(), "***");
  }
  return out;
}

std::string scrub(std::string_view text, const Request& req) {
  std::vector<std::string> secrets = req.secrets;
  for (const auto& [name, value] : req.headers) {
    if (!is_secret_header(name)) continue;
    std::string_view v = trim(value);
    secrets.emplace_back(v);
    // "token abc", "Bearer abc": the credential alone must go too.
    if (size_t sp = v.find(' '); sp != std::string_view::npos) secrets.emplace_back(trim(v.substr(sp + 1)));
  }
  std::sort(secrets.begin(), secrets.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  std::string out(text);
  for (const std::string& s : secrets) {
    if (s.empty()) continue;
    for (size_t pos = out.find(s); pos != std::string::npos; pos = out.find(s, pos + 3))
      out.replace(pos, s.size(), "***");
  }
  return log::redact(out);
}

std::string url_escape(std::string_view segment) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : segment) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  return out;
}

std::optional<Duration> parse_retry_after(std::string_view value, long long now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 9) return Duration(999'999'999LL * 1000);  // "forever", without overflow
    return Duration(std::stoll(std::string(value)) * 1000);
  }
  const std::string text(value);
  const time_t when = curl_getdate(text.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  return Duration(std::max<long long>(static_cast<long long>(when) - now, 0) * 1000);
}

Error status_error(const Request& req, const Response& resp, std::string_view hint) {
  std::string msg = req.what + ": " + display_url(req.url, req.secrets) + ": HTTP " + std::to_string(resp.status);
  if (!resp.body.empty()) msg += ": " + snippet(resp.body);
  if (!hint.empty()) msg += " (" + std::string(hint) + ")";
  return Error{Exit::error, scrub(msg, req)};
}

Result<Response> send(const Request& req, const RetryPolicy& policy) {
  const auto start = Clock::now();
  const auto elapsed = [&] { return std::chrono::duration_cast<Duration>(Clock::now() - start); };
  std::string url = req.url;
  std::string method = req.method;
  bool with_body = !req.body.empty();
  const auto error = [&](const std::string& cause, const std::string& detail) {
    std::string msg = req.what + ": " + display_url(url, req.secrets) + ": " + cause;
    if (!detail.empty()) msg += " (" + detail + ")";
    return fail(Exit::error, scrub(msg, req));
  };
  if (global_init() != CURLE_OK) return error("could not initialise libcurl", "");

  const int max_attempts = std::max(policy.max_attempts, 1);
  int redirects = 0;
  Duration backoff = policy.backoff;
  for (int attempt = 1;;) {
    const Duration left = policy.budget - elapsed();
    if (left <= Duration(0)) {
      return error("no attempt made", "the " + seconds_text(policy.budget) + " time budget is spent");
    }
    Attempt a = perform(req, url, method, with_body, std::min(req.timeout, left));

    std::string cause;
    std::optional<Duration> asked;  // the server's own Retry-After
    if (a.code != CURLE_OK) {
      if (a.too_large) {
        return error("response larger than " + std::to_string(req.max_response_bytes) + " bytes", "");
      }
      cause = a.curl_error;
      if (!retryable(a.code)) return error(cause, "");
    } else {
      const long s = a.resp.status;
      if (s >= 300 && s < 400 && !a.redirect_url.empty()) {
        const bool same = !origin(url).empty() && origin(url) == origin(a.redirect_url);
        const bool keeps_method = s == 307 || s == 308;
        const bool becomes_get = s == 303 || method == "GET" || method == "HEAD";
        if (!same) {
          return error("HTTP " + std::to_string(s) + " redirect to another host (" +
                           display_url(a.redirect_url, req.secrets) + ")",
                       "not followed: credentials stay with the configured host; fix the configured URL");
        }
        if ((keeps_method || becomes_get) && redirects < req.max_redirects) {
          ++redirects;
          url = a.redirect_url;
          if (!keeps_method && method != "HEAD") {
            method = "GET";
            with_body = false;
          }
          continue;
        }
        return std::move(a.resp);  // a redirect we will not replay (a POST answered 301): the caller's call
      }
      if (s != 429 && s < 500) return std::move(a.resp);
      cause = "HTTP " + std::to_string(s);
      if (!a.resp.body.empty()) cause += ": " + snippet(a.resp.body);
      if (auto h = a.resp.header("retry-after")) {
        asked = parse_retry_after(*h, static_cast<long long>(std::time(nullptr)));
      }
      if (policy.retry_after_from_body) {
        if (auto b = policy.retry_after_from_body(a.resp); b && (!asked || *b > *asked)) asked = b;
      }
    }

    if (attempt >= max_attempts) {
      return error(cause, "gave up after " + std::to_string(attempt) + " attempts in " + seconds_text(elapsed()));
    }
    const Duration wait = asked ? *asked : backoff;
    const Duration remaining = policy.budget - elapsed();
    if (wait >= remaining) {
      if (asked) {
        return error(cause, "the server asks to retry after " + seconds_text(*asked) + ", beyond the " +
                                seconds_text(std::max(remaining, Duration(0))) +
                                " left of the time budget; gave up after " + std::to_string(attempt) +
                                (attempt == 1 ? " attempt" : " attempts"));
      }
      return error(cause, "gave up after " + std::to_string(attempt) + (attempt == 1 ? " attempt" : " attempts") +
                              ": the " + seconds_text(policy.budget) + " time budget is spent");
    }
    if (policy.note) {
      policy.note(scrub(req.what + ": " + display_url(url, req.secrets) + ": " + cause + "; retrying in " +
                            seconds_text(wait) + " (attempt " + std::to_string(attempt + 1) + " of " +
                            std::to_string(max_attempts) + ")",
                        req));
    }
    std::this_thread::sleep_for(wait);
    if (!asked) backoff = std::min(backoff * 2, policy.max_backoff);
    ++attempt;
  }
}

}  // namespace orchkit::http
