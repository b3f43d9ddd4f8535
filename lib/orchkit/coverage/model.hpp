// What a coverage report says, reduced to what orchkit decides on: per file, which line numbers
// are measured and which of them are covered. Several reports merge by union.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace orchkit::coverage {

// covered of total, in whatever unit the producing tool counts (lines; statements for Go).
struct Tally {
  uint64_t covered = 0;
  uint64_t total = 0;
  friend bool operator==(const Tally&, const Tally&) = default;
};

// The measured and covered line numbers of one file. Dense bitsets for ordinary line numbers,
// a sorted map for absurd ones, so a hostile report cannot make it allocate gigabytes.
class LineSet {
 public:
  static constexpr uint32_t kDenseLimit = 1u << 22;  // 4 Mi lines per file

  // covered if any record of the line is; inline: it runs once per line record of a report.
  void add(uint32_t line, bool covered) {
    size_t w = line / 64;
    if (line >= kDenseLimit || w >= measured_.size()) return add_slow(line, covered);
    uint64_t bit = uint64_t{1} << (line % 64);
    measured_[w] |= bit;
    covered_[w] |= covered ? bit : 0;
  }
  void merge(const LineSet& other);
  uint64_t measured() const;
  uint64_t covered() const;
  bool is_measured(uint32_t line) const;
  bool is_covered(uint32_t line) const;
  bool empty() const { return measured() == 0; }
  // The dense words (bit b of word w is line w·64+b) and the sparse lines, for bitwise readers
  // (the differential categorisation); the two word vectors have the same length.
  const std::vector<uint64_t>& measured_words() const { return measured_; }
  const std::vector<uint64_t>& covered_words() const { return covered_; }
  const std::map<uint32_t, bool>& sparse_lines() const { return sparse_; }
  // Replaces the dense words (bitwise writers: the line data's reader). The two vectors have
  // the same length, at most kDenseLimit / 64 words, and `covered` is within `measured`.
  void assign_words(std::vector<uint64_t> measured, std::vector<uint64_t> covered) {
    measured_ = std::move(measured);
    covered_ = std::move(covered);
  }

  // f(line, covered) for every measured line, ascending.
  template <class F>
  void for_each(F&& f) const {
    for (size_t w = 0; w < measured_.size(); ++w) {
      uint64_t bits = measured_[w];
      while (bits) {
        unsigned b = static_cast<unsigned>(__builtin_ctzll(bits));
        uint32_t line = static_cast<uint32_t>(w * 64 + b);
        f(line, ((covered_[w] >> b) & 1u) != 0);
        bits &= bits - 1;
      }
    }
    for (const auto& [line, cov] : sparse_) f(line, cov);
  }

 private:
  void add_slow(uint32_t line, bool covered);
  std::vector<uint64_t> measured_;
  std::vector<uint64_t> covered_;
  std::map<uint32_t, bool> sparse_;
};

struct FileCoverage {
  LineSet lines = {};
  // Set when the producing tool's own total is not "distinct measured lines" (Go counts
  // statements; llvm-cov and JaCoCo have their own line rules). Dropped when a second report
  // names the same file: a merge counts lines.
  std::optional<Tally> tally = {};
  // Other paths the report may mean by this file, to try after its key, in order: Cobertura
  // joins a relative filename to each <source> and only the repository can tell which holds it.
  // normalize_paths (paths.hpp) keeps the first that exists and empties this.
  std::vector<std::string> alternatives = {};

  Tally totals() const;
};

// One report, or several merged. Paths are as normalised by the reader (repo-relative).
struct Coverage {
  std::map<std::string, FileCoverage, std::less<>> files = {};

  Tally totals() const;
  // Union: a line is measured if any report measures it, covered if any report covers it.
  void merge(Coverage&& other);
  FileCoverage& file(std::string_view path);
};

}  // namespace orchkit::coverage
