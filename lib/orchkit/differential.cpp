#include "orchkit/differential.hpp"

#include <map>

namespace orchkit::differential {

using coverage::LineSet;
using linemap::LineCursor;
using linemap::LineMap;

std::string_view category_name(Category c) {
  static constexpr std::array<std::string_view, kCategories> names = {"GNC", "UNC", "CBC", "LBC", "GBC", "UBC",
                                                                      "GIC", "UIC", "ECB", "EUB", "DCB", "DUB"};
  return names[static_cast<size_t>(c)];
}

void add_to_ranges(Ranges& r, uint32_t line) {
  if (!r.empty() && r.back().second + 1 == line) r.back().second = line;
  else r.emplace_back(line, line);
}

namespace {

const LineSet* find(const coverage::Coverage& cov, std::string_view path) {
  auto it = cov.files.find(path);
  return it == cov.files.end() ? nullptr : &it->second.lines;
}

const std::vector<linemap::Hunk> kNoHunks;

// HEAD's lines of one file: new ones are GNC/UNC, the others are judged against the baseline.
void walk_head(const LineSet& head, const LineSet* base, const linemap::FileChange* change, FileDiff& fd) {
  bool added = change && change->added;
  LineCursor cursor(change ? change->hunks : kNoHunks);
  head.for_each([&](uint32_t line, bool covered) {
    std::optional<uint32_t> old = added ? std::nullopt : cursor.old_of(line);
    Category c;
    if (!old) c = covered ? Category::GNC : Category::UNC;
    else if (!base || !base->is_measured(*old)) c = covered ? Category::GIC : Category::UIC;
    else if (base->is_covered(*old)) c = covered ? Category::CBC : Category::LBC;
    else c = covered ? Category::GBC : Category::UBC;
    ++fd.counts[c];
    if (c == Category::UNC) add_to_ranges(fd.unc, line);
    else if (c == Category::LBC) add_to_ranges(fd.lbc, line);
    else if (c == Category::UIC) add_to_ranges(fd.uic, line);
  });
}

// The baseline's lines of one file that HEAD deleted (DCB/DUB) or no longer measures (ECB/EUB);
// the lines both measure were counted by walk_head.
void walk_baseline(const LineSet& base, const LineSet* head, const linemap::FileChange* change, bool deleted,
                   FileDiff& fd) {
  LineCursor cursor(change ? change->hunks : kNoHunks);
  base.for_each([&](uint32_t line, bool covered) {
    std::optional<uint32_t> now = deleted ? std::nullopt : cursor.new_of(line);
    if (!now) ++fd.counts[covered ? Category::DCB : Category::DUB];
    else if (!head || !head->is_measured(*now)) ++fd.counts[covered ? Category::ECB : Category::EUB];
  });
}

// Baseline path -> HEAD path for the files the diff renamed or changed.
std::map<std::string_view, std::string_view> successors(const LineMap& map) {
  std::map<std::string_view, std::string_view> out;
  for (const auto& [path, change] : map.changed)
    if (!change.added) out.emplace(change.old_path, path);
  return out;
}

}  // namespace

Result categorise(const coverage::Coverage& baseline, const coverage::Coverage& head, const LineMap& map) {
  std::map<std::string, FileDiff, std::less<>> files;
  auto file = [&](std::string_view path) -> FileDiff& {
    auto it = files.find(path);
    if (it == files.end()) it = files.emplace(std::string(path), FileDiff{std::string(path), {}, {}, {}, {}, {}}).first;
    return it->second;
  };
  for (const auto& [path, fc] : head.files) {
    auto it = map.changed.find(path);
    const linemap::FileChange* change = it == map.changed.end() ? nullptr : &it->second;
    std::string_view old = path;
    if (change) old = change->added ? std::string_view() : std::string_view(change->old_path);
    FileDiff& fd = file(path);
    fd.baseline_path = std::string(old);
    walk_head(fc.lines, old.empty() ? nullptr : find(baseline, old), change, fd);
  }
  auto next = successors(map);
  for (const auto& [path, fc] : baseline.files) {
    bool deleted = map.deleted.count(path) != 0;
    std::string_view now = path;
    if (auto s = next.find(path); s != next.end()) now = s->second;
    else if (auto c = map.changed.find(path); c != map.changed.end()) deleted = true;  // replaced by another file
    auto it = map.changed.find(now);
    const linemap::FileChange* change = deleted || it == map.changed.end() ? nullptr : &it->second;
    FileDiff& fd = file(deleted ? std::string_view(path) : now);
    if (fd.baseline_path.empty()) fd.baseline_path = path;
    walk_baseline(fc.lines, deleted ? nullptr : find(head, now), change, deleted, fd);
  }
  Result r;
  for (auto& [path, fd] : files) {
    bool any = false;
    for (size_t i = 0; i < kCategories; ++i) {
      r.total.n[i] += fd.counts.n[i];
      any = any || fd.counts.n[i] != 0;
    }
    if (any) r.files.push_back(std::move(fd));
  }
  return r;
}

}  // namespace orchkit::differential
