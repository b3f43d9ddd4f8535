// diff-bench: differential coverage at the PERF.md scale (issue 14). Reads an LCOV report (the
// bench generator's, 20k files) as HEAD, derives a baseline from it (every 97th line's coverage
// flipped, so every category occurs), builds a line map where `--changed` files each got three
// hunks (an insertion, a deletion, a replacement), and times categorise() — median of `--runs`.
// Then the line data of the report: its gzip size and the time to encode it.
//   diff-bench REPORT [--changed 5000] [--runs 5]
// Prints key=value lines: files, lines, changed, categorise_ms, line_data_bytes, encode_ms and the
// category totals (so a run that categorised nothing is visible).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "orchkit/coverage/reader.hpp"
#include "orchkit/differential.hpp"
#include "orchkit/line_data.hpp"

using namespace orchkit;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

coverage::Coverage baseline_of(const coverage::Coverage& head) {
  coverage::Coverage base;
  uint64_t n = 0;
  for (const auto& [path, fc] : head.files) {
    auto& ls = base.file(path).lines;
    fc.lines.for_each([&](uint32_t line, bool covered) { ls.add(line, ++n % 97 == 0 ? !covered : covered); });
  }
  return base;
}

linemap::LineMap map_of(const coverage::Coverage& head, size_t changed) {
  linemap::LineMap map;
  size_t step = std::max<size_t>(1, head.files.size() / std::max<size_t>(1, changed)), i = 0;
  for (const auto& [path, fc] : head.files) {
    if (i++ % step != 0 || map.changed.size() >= changed) continue;
    uint32_t last = 0;
    fc.lines.for_each([&](uint32_t line, bool) { last = line; });
    uint32_t q = std::max<uint32_t>(4, last / 4);
    // +2 lines after q; -1 line at 2q (+2 shift); 1 line replaced by 3 at 3q
    map.changed[path] = {path, false, {{q, 0, q + 1, 2}, {2 * q, 1, 2 * q + 1, 0}, {3 * q, 1, 3 * q + 1, 3}}};
  }
  return map;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: diff-bench REPORT [--changed N] [--runs N]\n");
    return 2;
  }
  size_t changed = 5000, runs = 5;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--changed")) changed = std::stoul(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--runs")) runs = std::stoul(argv[i + 1]);
  }
  auto read = coverage::read_reports({{argv[1], std::nullopt}}, coverage::PathRules{});
  if (!read) {
    std::fprintf(stderr, "diff-bench: %s\n", read.error().message.c_str());
    return 3;
  }
  const coverage::Coverage& head = read->merged;
  coverage::Coverage base = baseline_of(head);
  linemap::LineMap map = map_of(head, changed);
  std::vector<double> times;
  differential::Result r;
  for (size_t i = 0; i < runs; ++i) {
    auto t = Clock::now();
    r = differential::categorise(base, head, map);
    times.push_back(ms_since(t));
  }
  std::sort(times.begin(), times.end());
  auto t0 = Clock::now();
  size_t text_bytes = line_data::to_text(head).size();
  double text_ms = ms_since(t0);
  auto t = Clock::now();
  auto gz = line_data::encode(head);
  double encode_ms = ms_since(t);
  if (!gz) return 3;
  auto t1 = Clock::now();
  size_t words_bytes = line_data::to_words(head).size();
  double words_ms = ms_since(t1);
  std::printf("line_text_bytes=%zu\nto_text_ms=%.1f\n", text_bytes, text_ms);
  std::printf("line_words_bytes=%zu\nto_words_ms=%.1f\n", words_bytes, words_ms);
  std::printf("files=%zu\nlines=%llu\nchanged=%zu\ncategorise_ms=%.1f\nline_data_bytes=%zu\nencode_ms=%.1f\n",
              head.files.size(), static_cast<unsigned long long>(head.totals().total), map.changed.size(),
              times[times.size() / 2], gz->size(), encode_ms);
  for (auto k : differential::kAllCategories)
    std::printf("%s=%llu\n", std::string(differential::category_name(k)).c_str(),
                static_cast<unsigned long long>(r.total[k]));
  return 0;
}
