// Small text helpers shared by the readers of front matter, HTTP headers and task folders.
#pragma once

#include <string_view>

namespace orchkit {

constexpr bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

// `s` without leading and trailing ASCII whitespace (never locale-dependent).
constexpr std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace orchkit
