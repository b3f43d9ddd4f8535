#include "orchkit/util/units.hpp"

#include <cstdio>

#include "orchkit/util/int128.hpp"

namespace orchkit {

std::optional<Percent> parse_percent(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int64_t whole = 0, frac = 0;
  size_t i = 0, int_digits = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++int_digits) {
    if (int_digits >= 3) return std::nullopt;
    whole = whole * 10 + (s[i] - '0');
  }
  if (int_digits == 0) return std::nullopt;
  int64_t scale = Percent::kScale;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t frac_digits = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++frac_digits) {
      if (frac_digits >= 6) return std::nullopt;
      frac = frac * 10 + (s[i] - '0');
      scale /= 10;
    }
    if (frac_digits == 0) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  Percent p{whole * Percent::kScale + frac * scale};
  if (p.micro > 100 * Percent::kScale) return std::nullopt;
  return p;
}

std::string format_percent(Percent p) {
  std::string out = std::to_string(p.micro / Percent::kScale);
  int64_t frac = p.micro % Percent::kScale;
  if (frac == 0) return out;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%06lld", static_cast<long long>(frac));
  std::string f(buf);
  while (!f.empty() && f.back() == '0') f.pop_back();
  return out + "." + f;
}

std::string format_ratio_pct(uint64_t covered, uint64_t total) {
  if (total == 0) return "100.00";
  u128 hundredths = static_cast<u128>(covered) * 10000u / total;
  uint64_t h = static_cast<uint64_t>(hundredths);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llu.%02llu", static_cast<unsigned long long>(h / 100),
                static_cast<unsigned long long>(h % 100));
  return buf;
}

std::optional<Duration> parse_duration(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int64_t total_ms = 0;
  size_t i = 0;
  bool any = false;
  while (i < s.size()) {
    int64_t v = 0;
    size_t digits = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++digits) {
      if (digits >= 9) return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    if (digits == 0) return std::nullopt;
    std::string_view unit;
    size_t u = i;
    while (i < s.size() && s[i] >= 'a' && s[i] <= 'z') ++i;
    unit = s.substr(u, i - u);
    int64_t mul = 0;
    if (unit.empty() && i == s.size() && !any) mul = 1000;
    else if (unit == "ms") mul = 1;
    else if (unit == "s") mul = 1000;
    else if (unit == "m") mul = 60'000;
    else if (unit == "h") mul = 3'600'000;
    else return std::nullopt;
    total_ms += v * mul;
    if (total_ms > 100LL * 365 * 24 * 3'600'000) return std::nullopt;  // past a century: a typo, and no overflow
    any = true;
  }
  return Duration(total_ms);
}

std::string format_duration(Duration d) {
  int64_t ms = d.count();
  if (ms % 3'600'000 == 0 && ms) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 60'000 == 0 && ms) return std::to_string(ms / 60'000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace orchkit
