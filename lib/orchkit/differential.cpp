#include "orchkit/differential.hpp"

#include <algorithm>
#include <map>
#include <unordered_set>

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
const std::vector<uint64_t> kNoWords;

// A LineSet's bits read inline (is_measured/is_covered are calls; this runs once per line).
struct Bits {
  const std::vector<uint64_t>& m;
  const std::vector<uint64_t>& c;
  const LineSet* set;
  explicit Bits(const LineSet* ls)
      : m(ls ? ls->measured_words() : kNoWords), c(ls ? ls->covered_words() : kNoWords), set(ls) {}
  bool measured(uint32_t l) const {
    size_t w = l / 64;
    if (w < m.size()) return (m[w] >> (l % 64)) & 1u;
    return set && l >= LineSet::kDenseLimit && set->is_measured(l);
  }
  bool covered(uint32_t l) const {
    size_t w = l / 64;
    if (w < c.size()) return (c[w] >> (l % 64)) & 1u;
    return set && l >= LineSet::kDenseLimit && set->is_covered(l);
  }
};

bool dense(const LineSet* ls) { return !ls || ls->sparse_lines().empty(); }

// `len` (1..64) bits of `v` from bit `start`: line `start` is bit 0.
uint64_t extract(const std::vector<uint64_t>& v, uint64_t start, unsigned len) {
  size_t w = static_cast<size_t>(start / 64);
  unsigned s = static_cast<unsigned>(start % 64);
  uint64_t x = w < v.size() ? v[w] >> s : 0;
  if (s && w + 1 < v.size()) x |= v[w + 1] << (64 - s);
  return len == 64 ? x : x & ((uint64_t{1} << len) - 1);
}

unsigned popcount(uint64_t x) { return static_cast<unsigned>(__builtin_popcountll(x)); }

void add_bits(Ranges& r, uint64_t first_line, uint64_t bits) {
  while (bits) {
    add_to_ranges(r, static_cast<uint32_t>(first_line + static_cast<unsigned>(__builtin_ctzll(bits))));
    bits &= bits - 1;
  }
}

// One dense file, 64 lines per step: unchanged stretches compare HEAD's bits with the baseline's
// shifted by the stretch's offset; hunks' new lines are GNC/UNC, their old lines DCB/DUB.
class WordWalk {
 public:
  WordWalk(const LineSet* head, const LineSet* base, FileDiff& fd) : h_(head), b_(base), fd_(fd) {}

  // New lines [from, to) of HEAD are old lines [from − d, to − d).
  void unchanged(uint64_t from, uint64_t to, int64_t d) {
    for (uint64_t n = from; n < to; n += 64) {
      unsigned len = static_cast<unsigned>(std::min<uint64_t>(64, to - n));
      uint64_t hm = extract(h_.m, n, len), hc = extract(h_.c, n, len);
      uint64_t o = static_cast<uint64_t>(static_cast<int64_t>(n) - d);
      uint64_t bm = extract(b_.m, o, len), bc = extract(b_.c, o, len);
      if ((hm | bm) == 0) continue;
      uint64_t both = hm & bm, inc = hm & ~bm, exc = bm & ~hm;
      uint64_t lost = both & bc & ~hc, uic = inc & ~hc;
      add(Category::CBC, both & bc & hc);
      add(Category::LBC, lost);
      add(Category::GBC, both & ~bc & hc);
      add(Category::UBC, both & ~bc & ~hc);
      add(Category::GIC, inc & hc);
      add(Category::UIC, uic);
      add(Category::ECB, exc & bc);
      add(Category::EUB, exc & ~bc);
      if (lost) add_bits(fd_.lbc, n, lost);
      if (uic) add_bits(fd_.uic, n, uic);
    }
  }
  // New lines [from, to) of HEAD.
  void added(uint64_t from, uint64_t to) {
    for (uint64_t n = from; n < to; n += 64) {
      unsigned len = static_cast<unsigned>(std::min<uint64_t>(64, to - n));
      uint64_t hm = extract(h_.m, n, len), hc = extract(h_.c, n, len);
      uint64_t unc = hm & ~hc;
      add(Category::GNC, hm & hc);
      add(Category::UNC, unc);
      if (unc) add_bits(fd_.unc, n, unc);
    }
  }
  // Old lines [from, to) of the baseline, gone.
  void deleted(uint64_t from, uint64_t to) {
    for (uint64_t o = from; o < to; o += 64) {
      unsigned len = static_cast<unsigned>(std::min<uint64_t>(64, to - o));
      uint64_t bm = extract(b_.m, o, len), bc = extract(b_.c, o, len);
      add(Category::DCB, bm & bc);
      add(Category::DUB, bm & ~bc);
    }
  }
  uint64_t head_end() const { return h_.m.size() * 64; }
  uint64_t base_end() const { return b_.m.size() * 64; }

 private:
  void add(Category c, uint64_t bits) { fd_.counts[c] += popcount(bits); }
  Bits h_, b_;
  FileDiff& fd_;
};

// The whole file through WordWalk: the stretches between hunks, the hunks, the tail.
void walk_words(const LineSet* head, const LineSet* base, const linemap::FileChange* change, FileDiff& fd) {
  WordWalk w(head, base, fd);
  if (change && change->added) return w.added(0, w.head_end());
  uint64_t cur = 0;
  int64_t d = 0;
  for (const auto& h : change ? change->hunks : kNoHunks) {
    uint64_t stop = h.new_lines ? h.new_start : uint64_t{h.new_start} + 1;
    if (stop > cur) w.unchanged(cur, stop, d);
    w.added(h.new_start, uint64_t{h.new_start} + h.new_lines);
    w.deleted(h.old_start, uint64_t{h.old_start} + h.old_lines);
    cur = std::max(cur, stop + h.new_lines);
    d += static_cast<int64_t>(h.new_lines) - static_cast<int64_t>(h.old_lines);
  }
  int64_t base_end = static_cast<int64_t>(w.base_end()) + d;
  uint64_t end = std::max<uint64_t>(w.head_end(), static_cast<uint64_t>(std::max<int64_t>(0, base_end)));
  if (end > cur) w.unchanged(cur, end, d);
}

// HEAD's lines of one file: new ones are GNC/UNC, the others are judged against the baseline.
void walk_head(const LineSet& head, const LineSet* base_set, const linemap::FileChange* change, FileDiff& fd) {
  bool added = change && change->added;
  Bits base(base_set);
  LineCursor cursor(change ? change->hunks : kNoHunks);
  head.for_each([&](uint32_t line, bool covered) {
    std::optional<uint32_t> old = added ? std::nullopt : cursor.old_of(line);
    Category c;
    if (!old) c = covered ? Category::GNC : Category::UNC;
    else if (!base.measured(*old)) c = covered ? Category::GIC : Category::UIC;
    else if (base.covered(*old)) c = covered ? Category::CBC : Category::LBC;
    else c = covered ? Category::GBC : Category::UBC;
    ++fd.counts[c];
    if (c == Category::UNC) add_to_ranges(fd.unc, line);
    else if (c == Category::LBC) add_to_ranges(fd.lbc, line);
    else if (c == Category::UIC) add_to_ranges(fd.uic, line);
  });
}

// The baseline's lines of one file that HEAD deleted (DCB/DUB) or no longer measures (ECB/EUB);
// the lines both measure were counted by walk_head.
void walk_baseline(const LineSet& base, const LineSet* head_set, const linemap::FileChange* change, bool deleted,
                   FileDiff& fd) {
  Bits head(head_set);
  LineCursor cursor(change ? change->hunks : kNoHunks);
  base.for_each([&](uint32_t line, bool covered) {
    std::optional<uint32_t> now = deleted ? std::nullopt : cursor.new_of(line);
    if (!now) ++fd.counts[covered ? Category::DCB : Category::DUB];
    else if (!head.measured(*now)) ++fd.counts[covered ? Category::ECB : Category::EUB];
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
  Result r;
  r.files.reserve(head.files.size());
  std::unordered_set<const LineSet*> done;  // baseline files walk_words categorised with HEAD's
  done.reserve(head.files.size());
  auto change_it = map.changed.begin();
  for (const auto& [path, fc] : head.files) {  // both maps sorted alike: a merge join
    while (change_it != map.changed.end() && change_it->first < path) ++change_it;
    const linemap::FileChange* change =
        change_it != map.changed.end() && change_it->first == path ? &change_it->second : nullptr;
    std::string_view old = path;
    if (change) old = change->added ? std::string_view() : std::string_view(change->old_path);
    r.files.push_back(FileDiff{path, std::string(old), {}, {}, {}, {}});
    FileDiff& fd = r.files.back();
    const LineSet* base = old.empty() ? nullptr : find(baseline, old);
    if (dense(&fc.lines) && dense(base)) {
      walk_words(&fc.lines, base, change, fd);
      if (base) done.insert(base);
    } else {
      walk_head(fc.lines, base, change, fd);
    }
  }
  auto by_path = [](const FileDiff& a, const FileDiff& b) { return a.path < b.path; };
  size_t head_count = r.files.size();
  auto next = successors(map);
  for (const auto& [path, fc] : baseline.files) {
    if (done.count(&fc.lines)) continue;
    bool deleted = map.deleted.count(path) != 0;
    std::string_view now = path;
    if (auto s = next.find(path); s != next.end()) now = s->second;
    else if (map.changed.count(path)) deleted = true;  // replaced by another file
    auto it = map.changed.find(now);
    const linemap::FileChange* change = deleted || it == map.changed.end() ? nullptr : &it->second;
    const LineSet* now_set = deleted ? nullptr : find(head, now);
    std::string_view key = deleted ? std::string_view(path) : now;
    auto at = std::lower_bound(r.files.begin(), r.files.begin() + static_cast<std::ptrdiff_t>(head_count), key,
                               [](const FileDiff& f, std::string_view k) { return f.path < k; });
    FileDiff* fd = nullptr;
    if (at != r.files.begin() + static_cast<std::ptrdiff_t>(head_count) && at->path == key) fd = &*at;
    else fd = &r.files.emplace_back(FileDiff{std::string(key), path, {}, {}, {}, {}});
    if (fd->baseline_path.empty()) fd->baseline_path = path;
    walk_baseline(fc.lines, now_set, change, deleted, *fd);
  }
  if (r.files.size() > head_count) {
    std::sort(r.files.begin() + static_cast<std::ptrdiff_t>(head_count), r.files.end(), by_path);
    std::inplace_merge(r.files.begin(), r.files.begin() + static_cast<std::ptrdiff_t>(head_count), r.files.end(),
                       by_path);
  }
  auto empty = [](const FileDiff& f) {
    return std::all_of(f.counts.n.begin(), f.counts.n.end(), [](uint64_t n) { return n == 0; });
  };
  r.files.erase(std::remove_if(r.files.begin(), r.files.end(), empty), r.files.end());
  for (const auto& f : r.files)
    for (size_t i = 0; i < kCategories; ++i) r.total.n[i] += f.counts.n[i];
  return r;
}

}  // namespace orchkit::differential
