#include "orchkit/notify/telegram.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "orchkit/http.hpp"
#include "orchkit/json.hpp"
#include "orchkit/json_writer.hpp"

namespace orchkit::notify {
namespace {

std::string_view strip_trailing_slashes(std::string_view s) {
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return s;
}

// Telegram takes a chat id as an integer or as "@channelname"; send integers as numbers.
std::optional<int64_t> numeric_chat(std::string_view id) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), v);
  if (ec != std::errc() || end != id.data() + id.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string markdown_v2_escape(std::string_view text) {
  static constexpr std::string_view kSpecial = "_*[]()~`>#+-=|{}.!\\";
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    if (kSpecial.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string telegram_send_url(std::string_view api_url, std::string_view token) {
  return std::string(strip_trailing_slashes(api_url)) + "/bot" + std::string(token) + "/sendMessage";
}

Result<void> send_telegram(std::string_view api_url, std::string_view token, std::string_view chat_id,
                           std::string_view text, Duration budget) {
  if (token.empty()) {
    return fail(Exit::usage, "telegram: TELEGRAM_BOT_TOKEN is not set (export it, or leave telegram unconfigured)");
  }
  if (chat_id.empty()) return fail(Exit::usage, "telegram: telegram.chat_id is not set (set it in orchkit.toml)");
  if (api_url.empty()) return fail(Exit::usage, "telegram: telegram.api_url is empty");

  JsonWriter body;
  body.object();
  if (auto n = numeric_chat(chat_id)) {
    body.key("chat_id").num_signed(*n);
  } else {
    body.field("chat_id", chat_id);
  }
  body.field("text", truncate_message(text)).field("parse_mode", "MarkdownV2").end();

  http::Request req;
  req.method = "POST";
  req.url = telegram_send_url(api_url, token);
  req.body = body.text();
  req.headers = {{"Content-Type", "application/json"}};
  req.what = "telegram sendMessage";
  req.secrets = {std::string(token)};
  req.timeout = std::min(Duration(10'000), budget);

  http::RetryPolicy policy;
  policy.budget = budget;
  // Telegram says how long to wait in the body: {"ok":false,"parameters":{"retry_after":N}}.
  policy.retry_after_from_body = [](const http::Response& r) -> std::optional<Duration> {
    auto doc = parse_json(r.body, "telegram response");
    if (!doc) return std::nullopt;
    auto secs = doc->get_int("parameters.retry_after");
    if (!secs || *secs < 0) return std::nullopt;
    return Duration(std::min<int64_t>(*secs, 1'000'000'000) * 1000);
  };

  ORCHKIT_TRY(resp, http::send(req, policy));
  auto doc = parse_json(resp.body, "telegram response");
  if (resp.ok() && doc && doc->get_bool("ok") == true) return {};

  std::string hint;
  if (resp.status == 401 || resp.status == 404) {
    hint = "check TELEGRAM_BOT_TOKEN";
  } else if (resp.status == 400 || resp.status == 403) {
    hint = "check telegram.chat_id and that the bot may post there";
  } else if (resp.ok()) {
    hint = "the answer was not {\"ok\": true}";
  }
  // Telegram's own words ("Bad Request: chat not found") are the useful part of the body.
  http::Response shown = resp;
  if (doc) {
    if (auto d = doc->get_string("description")) shown.body = *d;
  }
  return fail(http::status_error(req, shown, hint));
}

}  // namespace orchkit::notify
