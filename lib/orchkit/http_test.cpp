#include "orchkit/http.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "../../tests/fakes/fake_server.hpp"
#include "orchkit/json.hpp"

using namespace orchkit;
using orchkit::testing::FakeHttp;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Quick retries and no notes on stderr, unless a test says otherwise.
http::RetryPolicy quick(Duration budget = Duration(5'000)) {
  http::RetryPolicy p;
  p.budget = budget;
  p.backoff = Duration(50);
  p.note = {};
  return p;
}

http::Request get(const std::string& url) {
  http::Request r;
  r.url = url;
  r.what = "test call";
  r.timeout = Duration(3'000);
  return r;
}

// A 127.0.0.1 port with nobody listening: a fake started and stopped again.
int closed_port() {
  FakeHttp fake;
  return fake.port();
}

}  // namespace

TEST_CASE("http: display_url drops credentials, query and fragment and hides secrets", "[http]") {
  CHECK(http::display_url("https://user:pw@plane.example.org:8443/api/v1/x/?api_key=k#frag") ==
        "https://plane.example.org:8443/api/v1/x/");
  CHECK(http::display_url("http://h/bot123:ABCdef/sendMessage", {"123:ABCdef"}) == "http://h/bot***/sendMessage");
  CHECK(http::display_url("http://h") == "http://h");
  CHECK(http::display_url("/relative?q=1") == "/relative");
}

TEST_CASE("http: scrub hides secret header values and listed secrets", "[http]") {
  http::Request r;
  r.headers = {{"Authorization", "token gitea-s3cret"}, {"X-Api-Key", "plane-k3y"}, {"Accept", "text/plain"}};
  r.secrets = {"tg-t0ken"};
  const std::string s = http::scrub("a gitea-s3cret b plane-k3y c tg-t0ken d token gitea-s3cret text/plain", r);
  CHECK(s == "a *** b *** c *** d *** text/plain");
}

TEST_CASE("http: url_escape keeps unreserved characters only", "[http]") {
  CHECK(http::url_escape("my-repo_1.0~x") == "my-repo_1.0~x");
  CHECK(http::url_escape("a b/c?d") == "a%20b%2Fc%3Fd");
  CHECK(http::url_escape("\xC3\xA9") == "%C3%A9");
}

TEST_CASE("http: parse_retry_after reads seconds and HTTP dates", "[http]") {
  CHECK(http::parse_retry_after("120", 0) == Duration(120'000));
  CHECK(http::parse_retry_after(" 0 ", 0) == Duration(0));
  // Wed, 21 Oct 2015 07:28:00 GMT is 1445412480.
  CHECK(http::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 - 30) == Duration(30'000));
  CHECK(http::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 + 30) == Duration(0));
  CHECK_FALSE(http::parse_retry_after("soon", 0).has_value());
  CHECK_FALSE(http::parse_retry_after("", 0).has_value());
  CHECK(http::parse_retry_after("99999999999999999999", 0) > Duration(86'400'000));
}

TEST_CASE("json: Plane states, pagination and Telegram errors read by path", "[http][json]") {
  auto states = parse_json(R"({"results":[{"id":"u1","name":"Todo","group":"unstarted"},)"
                           R"({"id":"u2","name":"Done","group":"completed","sequence":65535.5}],)"
                           R"("next_cursor":"100:1:0","next_page_results":true,"total_count":2})",
                           "states");
  REQUIRE(states);
  REQUIRE(states->at("results").items().size() == 2);
  CHECK(states->get_string("results.1.name") == "Done");
  CHECK(states->get_string("next_cursor") == "100:1:0");
  CHECK(states->get_bool("next_page_results") == true);
  CHECK(states->get_int("total_count") == 2);
  CHECK_FALSE(states->get_int("results.1.sequence").has_value());  // not an integer
  CHECK(states->get_number("results.1.sequence") == Approx(65535.5));
  std::vector<std::string> groups;
  for (const Json& s : states->at("results").items()) groups.push_back(s.get_string("group").value_or("?"));
  CHECK(groups == std::vector<std::string>{"unstarted", "completed"});
  CHECK(states->at("results.0").keys() == std::vector<std::string>{"id", "name", "group"});

  auto tg = parse_json(R"({"ok":false,"error_code":429,"parameters":{"retry_after":7}})", "telegram");
  REQUIRE(tg);
  CHECK(tg->get_int("parameters.retry_after") == 7);
  CHECK(tg->get_bool("ok") == false);
  CHECK_FALSE(tg->has("parameters.missing"));
  CHECK(tg->at("no.such.path").is_null());
  CHECK_FALSE(tg->get_string("error_code").has_value());  // wrong type is absent, not converted
  CHECK(tg->at("results").items().empty());

  auto bad = parse_json(R"({"results": [)", "plane states");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.rfind("plane states: invalid JSON: ", 0) == 0);
}

TEST_CASE("http: a 200 answer is returned with lower-cased headers and the body", "[http]") {
  FakeHttp fake;
  http::Request r = get(fake.url() + "/echo");
  r.method = "POST";
  r.body = R"({"hello":"world"})";
  auto resp = http::send(r, quick());
  REQUIRE(resp);
  CHECK(resp->status == 200);
  CHECK(resp->ok());
  CHECK(resp->header("content-type") == "application/json; charset=utf-8");
  auto doc = parse_json(resp->body, "echo");
  REQUIRE(doc);
  CHECK(doc->get_string("method") == "POST");
  CHECK(doc->get_string("body") == R"({"hello":"world"})");
  auto logged = parse_json(fake.requests().at(0), "log");
  REQUIRE(logged);
  CHECK(logged->at("headers").get_string("Content-Type") == "application/json");  // defaulted for a body
}

TEST_CASE("http: a 4xx answer is the caller's to judge and is not retried", "[http]") {
  FakeHttp fake;
  auto resp = http::send(get(fake.url() + "/no/such/route"), quick());
  REQUIRE(resp);
  CHECK(resp->status == 404);
  CHECK(fake.requests().size() == 1);
  const Error e = http::status_error(get(fake.url() + "/no/such/route?secret=1"), *resp, "check the URL");
  CHECK(e.exit == Exit::error);
  CHECK(e.message.find("test call: " + fake.url() + "/no/such/route: HTTP 404: ") == 0);
  CHECK(e.message.find("(check the URL)") != std::string::npos);
  CHECK(e.message.find("secret=1") == std::string::npos);
}

TEST_CASE("http: 500 is retried up to max_attempts, then an error", "[http]") {
  FakeHttp fake({"--mode", "500"});
  std::vector<std::string> notes;
  auto policy = quick();
  policy.note = [&](std::string_view n) { notes.emplace_back(n); };
  auto resp = http::send(get(fake.url() + "/echo"), policy);
  REQUIRE_FALSE(resp);
  CHECK(resp.error().exit == Exit::error);
  CHECK(resp.error().message.find("HTTP 500") != std::string::npos);
  CHECK(resp.error().message.find("gave up after 3 attempts") != std::string::npos);
  CHECK(fake.requests().size() == 3);
  CHECK(notes.size() == 2);
}

TEST_CASE("http: 429 with Retry-After 1 waits and then succeeds", "[http]") {
  FakeHttp fake;
  fake.set_mode("429-once:1");
  const auto t0 = Clock::now();
  auto resp = http::send(get(fake.url() + "/echo"), quick());
  REQUIRE(resp);
  CHECK(resp->status == 200);
  CHECK(seconds_since(t0) >= 0.9);
  CHECK(fake.requests().size() == 2);
}

TEST_CASE("http: a Retry-After beyond the budget gives up at once", "[http]") {
  FakeHttp fake({"--mode", "429:30"});
  const auto t0 = Clock::now();
  auto resp = http::send(get(fake.url() + "/echo"), quick(Duration(2'000)));
  REQUIRE_FALSE(resp);
  CHECK(seconds_since(t0) < 1.5);
  CHECK(resp.error().message.find("HTTP 429") != std::string::npos);
  CHECK(resp.error().message.find("retry after 30s") != std::string::npos);
  CHECK(fake.requests().size() == 1);
}

TEST_CASE("http: a slow server times out and the whole call stays within the budget", "[http]") {
  FakeHttp fake({"--mode", "slow:5"});
  http::Request r = get(fake.url() + "/echo");
  r.timeout = Duration(400);
  const auto t0 = Clock::now();
  auto resp = http::send(r, quick(Duration(1'500)));
  const double took = seconds_since(t0);
  REQUIRE_FALSE(resp);
  CHECK(took < 2.0);
  CHECK(took >= 0.35);
  CHECK(resp.error().message.find("timed out") != std::string::npos);
}

TEST_CASE("http: a connection reset is retried, then an error, never a crash", "[http]") {
  FakeHttp fake({"--mode", "reset"});
  auto resp = http::send(get(fake.url() + "/echo"), quick());
  REQUIRE_FALSE(resp);
  CHECK(resp.error().message.find("test call: " + fake.url() + "/echo: ") == 0);
  CHECK(fake.requests().size() == 3);

  fake.set_mode("reset-once");  // a reset then an answer: the retry recovers
  auto again = http::send(get(fake.url() + "/echo"), quick());
  REQUIRE(again);
  CHECK(again->status == 200);
}

TEST_CASE("http: nobody listening is an error naming the URL", "[http]") {
  const std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/x";
  auto resp = http::send(get(url), quick());
  REQUIRE_FALSE(resp);
  CHECK(resp.error().message.find("test call: " + url + ": ") == 0);
  CHECK(resp.error().message.find("gave up after 3 attempts") != std::string::npos);
}

TEST_CASE("http: redirects are followed on the same host only", "[http]") {
  FakeHttp fake;
  http::Request r = get(fake.url() + "/redirect?to=/echo&code=307");
  r.method = "POST";
  r.body = "{}";
  auto same = http::send(r, quick());
  REQUIRE(same);
  CHECK(same->status == 200);
  CHECK(parse_json(same->body, "echo")->get_string("method") == "POST");  // 307 keeps the method
  CHECK(fake.requests().size() == 2);

  http::Request other = get(fake.url() + "/redirect?to=http://localhost:" + std::to_string(fake.port()) + "/echo");
  other.headers = {{"X-Api-Key", "k3y-that-must-stay"}};
  auto refused = http::send(other, quick());
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("redirect to another host") != std::string::npos);
  CHECK(fake.requests().size() == 3);  // the other host never saw the key
}

TEST_CASE("http: secrets never appear in errors or retry notes", "[http]") {
  FakeHttp fake({"--mode", "500"});
  http::Request r = get(fake.url() + "/botS3CRET-T0KEN/sendMessage?key=S3CRET-Q");
  r.method = "POST";
  r.body = "{}";
  r.headers = {{"Authorization", "token S3CRET-AUTH"}, {"X-Api-Key", "S3CRET-KEY"}};
  r.secrets = {"S3CRET-T0KEN"};
  std::string all;
  auto policy = quick();
  policy.note = [&](std::string_view n) { all += std::string(n) + "\n"; };
  auto resp = http::send(r, policy);
  REQUIRE_FALSE(resp);
  all += resp.error().message;
  CHECK(all.find("bot***/sendMessage") != std::string::npos);
  CHECK(all.find("S3CRET") == std::string::npos);
}
