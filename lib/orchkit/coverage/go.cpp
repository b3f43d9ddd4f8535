// Go coverprofiles (`go test -coverprofile`): "mode: set|count|atomic", then one block per line,
// "file.go:startLine.startCol,endLine.endCol numStmts count". Go counts statements: each file's
// tally is covered statements / all statements, as `go test -cover` prints, with every block
// (file + range) counted once even when it repeats (-coverpkg writes a package's blocks once per
// test binary; covered if any repeat ran, as `go tool cover` merges them). Per-line records come
// from the blocks: a line is measured if a block with statements spans it, covered if one that ran
// does.
#include <algorithm>
#include <unordered_map>
#include <vector>

#include "orchkit/coverage/hits.hpp"
#include "orchkit/coverage/lines.hpp"
#include "orchkit/coverage/parser.hpp"

namespace orchkit::coverage {
namespace {

struct Range {
  uint32_t start_line = 0, start_col = 0, end_line = 0, end_col = 0;
  friend bool operator==(const Range&, const Range&) = default;
};

struct RangeHash {
  size_t operator()(const Range& r) const noexcept {
    uint64_t a = (uint64_t{r.start_line} << 32) | r.start_col;
    uint64_t b = (uint64_t{r.end_line} << 32) | r.end_col;
    uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull + (a << 6) + (a >> 2));
    return static_cast<size_t>(h ^ (h >> 29));
  }
};

struct Block {
  uint32_t stmts = 0;
  bool covered = false;
};

using Blocks = std::unordered_map<Range, Block, RangeHash>;

std::optional<uint32_t> parse_u32(std::string_view s) { return parse_line_number(s); }

// A block's line range becomes per-line records; overlapping blocks cost each line once.
void add_lines(const Blocks& blocks, LineSet& lines) {
  std::vector<std::pair<uint32_t, uint32_t>> all, ran;
  for (const auto& [r, b] : blocks) {
    if (b.stmts == 0) continue;  // no statement, nothing executable on those lines
    all.emplace_back(r.start_line, r.end_line);
    if (b.covered) ran.emplace_back(r.start_line, r.end_line);
  }
  auto mark = [&](std::vector<std::pair<uint32_t, uint32_t>>& spans, bool covered) {
    std::sort(spans.begin(), spans.end());
    uint64_t next = 0;  // first line not yet marked
    for (auto [from, to] : spans) {
      for (uint64_t l = std::max<uint64_t>(from, next); l <= to; ++l) lines.add(static_cast<uint32_t>(l), covered);
      next = std::max<uint64_t>(next, uint64_t{to} + 1);
    }
  };
  mark(all, false);
  mark(ran, true);
}

class GoParser final : public StreamParser {
 public:
  explicit GoParser(std::string name) : name_(name), lines_(std::move(name)) {}

  Result<void> feed(std::string_view chunk) override {
    return lines_.feed(chunk, [this](std::string_view line) { return record(line); });
  }

  Result<Coverage> finish() override {
    ORCHKIT_CHECK(lines_.finish([this](std::string_view line) { return record(line); }));
    if (mode_.empty())
      return fail(Exit::error,
                  name_ + ":1: the profile is empty, expected a 'mode:' line (re-run go test -coverprofile)");
    Coverage cov;
    for (auto& [path, blocks] : files_) {
      FileCoverage& fc = cov.file(path);
      Tally t;
      for (const auto& [r, b] : blocks) {
        t.total += b.stmts;
        if (b.covered) t.covered += b.stmts;
      }
      fc.tally = t;
      add_lines(blocks, fc.lines);
      blocks = Blocks{};  // free as we go
    }
    return cov;
  }

 private:
  Unexpected error(const std::string& what, const std::string& hint) const {
    return fail(Exit::error, name_ + ":" + std::to_string(lines_.line_no()) + ": " + what + " (" + hint + ")");
  }

  // The line as it may appear in a message: short, printable.
  static std::string quote(std::string_view line) {
    std::string q(line.substr(0, 60));
    for (char& c : q)
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '?';
    return "'" + q + (line.size() > 60 ? "...'" : "'");
  }

  static bool valid_mode(std::string_view m) { return m == "set" || m == "count" || m == "atomic"; }

  Result<void> record(std::string_view line) {
    if (line.empty()) return {};
    if (line.substr(0, 5) == "mode:") {
      std::string_view m = line.substr(5);
      while (!m.empty() && m.front() == ' ') m.remove_prefix(1);
      if (!valid_mode(m))
        return error("unknown mode " + quote(m), "expected set, count or atomic; re-run go test -coverprofile");
      if (mode_.empty()) {
        mode_ = std::string(m);
      } else if (m != mode_) {
        return error("mode " + std::string(m) + " after mode " + mode_,
                     "concatenated profiles must share one -covermode; re-run go test with one mode");
      }
      return {};  // a repeat: profiles concatenated with cat
    }
    if (mode_.empty())
      return error("expected 'mode: set', 'mode: count' or 'mode: atomic' first, found " + quote(line),
                   "is this a Go coverprofile? force the format with FILE@FORMAT");
    return block(line);
  }

  Unexpected malformed(std::string_view line) const {
    return error("not a coverprofile block: " + quote(line),
                 "expected 'file.go:line.col,line.col statements count'; the profile is damaged, re-run go test");
  }

  Result<void> block(std::string_view line) {
    size_t sp2 = line.rfind(' ');
    if (sp2 == std::string_view::npos || sp2 == 0) return malformed(line);
    size_t sp1 = line.rfind(' ', sp2 - 1);
    if (sp1 == std::string_view::npos) return malformed(line);
    std::string_view where = line.substr(0, sp1);
    std::string_view stmts_s = line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string_view count_s = line.substr(sp2 + 1);
    size_t colon = where.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return malformed(line);
    std::string_view file = where.substr(0, colon);
    std::string_view range = where.substr(colon + 1);

    // startLine.startCol,endLine.endCol
    size_t comma = range.find(',');
    if (comma == std::string_view::npos) return malformed(line);
    std::string_view from = range.substr(0, comma), to = range.substr(comma + 1);
    size_t d1 = from.find('.'), d2 = to.find('.');
    if (d1 == std::string_view::npos || d2 == std::string_view::npos) return malformed(line);
    auto l0 = parse_u32(from.substr(0, d1)), c0 = parse_u32(from.substr(d1 + 1));
    auto l1 = parse_u32(to.substr(0, d2)), c1 = parse_u32(to.substr(d2 + 1));
    auto stmts = parse_u32(stmts_s);
    if (!l0 || !c0 || !l1 || !c1 || !stmts || count_s.empty()) return malformed(line);
    bool ran = false;
    for (char c : count_s) {
      if (c < '0' || c > '9') return malformed(line);
      ran = ran || c != '0';
    }
    if (*l1 < *l0 || *l0 == 0)
      return error("block " + quote(range) + " ends before it starts", "the profile is damaged; re-run go test");
    if (*l1 >= LineSet::kDenseLimit)
      return error("block " + quote(range) + " ends past line " + std::to_string(LineSet::kDenseLimit - 1),
                   "no Go source file is that long; the profile is damaged, re-run go test");

    if (!current_ || file != current_name_) {  // blocks come grouped by file: look up once per run
      current_name_ = std::string(file);
      current_ = &files_[current_name_];
    }
    auto [it, inserted] = current_->try_emplace(Range{*l0, *c0, *l1, *c1}, Block{*stmts, ran});
    if (!inserted) {
      if (it->second.stmts != *stmts)
        return error("block " + quote(range) + " of " + current_name_ + " has " + std::to_string(*stmts) +
                         " statements here and " + std::to_string(it->second.stmts) + " before",
                     "the profiles come from different sources; re-run go test on one checkout");
      it->second.covered = it->second.covered || ran;
    }
    return {};
  }

  std::string name_;
  LineSplitter lines_;
  std::string mode_;
  std::map<std::string, Blocks, std::less<>> files_;
  Blocks* current_ = nullptr;
  std::string current_name_;
};

}  // namespace

std::unique_ptr<StreamParser> make_go_parser(std::string name) { return std::make_unique<GoParser>(std::move(name)); }

}  // namespace orchkit::coverage
