// Hit counts as reports write them: read as covered / not covered, never as magnitudes.
// Huge counts (past uint64), floats and scientific notation count as covered when > 0;
// negative counts (a wrapped-around counter) and zero as not covered, as `count > 0` does
// in lcov, gcovr and coverage tools.
#pragma once

#include <optional>
#include <string_view>

namespace orchkit::coverage {

// nullopt when `s` is not a number at all.
inline std::optional<bool> hit_is_covered(std::string_view s) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  bool digits = false, nonzero = false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) digits = true, nonzero = nonzero || s[i] != '0';
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) digits = true, nonzero = nonzero || s[i] != '0';
  }
  if (!digits) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    bool exp_digits = false;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) exp_digits = true;
    if (!exp_digits) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return nonzero && !negative;
}

// A line number: decimal digits only, fits in 32 bits.
inline std::optional<uint32_t> parse_line_number(std::string_view s) {
  if (s.empty() || s.size() > 10) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > 0xFFFFFFFFull) return std::nullopt;
  return static_cast<uint32_t>(v);
}

}  // namespace orchkit::coverage
