// Telegram notifications (Bot API sendMessage, MarkdownV2): best-effort indications of what a tool
// decided. The bot token lives in the URL path, so every message shows that URL with it as "***".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "orchkit/result.hpp"
#include "orchkit/util/units.hpp"

namespace orchkit::notify {

// sendMessage's limit on `text`, in characters.
inline constexpr size_t kTelegramMaxChars = 4096;

// Escapes text for parse_mode MarkdownV2: a backslash before each of _*[]()~`>#+-=|{}.! and
// before a backslash. Apply it to every piece of data put into a message, not to the markup.
std::string markdown_v2_escape(std::string_view text);

// `text` (MarkdownV2) cut to at most `max_chars` UTF-8 code points, ending in "…" when cut
// (telegram_cut.cpp). Never splits a code point or an escape, never ends inside a link, and
// closes every entity the cut left open after the ellipsis, within the limit; when it cannot,
// the cut text goes as plain text (all markup escaped). Unchanged when it fits.
std::string truncate_message(std::string_view text, size_t max_chars = kTelegramMaxChars);

// "<api_url>/bot<token>/sendMessage" (one slash between the parts whatever api_url ends with).
std::string telegram_send_url(std::string_view api_url, std::string_view token);

// Sends `text` (already MarkdownV2, cut to the limit here) to `chat_id` within `budget`, retrying
// 5xx, resets and 429 (Retry-After header or parameters.retry_after in the body). A missing token
// or chat id is Exit::usage; a failed send is Exit::error. Neither ever shows the token.
Result<void> send_telegram(std::string_view api_url, std::string_view token, std::string_view chat_id,
                           std::string_view text, Duration budget = Duration(15'000));

}  // namespace orchkit::notify
