#include "orchkit/coverage/model.hpp"

#include <algorithm>
#include <bit>

namespace orchkit::coverage {

void LineSet::add_slow(uint32_t line, bool covered) {
  if (line >= kDenseLimit) {
    auto [it, inserted] = sparse_.try_emplace(line, covered);
    if (!inserted) it->second = it->second || covered;
    return;
  }
  size_t w = line / 64;
  if (w >= measured_.size()) {
    size_t n = std::max(w + 1, measured_.size() * 2);
    measured_.resize(n, 0);
    covered_.resize(n, 0);
  }
  uint64_t bit = uint64_t{1} << (line % 64);
  measured_[w] |= bit;
  if (covered) covered_[w] |= bit;
}

void LineSet::merge(const LineSet& other) {
  if (other.measured_.size() > measured_.size()) {
    measured_.resize(other.measured_.size(), 0);
    covered_.resize(other.covered_.size(), 0);
  }
  for (size_t w = 0; w < other.measured_.size(); ++w) {
    measured_[w] |= other.measured_[w];
    covered_[w] |= other.covered_[w];
  }
  for (const auto& [line, cov] : other.sparse_) add(line, cov);
}

namespace {
// Set bits of a bitset. The build targets baseline x86-64 (no POPCNT), where std::popcount is a
// libgcc call per word; a POPCNT clone is picked at load time where the CPU has it.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__POPCNT__)
__attribute__((target_clones("popcnt", "default")))
#endif
uint64_t
count_bits(const std::vector<uint64_t>& words) {
  uint64_t n = 0;
  for (uint64_t w : words) n += static_cast<uint64_t>(std::popcount(w));
  return n;
}
}  // namespace

uint64_t LineSet::measured() const { return sparse_.size() + count_bits(measured_); }

uint64_t LineSet::covered() const {
  uint64_t n = count_bits(covered_);
  for (const auto& [line, cov] : sparse_) n += cov ? 1 : 0;
  return n;
}

bool LineSet::is_measured(uint32_t line) const {
  if (line >= kDenseLimit) return sparse_.count(line) != 0;
  size_t w = line / 64;
  return w < measured_.size() && ((measured_[w] >> (line % 64)) & 1u);
}

bool LineSet::is_covered(uint32_t line) const {
  if (line >= kDenseLimit) {
    auto it = sparse_.find(line);
    return it != sparse_.end() && it->second;
  }
  size_t w = line / 64;
  return w < covered_.size() && ((covered_[w] >> (line % 64)) & 1u);
}

Tally FileCoverage::totals() const {
  if (tally) return *tally;
  return Tally{lines.covered(), lines.measured()};
}

Tally Coverage::totals() const {
  Tally t;
  for (const auto& [path, fc] : files) {
    Tally f = fc.totals();
    t.covered += f.covered;
    t.total += f.total;
  }
  return t;
}

void Coverage::merge(Coverage&& other) {
  if (files.empty()) {
    files = std::move(other.files);
    return;
  }
  for (auto at = other.files.begin(); at != other.files.end();) {
    auto here = at++;
    // The node moves: no copy of the path or the lines. Past the last path it goes in at the end
    // unsearched (pieces of one report, cut in file order, merge that way).
    if (files.rbegin()->first < here->first) {
      files.insert(files.end(), other.files.extract(here));
      continue;
    }
    auto it = files.find(here->first);
    if (it == files.end()) {
      files.insert(other.files.extract(here));
      continue;
    }
    it->second.lines.merge(here->second.lines);
    it->second.tally.reset();
  }
}

FileCoverage& Coverage::file(std::string_view path) {
  // Reports mostly name their files in order: a path past the last one is added unsearched.
  if (files.empty() || files.rbegin()->first < path)
    return files.emplace_hint(files.end(), path, FileCoverage{})->second;
  auto it = files.find(path);
  if (it == files.end()) it = files.emplace(std::string(path), FileCoverage{}).first;
  return it->second;
}

}  // namespace orchkit::coverage
