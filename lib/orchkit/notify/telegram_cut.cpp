// Cutting a MarkdownV2 message to Telegram's limit without breaking its markup (issue 15, item
// 3): the cut never splits a code point or an escape, never ends inside a link, and every
// entity still open there (bold, italic, underline, strikethrough, spoiler, code, pre) is closed
// after the ellipsis, inside the limit. When that cannot be done the message goes as plain text
// (every markup character escaped), never as markup Telegram would refuse.
#include <algorithm>
#include <vector>

#include "orchkit/notify/telegram.hpp"

namespace orchkit::notify {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026, one character, not special in MarkdownV2

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += continuation(c) ? 0 : 1;
  return n;
}

// The first `keep` code points of `text`, without a dangling escape backslash at the end.
std::string head(std::string_view text, size_t keep) {
  size_t end = 0, seen = 0;
  for (; end < text.size(); ++end) {
    if (!continuation(text[end])) {
      if (seen == keep) break;
      ++seen;
    }
  }
  std::string out(text.substr(0, end));
  size_t run = 0;  // an odd run of trailing backslashes: the cut fell between "\" and its character
  while (run < out.size() && out[out.size() - 1 - run] == '\\') ++run;
  if (run % 2 == 1) out.pop_back();
  return out;
}

struct Open {
  std::vector<std::string> markers;    // outermost first
  size_t link_at = std::string::npos;  // an unfinished [text](url) starts here
};

// The entities open at the end of `s`, read as Telegram reads MarkdownV2.
Open open_entities(std::string_view s) {
  Open o;
  auto top_is = [&](std::string_view m) { return !o.markers.empty() && o.markers.back() == m; };
  auto toggle = [&](std::string m) {
    if (top_is(m)) o.markers.pop_back();
    else o.markers.push_back(std::move(m));
  };
  enum class Link { none, text, url_next, url } link = Link::none;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\') {
      ++i;  // the escaped character is text
      continue;
    }
    const bool in_pre = top_is("```"), in_code = top_is("`");
    if (in_pre || in_code) {
      if (in_pre && s.compare(i, 3, "```") == 0) {
        o.markers.pop_back();
        i += 2;
      } else if (in_code && c == '`') {
        o.markers.pop_back();
      }
      continue;
    }
    if (link == Link::url) {
      if (c == ')') {
        link = Link::none;
        o.link_at = std::string::npos;
      }
      continue;
    }
    if (link == Link::url_next) {
      if (c == '(') {
        link = Link::url;
        continue;
      }
      link = Link::none;
      o.link_at = std::string::npos;
    }
    if (c == '`') {
      if (s.compare(i, 3, "```") == 0) {
        o.markers.emplace_back("```");
        i += 2;
      } else {
        o.markers.emplace_back("`");
      }
    } else if (c == '*') {
      toggle("*");
    } else if (c == '~') {
      toggle("~");
    } else if (c == '_') {
      if (s.compare(i, 2, "__") == 0) {
        toggle("__");
        ++i;
      } else {
        toggle("_");
      }
    } else if (c == '|' && s.compare(i, 2, "||") == 0) {
      toggle("||");
      ++i;
    } else if (c == '[' && link == Link::none) {
      link = Link::text;
      o.link_at = i;
    } else if (c == ']' && link == Link::text) {
      link = Link::url_next;
    }
  }
  if (link == Link::none) o.link_at = std::string::npos;  // else the cut fell inside a link
  return o;
}

// Every markup character escaped: the text as plain characters, valid MarkdownV2.
std::string as_plain(std::string_view markdown) {
  std::string raw;
  for (size_t i = 0; i < markdown.size(); ++i) {
    if (markdown[i] == '\\' && i + 1 < markdown.size()) ++i;
    raw += markdown[i];
  }
  return markdown_v2_escape(raw);
}

}  // namespace

std::string truncate_message(std::string_view text, size_t max_chars) {
  if (code_points(text) <= max_chars) return std::string(text);
  if (max_chars == 0) return {};
  size_t keep = max_chars - 1;  // the last one is the ellipsis
  for (int tries = 0; tries < 16; ++tries) {
    std::string out = head(text, keep);
    Open o = open_entities(out);
    if (o.link_at != std::string::npos) {
      keep = code_points(std::string_view(out).substr(0, o.link_at));
      continue;
    }
    std::string closing;
    for (auto it = o.markers.rbegin(); it != o.markers.rend(); ++it) closing += *it;
    if (code_points(out) + 1 + code_points(closing) <= max_chars) return out + std::string(kEllipsis) + closing;
    keep = code_points(out) > closing.size() ? code_points(out) - closing.size() : 0;
  }
  // Could not close what the cut left open: send it as plain text.
  std::string plain = as_plain(head(text, max_chars - 1));
  return head(plain, max_chars - 1) + std::string(kEllipsis);
}

}  // namespace orchkit::notify
