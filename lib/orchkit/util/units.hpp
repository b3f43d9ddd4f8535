// Exact percentages and durations as the config writes them ("80", "0.1", "30m").
// Percentages are fixed-point with six decimals so every comparison is integer arithmetic.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace orchkit {

struct Percent {
  static constexpr int64_t kScale = 1'000'000;  // micro-percent
  int64_t micro = 0;                            // 80.5 % = 80'500'000
  auto operator<=>(const Percent&) const = default;
};

// "80", "80.25", "0.1" (at most six decimals, 0..100); nullopt otherwise.
std::optional<Percent> parse_percent(std::string_view s);
// The shortest exact decimal: 80, 80.5, 0.1.
std::string format_percent(Percent p);

// covered/total as a percentage truncated (never rounded up) to two decimals: "84.17".
// 0 of 0 prints "100.00" — nothing measurable is fully covered (see docs/formats.md).
std::string format_ratio_pct(uint64_t covered, uint64_t total);

using Duration = std::chrono::milliseconds;
// "30m", "10s", "1h30m", "500ms", "45" (seconds); nullopt otherwise.
std::optional<Duration> parse_duration(std::string_view s);
std::string format_duration(Duration d);

}  // namespace orchkit
