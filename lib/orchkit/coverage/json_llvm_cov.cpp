// llvm-cov export JSON (`llvm-cov export -format=text`), read with the JSON walker
// (json_walker.hpp).
//
// Rules (docs/formats.md):
// - llvm-cov export: per-file totals are the file's summary.lines {covered, count} (llvm-cov's
//   own line rule, which counts a line once per function that maps it), kept as the file's tally;
//   per-line records are derived from the segments for patch coverage, following LLVM 14's
//   LineCoverageStats (see LlvmLines). A file without a summary counts its derived lines. Several
//   "data" entries, or a file named twice, merge: lines by union, and the tally is dropped.

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "orchkit/coverage/hits.hpp"
#include "orchkit/coverage/json_walker.hpp"
#include "orchkit/coverage/parser.hpp"

namespace orchkit::coverage {
namespace {

using namespace json_walk;  // NOLINT: the walker's vocabulary, internal to the JSON formats

constexpr Flavour kLlvmCov{"llvm-cov export JSON", "llvm-cov export -format=text"};

// Measured and covered lines from a file's segments, as LLVM 14's LineCoverageStats and
// LineCoverageIterator (llvm/lib/ProfileData/Coverage/CoverageMapping.cpp) compute them for
// `llvm-cov show`. Lines run from the first segment's line to the last one's; for each, the
// "wrapped" segment is the last segment of an earlier line. A line is measured unless its first
// segment starts a region without a count, and then only if the wrapped segment has a count or a
// segment on the line starts a counted, non-gap region. Its count is the largest of the wrapped
// segment's and those region starts' counts, so it is covered if any of them is > 0. (Later LLVM
// releases also measure a line whose first segment is uncounted when another segment starts a
// counted region on it; LLVM 14, the version Debian 12 ships, does not.) Checked line by line
// against `llvm-cov-14 show` on a C file with macros, switch, goto and loops. Lines with no
// segment of their own are only filled below LineSet::kDenseLimit, so a hostile report cannot
// make it loop for billions of lines.
class LlvmLines {
 public:
  struct Segment {
    bool positive = false;  // count > 0
    bool has_count = false;
    bool region_entry = false;
    bool gap = false;
  };

  explicit LlvmLines(LineBuffer& out) : out_(out) {}

  void add(uint32_t line, Segment s, const char* at) {
    if (started_ && line < line_) throw Invalid{"the segments are not in line order", at};
    if (!started_ || line != line_) {
      if (started_) {
        close_line();
        fill(uint64_t{line_} + 1, line);
      }
      started_ = true;
      line_ = line;
      skipped_start_ = !s.has_count && s.region_entry;
      starts_region_ = false;
      start_positive_ = false;
    }
    if (!s.gap && s.has_count && s.region_entry) {
      starts_region_ = true;
      start_positive_ = start_positive_ || s.positive;
    }
    last_ = s;
  }

  void finish() {
    if (started_) close_line();
  }

 private:
  void close_line() {
    bool mapped = !skipped_start_ && ((wrapped_ && wrapped_segment_.has_count) || starts_region_);
    if (mapped) out_.add(line_, (wrapped_ && wrapped_segment_.positive) || start_positive_);
    wrapped_ = true;
    wrapped_segment_ = last_;
  }

  // Lines [from, to) have no segment: the wrapped segment alone decides.
  void fill(uint64_t from, uint64_t to) {
    if (!wrapped_segment_.has_count) return;
    to = std::min<uint64_t>(to, LineSet::kDenseLimit);
    for (uint64_t l = from; l < to; ++l) out_.add(static_cast<uint32_t>(l), wrapped_segment_.positive);
  }

  LineBuffer& out_;
  bool started_ = false;
  uint32_t line_ = 0;
  bool skipped_start_ = false;
  bool starts_region_ = false;
  bool start_positive_ = false;
  Segment last_ = {};
  bool wrapped_ = false;
  Segment wrapped_segment_ = {};
};

// [line, col, count, hasCount, isRegionEntry, isGapRegion]; LLVM before 7 writes no gap flag.
void llvm_segments(value v, LineBuffer& lines) {
  LlvmLines stats(lines);
  std::string_view all = flat_array_text(v, "\"segments\" is not an array");  // the whole array of arrays
  for_each_flat_array(all, "\"segments\"", "a segment is not an array", [&](std::string_view segment) {
    const char* at = segment.data();
    std::array<std::string_view, 6> part;
    size_t n = 0;
    const char* after = for_each_token(segment, "a segment", [&](std::string_view token) {
      if (n < part.size()) part[n] = token;
      ++n;
    });
    if (n < 5) throw Invalid{"a segment with " + std::to_string(n) + " fields, not 6", at};
    auto line = parse_line_number(part[0]);
    if (!line) throw Invalid{"a segment's line " + in_quotes(part[0]) + " is not a line number", part[0].data()};
    auto positive = hit_is_covered(part[2]);
    if (!positive) throw Invalid{"a segment's count " + in_quotes(part[2]) + " is not a number", part[2].data()};
    LlvmLines::Segment s;
    s.positive = *positive;
    s.has_count = flag_token(part[3], "a segment's hasCount");
    s.region_entry = flag_token(part[4], "a segment's isRegionEntry");
    s.gap = n > 5 && flag_token(part[5], "a segment's isGapRegion");
    stats.add(*line, s, at);
    return after;
  });
  stats.finish();
}

std::optional<Tally> llvm_summary(value v) {
  std::optional<Tally> tally;
  for (auto member : object_of(v, "\"summary\" is not an object")) {
    od::field f = take(std::move(member));
    if (f.key() != "lines") continue;
    value lines = f.value();
    const char* at = lines.raw_json_token().data();
    std::optional<uint64_t> count, covered;
    for (auto part : object_of(lines, "\"summary\".\"lines\" is not an object")) {
      od::field g = take(std::move(part));
      if (g.key() == "count") count = uint_of(g.value(), "\"summary\".\"lines\".\"count\" is not a count");
      else if (g.key() == "covered") covered = uint_of(g.value(), "\"summary\".\"lines\".\"covered\" is not a count");
    }
    if (!count || !covered) throw Invalid{"\"summary\".\"lines\" without \"count\" and \"covered\"", at};
    if (*covered > *count) throw Invalid{"\"summary\".\"lines\" has more lines covered than counted", at};
    tally = Tally{*covered, *count};
  }
  return tally;
}

void llvm_file(od::object file, std::string& path, LineBuffer& lines, std::optional<Tally>& tally) {
  bool named = false;
  for (auto member : file) {
    od::field f = take(std::move(member));
    if (f.key() == "filename") {
      value v = f.value();
      path = string_of(v, "\"filename\" is not a string");
      if (path.empty()) throw Invalid{"a file with an empty name", v.raw_json_token().data()};
      named = true;
    } else if (f.key() == "segments") {
      llvm_segments(f.value(), lines);
    } else if (f.key() == "summary") {
      tally = llvm_summary(f.value());
    }
  }
  if (!named) throw Invalid{"a file entry without \"filename\"", nullptr};
}

}  // namespace

// A large report on every core: the outline walk hands each entry of every "files" to the
// workers as it finds it (ParallelEntries, json_walker.hpp); its name is found by the parse.
std::optional<Coverage> parse_llvm_cov_in_parallel(std::string_view text, std::string_view name) noexcept try {
  ParallelEntries entries(text, name, kLlvmCov,
                          [](od::object file, Entry& e, LineBuffer& buf) { llvm_file(file, e.path, buf, e.tally); });
  Doc outline(text, name, kLlvmCov);
  bool has_data = false;
  auto walked = outline.root([&](std::string_view key, size_t) -> Result<void> {
    if (key != "data") return outline.skip_value();
    has_data = true;
    return outline.array("data", [&]() -> Result<void> {
      return outline.object("data", [&](std::string_view data_key, size_t) -> Result<void> {
        if (data_key != "files") return outline.skip_value();
        return outline.array("files", [&]() { return entries.push_object(outline); });
      });
    });
  });
  return entries.joined(walked && has_data);
} catch (...) {
  return std::nullopt;
}

Result<Coverage> parse_llvm_cov_json(std::string_view text, std::string_view name) {
  return parallel_or_one_pass(text, name, parse_llvm_cov_in_parallel, parse_llvm_cov_json_one_pass);
}

Result<Coverage> parse_llvm_cov_json_one_pass(std::string_view text, std::string_view name) {
  return guarded(name, [&]() -> Result<Coverage> {
    Doc doc(text, name, kLlvmCov);
    Coverage cov;
    LineBuffer buf;
    bool has_data = false;
    Result<void> walked = (doc.root([&](std::string_view key, size_t) -> Result<void> {
      if (key != "data") return doc.skip_value();
      has_data = true;
      return doc.array("an array after \"data\"", [&]() -> Result<void> {
        return doc.object("an object in \"data\"", [&](std::string_view data_key, size_t) -> Result<void> {
          if (data_key != "files") return doc.skip_value();
          return doc.array("an array of files after \"files\"", [&]() -> Result<void> {
            std::string path;
            std::optional<Tally> tally;
            ORCHKIT_CHECK(doc.parse_object([] { return std::string("an entry of \"files\""); },
                                           [&](od::object file) { llvm_file(file, path, buf, tally); }));
            LineSet lines;
            buf.flush_into(lines);
            add_file(cov, std::move(path), std::move(lines), tally);
            return {};
          });
        });
      });
    }));
    if (!walked) return fail(std::move(walked).error());
    if (!has_data) return doc.error_at(0, "no \"data\" in the report", doc.not_this_format());
    return cov;
  });
}

}  // namespace orchkit::coverage
