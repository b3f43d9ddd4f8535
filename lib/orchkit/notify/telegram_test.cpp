#include "orchkit/notify/telegram.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "../../../tests/fakes/fake_server.hpp"
#include "orchkit/json.hpp"

using namespace orchkit;
using namespace orchkit::notify;
using orchkit::testing::FakeHttp;

namespace {

const std::string kToken = "123456:AAH-s3cret_T0ken";

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

Json last_request(const FakeHttp& fake) {
  auto lines = fake.requests();
  REQUIRE_FALSE(lines.empty());
  auto doc = parse_json(lines.back(), "fake log");
  REQUIRE(doc);
  return *doc;
}

}  // namespace

TEST_CASE("telegram: markdown_v2_escape escapes every special character and the backslash", "[telegram]") {
  CHECK(markdown_v2_escape(R"(_*[]()~`>#+-=|{}.!\)") == R"(\_\*\[\]\(\)\~\`\>\#\+\-\=\|\{\}\.\!\\)");
  CHECK(markdown_v2_escape("coverage 84.17% < 85 on main") == R"(coverage 84\.17% < 85 on main)");
  CHECK(markdown_v2_escape("ORCH-027 é ✓") == "ORCH\\-027 é ✓");
  CHECK(markdown_v2_escape("") == "");
}

TEST_CASE("telegram: truncate_message keeps 4096 code points and whole characters", "[telegram]") {
  CHECK(truncate_message("short") == "short");
  const std::string exact(kTelegramMaxChars, 'a');
  CHECK(truncate_message(exact) == exact);

  const std::string cut = truncate_message(std::string(5000, 'a'));
  CHECK(code_points(cut) == kTelegramMaxChars);
  CHECK(ends_with(cut, "…"));

  std::string wide;
  for (int i = 0; i < 5000; ++i) wide += "é";  // 2 bytes each
  const std::string wcut = truncate_message(wide);
  CHECK(code_points(wcut) == kTelegramMaxChars);
  CHECK(wcut.size() == (kTelegramMaxChars - 1) * 2 + 3);  // no half character before the ellipsis

  std::string emoji;
  for (int i = 0; i < 5000; ++i) emoji += "\xF0\x9F\x9A\x80";  // U+1F680, 4 bytes
  CHECK(code_points(truncate_message(emoji)) == kTelegramMaxChars);
}

TEST_CASE("telegram: truncate_message never leaves a dangling escape", "[telegram]") {
  // "\." pairs: 4095 kept characters end between a backslash and its dot.
  const std::string escaped = markdown_v2_escape(std::string(3000, '.'));
  const std::string cut = truncate_message(escaped);
  REQUIRE(ends_with(cut, "…"));
  const std::string body = cut.substr(0, cut.size() - 3);
  CHECK(body.back() == '.');
  CHECK(code_points(cut) <= kTelegramMaxChars);
  CHECK(truncate_message("ab\\.cd", 4) == "ab…");      // "ab\" would escape the ellipsis
  CHECK(truncate_message("a\\\\bcd", 4) == "a\\\\…");  // an escaped backslash stays whole
}

TEST_CASE("telegram: the send URL joins api_url and the token", "[telegram]") {
  CHECK(telegram_send_url("https://api.telegram.org/", "1:x") == "https://api.telegram.org/bot1:x/sendMessage");
  CHECK(telegram_send_url("http://127.0.0.1:9", "1:x") == "http://127.0.0.1:9/bot1:x/sendMessage");
}

TEST_CASE("telegram: a message is posted as MarkdownV2 JSON", "[telegram]") {
  FakeHttp fake({"--telegram-token", kToken});
  auto sent = send_telegram(fake.url(), kToken, "-1001234", "*FAIL* " + markdown_v2_escape("84.17%"), Duration(5'000));
  REQUIRE(sent);
  const Json req = last_request(fake);
  CHECK(req.get_string("path") == "/bot" + kToken + "/sendMessage");
  CHECK(req.get_string("method") == "POST");
  auto body = parse_json(req.get_string("body").value_or(""), "body");
  REQUIRE(body);
  CHECK(body->get_int("chat_id") == -1001234);
  CHECK(body->get_string("text") == "*FAIL* 84\\.17%");
  CHECK(body->get_string("parse_mode") == "MarkdownV2");

  REQUIRE(send_telegram(fake.url(), kToken, "@orch_channel", std::string(6000, 'x'), Duration(5'000)));
  auto body2 = parse_json(last_request(fake).get_string("body").value_or(""), "body");
  CHECK(body2->get_string("chat_id") == "@orch_channel");
  CHECK(code_points(body2->get_string("text").value_or("")) == kTelegramMaxChars);
}

TEST_CASE("telegram: 429 with retry_after in the body only is waited out", "[telegram]") {
  FakeHttp fake;
  fake.set_mode("429-body-once:1");
  const auto t0 = std::chrono::steady_clock::now();
  REQUIRE(send_telegram(fake.url(), kToken, "42", "hi", Duration(5'000)));
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(900));
  CHECK(fake.requests().size() == 2);
}

TEST_CASE("telegram: 429 beyond the budget gives up without sleeping", "[telegram]") {
  FakeHttp fake({"--mode", "429-body:60"});
  const auto t0 = std::chrono::steady_clock::now();
  auto sent = send_telegram(fake.url(), kToken, "42", "hi", Duration(3'000));
  REQUIRE_FALSE(sent);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(1'500));
  CHECK(sent.error().message.find("retry after 60s") != std::string::npos);
}

TEST_CASE("telegram: the token never appears in an error", "[telegram]") {
  FakeHttp fake({"--telegram-token", "999:other"});
  auto unauthorized = send_telegram(fake.url(), kToken, "42", "hi", Duration(5'000));
  REQUIRE_FALSE(unauthorized);
  const std::string& m = unauthorized.error().message;
  CHECK(m.find("telegram sendMessage: " + fake.url() + "/bot***/sendMessage: HTTP 401: Unauthorized") == 0);
  CHECK(m.find("TELEGRAM_BOT_TOKEN") != std::string::npos);
  CHECK(m.find("s3cret") == std::string::npos);

  fake.set_mode("reset");
  auto reset = send_telegram(fake.url(), kToken, "42", "hi", Duration(5'000));
  REQUIRE_FALSE(reset);
  CHECK(reset.error().message.find("s3cret") == std::string::npos);
  CHECK(reset.error().message.find("/bot***/") != std::string::npos);
}

TEST_CASE("telegram: a missing token or chat is a usage error and sends nothing", "[telegram]") {
  auto no_token = send_telegram("http://127.0.0.1:9", "", "42", "hi", Duration(1'000));
  REQUIRE_FALSE(no_token);
  CHECK(no_token.error().exit == Exit::usage);
  auto no_chat = send_telegram("http://127.0.0.1:9", kToken, "", "hi", Duration(1'000));
  REQUIRE_FALSE(no_chat);
  CHECK(no_chat.error().exit == Exit::usage);
  CHECK(no_chat.error().message.find("s3cret") == std::string::npos);
}

TEST_CASE("telegram: a cut never leaves a MarkdownV2 entity open", "[telegram]") {
  const std::string many(5000, 'a');
  auto check = [](const std::string& cut, const std::string& tail) {
    CHECK(code_points(cut) <= kTelegramMaxChars);
    CHECK(ends_with(cut, tail));
  };
  check(truncate_message("*" + many + "*"), "…*");                 // bold closed after the ellipsis
  check(truncate_message("*bold _it " + many + "_*"), "…_*");      // nested: innermost first
  check(truncate_message("__u ||s " + many + "||__"), "…||__");    // underline, spoiler
  check(truncate_message("```\ncode " + many + "\n```"), "…```");  // pre: only ``` closes it
  check(truncate_message("`a*b " + many + "`"), "…`");             // inside code * is text
  check(truncate_message("\\*" + many), "a…");                     // an escaped marker opens nothing
  const std::string link = truncate_message("see [" + many + "](https://x.invalid/)");
  CHECK(link == "see …");  // never a cut inside a link: it goes before the '['
  const std::string after = truncate_message("[a](https://x.invalid/) *" + many + "*");
  check(after, "…*");
  CHECK(after.find("[a](https://x.invalid/)") == 0);  // a finished link stays
  // the limit holds with the closers: 4096 code points exactly when cut
  CHECK(code_points(truncate_message("~" + many + "~")) == kTelegramMaxChars);
}
