// Differential coverage (lcov 2.x genhtml --baseline-file): every line of the baseline and of HEAD
// classified by what happened to it, per file. A pure function of the baseline's line sets, HEAD's
// line sets and the line map baseline..HEAD; the categories and their names are lcov's.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "orchkit/coverage/model.hpp"
#include "orchkit/linemap.hpp"

namespace orchkit::differential {

enum class Category {
  GNC,  // Gained New Coverage: a new or changed line, covered
  UNC,  // Uncovered New Code: a new or changed line, not covered
  CBC,  // Covered Baseline Code: unchanged, covered before and now
  LBC,  // Lost Baseline Coverage: unchanged, covered before, not now
  GBC,  // Gained Baseline Coverage: unchanged, not covered before, covered now
  UBC,  // Uncovered Baseline Code: unchanged, covered neither before nor now
  GIC,  // Gained Included Coverage: unchanged, not measured before, measured and covered now
  UIC,  // Uncovered Included Code: unchanged, not measured before, measured and not covered now
  ECB,  // Excluded Covered Baseline: unchanged, measured and covered before, not measured now
  EUB,  // Excluded Uncovered Baseline: unchanged, measured and not covered before, not measured now
  DCB,  // Deleted Covered Baseline: deleted, covered before
  DUB,  // Deleted Uncovered Baseline: deleted, not covered before
};
inline constexpr size_t kCategories = 12;
std::string_view category_name(Category c);  // "GNC", ...
inline constexpr std::array<Category, kCategories> kAllCategories = {
    Category::GNC, Category::UNC, Category::CBC, Category::LBC, Category::GBC, Category::UBC,
    Category::GIC, Category::UIC, Category::ECB, Category::EUB, Category::DCB, Category::DUB};

using Ranges = std::vector<std::pair<uint32_t, uint32_t>>;  // inclusive, ascending

struct Counts {
  std::array<uint64_t, kCategories> n = {};
  uint64_t& operator[](Category c) { return n[static_cast<size_t>(c)]; }
  uint64_t operator[](Category c) const { return n[static_cast<size_t>(c)]; }
  // UNC + LBC + UIC: the lines the change leaves uncovered that were not uncovered before.
  uint64_t budgeted() const { return (*this)[Category::UNC] + (*this)[Category::LBC] + (*this)[Category::UIC]; }
  friend bool operator==(const Counts&, const Counts&) = default;
};

struct FileDiff {
  std::string path = {};           // HEAD's path (the baseline's for a deleted file)
  std::string baseline_path = {};  // "" when the file is new
  Counts counts = {};
  Ranges unc = {};  // HEAD line numbers
  Ranges lbc = {};  // HEAD line numbers
  Ranges uic = {};  // HEAD line numbers
};

struct Result {
  Counts total = {};
  std::vector<FileDiff> files = {};  // by path; only files with at least one categorised line
};

// `baseline` measured the baseline commit, `head` measures HEAD, `map` is the diff between them.
Result categorise(const coverage::Coverage& baseline, const coverage::Coverage& head, const linemap::LineMap& map);

// Appends `line` to ascending ranges, joining it to the last one when adjacent.
void add_to_ranges(Ranges& r, uint32_t line);

}  // namespace orchkit::differential
