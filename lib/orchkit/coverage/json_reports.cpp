// The JSON report formats: coverage.py JSON, gcovr JSON and llvm-cov export JSON, read with
// simdjson On-Demand without copying the document.
//
// Why not one simdjson pass over the whole document: On-Demand's stage 1 indexes every structural
// character up front, 4 bytes each, and a report is mostly short numbers and commas, so the index
// alone would be ~2.5x the file and peak memory ~3.5x. Instead an outline walker (Doc below) reads
// the outer levels by hand — the root object, the list of files — and finds where each per-file
// value ends (balanced brackets, closed strings); simdjson then parses one file entry at a time,
// so its index stays the size of the largest file entry and hot in cache. Values orchkit does not
// read ("meta", "totals", llvm's "functions") are checked for balance only, as On-Demand itself
// skips them. The outline scan is a SSE2 search for quotes and brackets and costs far less than
// the parse; documents over 4 GiB work as long as no single file entry is (simdjson's limit).
//
// Rules, per format (docs/formats.md):
// - coverage.py: per file, executed_lines are covered and missing_lines are not, except executed
//   lines that are also in excluded_lines (a "# pragma: no cover" def runs when its class is
//   defined; coverage.py lists it as executed). Branches, contexts, "functions"/"classes"
//   (coverage.py 7) and percent_covered (which mixes in branches) are ignored. The totals are
//   coverage.py's covered_lines / num_statements, which those records give, with one exception:
//   coverage.py also lists executed docstrings as executed lines although they are not statements
//   (issues #1900, #2105; true of Debian's 6.5), and only the source could tell them apart. When
//   the file's summary agrees with missing_lines (num_statements - covered_lines = their count)
//   but counts fewer covered lines than the records, its {covered_lines, num_statements} is the
//   file's tally; the line records (for patch coverage) keep the docstring lines as covered. A
//   file entry without executed_lines or missing_lines is an error even when it has a summary:
//   coverage is counted from per-line records (SPEC §5), and every coverage.py since 5.0 writes
//   both, so such an entry was not written by `coverage json`.
// - gcovr: per file, every "lines" record except "gcovr/noncode": true ones (gcovr's own rule for
//   line totals; excluded lines are written as noncode); covered if its count > 0. A line number
//   that appears twice is one line, covered if any record is (gcovr's merge sums the counts).
// - llvm-cov export: per-file totals are the file's summary.lines {covered, count} (llvm-cov's
//   own line rule, which counts a line once per function that maps it), kept as the file's tally;
//   per-line records are derived from the segments for patch coverage, following LLVM 14's
//   LineCoverageStats (see LlvmLines). A file without a summary counts its derived lines. Several
//   "data" entries, or a file named twice, merge: lines by union, and the tally is dropped.
// - A UTF-8 byte order mark before the document is skipped: JSON forbids it (RFC 8259 §8.1), but
//   Windows tools write one and it carries no meaning; the LCOV reader skips it too.
#include <simdjson.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "orchkit/coverage/hits.hpp"
#include "orchkit/coverage/parser.hpp"

namespace orchkit::coverage {
namespace {

namespace od = simdjson::ondemand;
using od::value;

constexpr size_t kMaxDepth = 1024;  // as simdjson's default
constexpr std::string_view kTruncated = "the report is truncated; re-run the coverage command";

// What the messages call the format and the command that writes it.
struct Flavour {
  std::string_view label;    // "coverage.py JSON"
  std::string_view command;  // "coverage json"
};
constexpr Flavour kCoveragePy{"coverage.py JSON", "coverage json"};
constexpr Flavour kGcovr{"gcovr JSON", "gcovr --json"};
constexpr Flavour kLlvmCov{"llvm-cov export JSON", "llvm-cov export -format=text"};

// A report that is valid JSON but not what the format says, thrown inside a file entry's walk
// and turned into an error by Doc::parse_object. `at` points into the document when known.
struct Invalid {
  std::string what;
  const char* at = nullptr;
  std::string hint = {};
};

std::string in_quotes(std::string_view s) {
  constexpr size_t kShown = 40;
  if (s.size() > kShown) return "'" + std::string(s.substr(0, kShown)) + "...'";
  return "'" + std::string(s) + "'";
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool is_type_error(simdjson::error_code e) {
  return e == simdjson::INCORRECT_TYPE || e == simdjson::NUMBER_ERROR || e == simdjson::NUMBER_OUT_OF_RANGE ||
         e == simdjson::STRING_ERROR || e == simdjson::T_ATOM_ERROR || e == simdjson::F_ATOM_ERROR ||
         e == simdjson::N_ATOM_ERROR;
}

// simdjson's description of a JSON error, as the middle of one of our messages.
std::string json_error(simdjson::error_code e) {
  std::string m = simdjson::error_message(e);
  if (!m.empty() && m[0] >= 'A' && m[0] <= 'Z' && !(m.size() > 1 && m[1] >= 'A' && m[1] <= 'Z'))
    m[0] = static_cast<char>(m[0] - 'A' + 'a');
  return "invalid JSON: " + m;
}

// The value of a simdjson_result, or its error thrown (the exception API's conversion, spelled out).
template <class T>
T take(simdjson::simdjson_result<T>&& r) {
  T v;
  if (auto e = std::move(r).get(v)) throw simdjson::simdjson_error(e);
  return v;
}

// A type error on `v` becomes Invalid{what}; any other error is JSON syntax, described by simdjson.
void check(simdjson::error_code e, value& v, std::string_view what) {
  if (e == simdjson::SUCCESS) return;
  if (is_type_error(e)) throw Invalid{std::string(what), v.raw_json_token().data()};
  throw simdjson::simdjson_error(e);
}

od::array array_of(value v, std::string_view what) {
  od::array a;
  check(v.get_array().get(a), v, what);
  return a;
}

od::object object_of(value v, std::string_view what) {
  od::object o;
  check(v.get_object().get(o), v, what);
  return o;
}

std::string string_of(value v, std::string_view what) {
  std::string_view s;
  check(v.get_string().get(s), v, what);
  return std::string(s);
}

uint64_t uint_of(value v, std::string_view what) {
  uint64_t n = 0;
  check(v.get_uint64().get(n), v, what);
  return n;
}

uint32_t line_of(value v, std::string_view what) {
  uint64_t n = 0;
  auto e = v.get_uint64().get(n);
  if (e == simdjson::SUCCESS && n <= 0xFFFFFFFFull) return static_cast<uint32_t>(n);
  if (e != simdjson::SUCCESS && !is_type_error(e)) throw simdjson::simdjson_error(e);
  std::string_view token = trim_right(v.raw_json_token());
  throw Invalid{std::string(what) + " holds " + in_quotes(token) + ", not a line number", token.data()};
}

// A hit count as the report writes it; huge counts, floats and negatives as hits.hpp reads them.
bool hit_of(value v, std::string_view what) {
  std::string_view token = trim_right(v.raw_json_token());
  auto covered = hit_is_covered(token);
  if (!covered) throw Invalid{std::string(what) + " " + in_quotes(token) + " is not a number", token.data()};
  return *covered;
}

// true/false, or a number (non-zero is true) as some converters write flags.
bool flag_of(value v, std::string_view what) {
  bool b = false;
  if (v.get_bool().get(b) == simdjson::SUCCESS) return b;
  int64_t n = 0;
  check(v.get_int64().get(n), v, what);
  return n != 0;
}

// true/false, or a number (non-zero is true), as a token of a flat array.
bool flag_token(std::string_view token, std::string_view what) {
  if (token == "true") return true;
  if (token == "false") return false;
  auto nonzero = hit_is_covered(token.substr(token.substr(0, 1) == "-" ? 1 : 0));
  if (!nonzero) throw Invalid{std::string(what) + " " + in_quotes(token) + " is not true or false", token.data()};
  return *nonzero;
}

bool is_token_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '+' || c == '.';
}
bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The text of a flat array `[a, b, ...]` from its '[' to its ']', consumed. Its scalars are then
// read from the text (for_each_token) rather than element by element through On-Demand, which
// costs more than all the rest of the parse on the arrays of small numbers that make up most of a
// report; On-Demand still finds the array and where it ends.
std::string_view flat_array_text(value v, std::string_view not_array) {
  od::json_type type = od::json_type::null;
  check(v.type().get(type), v, not_array);
  const char* open = v.raw_json_token().data();
  if (type != od::json_type::array) throw Invalid{std::string(not_array), open};
  const char* p = open + 1;
  while (is_space(*p)) ++p;
  if (*p == ']') return {open, static_cast<size_t>(p + 1 - open)};  // empty: On-Demand skips it
  od::array a = take(v.get_array());
  std::string_view raw = trim_right(take(a.raw_json()));
  if (raw.size() < 2 || raw.back() != ']') throw Invalid{std::string(not_array), open};
  return raw;
}

// token(t) for each scalar of `raw` (from flat_array_text) as written; a nested value or a string
// is an error. The closing ']' ends every scan.
template <class F>
void for_each_token(std::string_view raw, std::string_view what, F&& token) {
  const char* p = raw.data() + 1;
  while (is_space(*p)) ++p;
  if (*p == ']') return;
  for (;;) {
    const char* start = p;
    while (is_token_char(*p)) ++p;
    if (p == start) throw Invalid{std::string(what) + ": expected a number or true/false", p};
    token(std::string_view(start, static_cast<size_t>(p - start)));
    while (is_space(*p)) ++p;
    if (*p == ']') return;
    if (*p != ',') throw Invalid{std::string(what) + ": expected ',' or ']'", p};
    ++p;
    while (is_space(*p)) ++p;
  }
}

// The last scalar of `raw` as a line number, if it is one.
std::optional<uint32_t> last_line(std::string_view raw) {
  const char* end = raw.data() + raw.size() - 1;  // the ']'
  while (end > raw.data() && is_space(end[-1])) --end;
  const char* start = end;
  while (start > raw.data() && is_token_char(start[-1])) --start;
  return parse_line_number(std::string_view(start, static_cast<size_t>(end - start)));
}

// Line records of one file entry, added to its LineSet largest line first: LineSet grows its
// bitset by doubling, so adding in ascending order (as reports are written) would leave up to
// half of it unused, and peak memory counts. The buffer is reused from file to file.
class LineBuffer {
 public:
  void add(uint32_t line, bool covered) {
    records_.push_back(uint64_t{line} << 1 | (covered ? 1u : 0u));
    if (line < LineSet::kDenseLimit) dense_top_ = std::max(dense_top_, uint64_t{line} + 1);
  }

  void flush_into(LineSet& lines) {
    if (dense_top_ > 0) lines.add(static_cast<uint32_t>(dense_top_ - 1), false);  // a real record: covered ORs in below
    for (uint64_t r : records_) lines.add(static_cast<uint32_t>(r >> 1), (r & 1u) != 0);
    records_.clear();
    dense_top_ = 0;
  }

 private:
  std::vector<uint64_t> records_;
  uint64_t dense_top_ = 0;  // 1 + the largest line below LineSet::kDenseLimit, 0 if none
};

// First byte at or after `i` that is a quote or a bracket, or `n`. Most of a report is numbers,
// commas and spaces, so the SSE2 path looks at 64 bytes per step.
size_t next_special(const char* p, size_t i, size_t n) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i case_bit = _mm_set1_epi8(0x20);
  const __m128i opener = _mm_set1_epi8(0x7B);  // '{', and '[' with the case bit set
  const __m128i closer = _mm_set1_epi8(0x7D);  // '}', and ']' with the case bit set
  auto special16 = [&](size_t at) -> uint64_t {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
    __m128i t = _mm_or_si128(v, case_bit);
    __m128i m =
        _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_or_si128(_mm_cmpeq_epi8(t, opener), _mm_cmpeq_epi8(t, closer)));
    return static_cast<unsigned>(_mm_movemask_epi8(m));
  };
  for (; i + 64 <= n; i += 64) {
    __builtin_prefetch(p + i + 2048);
    uint64_t mask = special16(i) | special16(i + 16) << 16 | special16(i + 32) << 32 | special16(i + 48) << 48;
    if (mask) return i + static_cast<size_t>(__builtin_ctzll(mask));
  }
  for (; i + 16 <= n; i += 16) {
    uint64_t mask = special16(i);
    if (mask) return i + static_cast<size_t>(__builtin_ctzll(mask));
  }
#endif
  for (; i < n; ++i) {
    char c = static_cast<char>(p[i] | 0x20);
    if (p[i] == '"' || c == '{' || c == '}') return i;
  }
  return n;
}

// The document: the outline walker over its outer levels, and the simdjson parser for the
// file entries. Every error it returns is "<name>:<line>: <what> (<what to do>)".
class Doc {
 public:
  Doc(std::string_view text, std::string_view name, Flavour flavour) : text_(text), name_(name), flavour_(flavour) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  Unexpected error_at(size_t offset, std::string_view what, std::string_view hint = {}) const {
    std::string h = hint.empty() ? (offset >= text_.size() ? std::string(kTruncated) : malformed()) : std::string(hint);
    return fail(Exit::error, locate(text_, offset, name_) + std::string(what) + " (" + h + ")");
  }
  std::string malformed() const {
    return "the report is malformed; re-create it with `" + std::string(flavour_.command) + "`";
  }
  std::string not_this_format() const {
    return "is this a " + std::string(flavour_.label) + " report? force the format with FILE@FORMAT";
  }

  // The root: an object, and nothing after it.
  template <class F>
  Result<void> root(F&& member) {
    ws();
    if (pos_ >= text_.size()) return error_at(pos_, "the report is empty", "re-run the coverage command");
    if (peek() != '{') return error_at(pos_, "expected a JSON object", not_this_format());
    ORCHKIT_CHECK(object("", std::forward<F>(member)));
    ws();
    if (pos_ < text_.size()) return error_at(pos_, "unexpected text after the report", malformed());
    return {};
  }

  // An object whose members `member(raw_key, key_offset)` reads; it must consume the value.
  template <class F>
  Result<void> object(std::string_view what, F&& member) {
    ws();
    if (peek() != '{') return error_at(pos_, "expected " + std::string(what));
    ++pos_;
    for (bool first = true;; first = false) {
      ws();
      if (peek() == '}') {
        ++pos_;
        return {};
      }
      if (!first) {
        if (peek() != ',') return error_at(pos_, "expected ',' or '}'");
        ++pos_;
        ws();
      }
      if (peek() != '"') return error_at(pos_, "expected a key in quotes");
      size_t key_at = pos_;
      ORCHKIT_TRY(key_end, string_end(pos_));
      pos_ = key_end;
      ws();
      if (peek() != ':') return error_at(pos_, "expected ':'");
      ++pos_;
      ws();
      ORCHKIT_CHECK(member(text_.substr(key_at + 1, key_end - key_at - 2), key_at));
    }
  }

  // An array whose elements `element()` reads; it must consume the value.
  template <class F>
  Result<void> array(std::string_view what, F&& element) {
    ws();
    if (peek() != '[') return error_at(pos_, "expected " + std::string(what));
    ++pos_;
    for (bool first = true;; first = false) {
      ws();
      if (peek() == ']') {
        ++pos_;
        return {};
      }
      if (!first) {
        if (peek() != ',') return error_at(pos_, "expected ',' or ']'");
        ++pos_;
        ws();
      }
      ORCHKIT_CHECK(element());
    }
  }

  Result<void> skip_value() {
    ORCHKIT_TRY(end, value_end(pos_));
    pos_ = end;
    return {};
  }

  // The object at the current position, parsed by simdjson: walk(object) reads it, throwing
  // Invalid or simdjson_error on bad input. describe() names it for messages.
  template <class D, class F>
  Result<void> parse_object(D&& describe, F&& walk) {
    if (peek() != '{') return error_at(pos_, "expected an object for " + describe());
    size_t start = pos_;
    ORCHKIT_TRY(end, container_end(start));
    size_t len = end - start;
    if (len > parser_.max_capacity())
      return error_at(start, describe() + " is larger than 4 GiB, the JSON parser's limit", "split the report");
    if (parser_.capacity() < len) {
      size_t cap = std::min(parser_.max_capacity(), std::max({len, parser_.capacity() * 2, size_t{1} << 16}));
      if (auto e = parser_.allocate(cap))
        return error_at(start, describe() + ": " + simdjson::error_message(e), "is there enough memory?");
    }
    od::document d;
    simdjson::padded_string_view view(text_.data() + start, len, text_.size() + kJsonPadding - start);
    if (auto e = parser_.iterate(view).get(d)) return error_at(start, json_error(e), malformed());
    try {
      od::object o;
      if (auto e = d.get_object().get(o)) throw simdjson::simdjson_error(e);
      walk(o);
    } catch (const Invalid& bad) {
      size_t at = bad.at ? offset_of(bad.at, start) : start;
      return error_at(at, bad.what, bad.hint.empty() ? malformed() : bad.hint);
    } catch (const simdjson::simdjson_error& e) {
      const char* loc = nullptr;
      size_t at = d.current_location().get(loc) == simdjson::SUCCESS ? offset_of(loc, start) : end;
      return error_at(at, json_error(e.error()), malformed());
    }
    pos_ = end;
    return {};
  }

  // A key as the file name it is: unescaped, valid UTF-8, no control characters, not empty.
  Result<std::string> file_name(std::string_view raw, size_t key_at) {
    std::string name(raw);
    if (raw.find('\\') != std::string_view::npos) {
      od::document d;
      std::string_view s;
      simdjson::padded_string_view view(text_.data() + key_at, raw.size() + 2, text_.size() + kJsonPadding - key_at);
      if (parser_.iterate(view).get(d) || d.get_string().get(s))
        return error_at(key_at, "the file name " + in_quotes(raw) + " is not a valid JSON string", malformed());
      name = s;
    } else if (!simdjson::validate_utf8(raw.data(), raw.size())) {
      return error_at(key_at, "the file name " + in_quotes(raw) + " is not valid UTF-8", malformed());
    }
    if (name.empty()) return error_at(key_at, "a file with an empty name", malformed());
    for (char c : name)
      if (static_cast<unsigned char>(c) < 0x20)
        return error_at(key_at, "a file name with a control character", malformed());
    return name;
  }

 private:
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  void ws() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\r' || text_[pos_] == '\t'))
      ++pos_;
  }

  size_t offset_of(const char* p, size_t fallback) const {
    if (p < text_.data() || p > text_.data() + text_.size()) return fallback;
    return static_cast<size_t>(p - text_.data());
  }

  // One past the quote that closes the string opening at `from`.
  Result<size_t> string_end(size_t from) const {
    const char* p = text_.data();
    size_t k = from + 1;
    for (;;) {
      const void* q = k < text_.size() ? std::memchr(p + k, '"', text_.size() - k) : nullptr;
      if (!q) return error_at(text_.size(), "the report ends inside a string");
      size_t at = static_cast<size_t>(static_cast<const char*>(q) - p);
      size_t backslashes = 0;
      while (at - backslashes > from + 1 && p[at - backslashes - 1] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return at + 1;
      k = at + 1;
    }
  }

  // One past the bracket that closes the container opening at `from`: brackets balanced and
  // matched, strings closed. The rest is left to simdjson, or skipped as On-Demand would.
  Result<size_t> container_end(size_t from) const {
    const char* p = text_.data();
    const size_t n = text_.size();
    std::array<uint64_t, kMaxDepth / 64> braces{};  // bit d: the container at depth d is an object
    size_t depth = 0;
    for (size_t i = from;;) {
      i = next_special(p, i, n);
      if (i >= n) return error_at(n, "the report ends inside brackets");
      char c = p[i];
      if (c == '"') {
        ORCHKIT_TRY(end, string_end(i));
        i = end;
        continue;
      }
      if (c == '{' || c == '[') {
        if (depth == kMaxDepth) return error_at(i, "brackets nested deeper than 1024 levels", malformed());
        uint64_t bit = uint64_t{1} << (depth % 64);
        braces[depth / 64] = c == '{' ? braces[depth / 64] | bit : braces[depth / 64] & ~bit;
        ++depth;
      } else {
        --depth;
        bool brace = (braces[depth / 64] >> (depth % 64)) & 1u;
        if (brace != (c == '}'))
          return error_at(i, std::string("expected '") + (brace ? '}' : ']') + "' but found '" + c + "'");
        if (depth == 0) return i + 1;
      }
      ++i;
    }
  }

  // One past the value at `from` (any JSON value).
  Result<size_t> value_end(size_t from) const {
    char c = from < text_.size() ? text_[from] : '\0';
    if (c == '{' || c == '[') return container_end(from);
    if (c == '"') return string_end(from);
    size_t i = from;
    while (i < text_.size() && !std::strchr(" \t\r\n,:]}[{\"", text_[i])) ++i;
    std::string_view token = text_.substr(from, i - from);
    if (token.empty()) return error_at(from, "expected a value");
    if (token != "true" && token != "false" && token != "null" && !hit_is_covered(token))
      return error_at(from, in_quotes(token) + " is not a JSON value");
    return i;
  }

  std::string_view text_;
  std::string_view name_;
  Flavour flavour_;
  size_t pos_ = 0;
  simdjson::ondemand::parser parser_;
};

// A file entry read whole, added to the coverage when its name is known.
void add_file(Coverage& cov, std::string path, LineSet&& lines, std::optional<Tally> tally) {
  auto [it, inserted] = cov.files.try_emplace(std::move(path));
  if (inserted) {
    it->second.lines = std::move(lines);
    it->second.tally = tally;
  } else {
    it->second.lines.merge(lines);
    it->second.tally.reset();
  }
}

// ---- coverage.py ----

// for_each_token and parse_line_number in one pass, calling line(n) for each: this loop is where a
// coverage.py report spends most of its time.
template <class F>
void for_each_line_number(std::string_view raw, std::string_view field, const std::string& path, F&& line) {
  auto what = [&] { return "\"" + std::string(field) + "\" of " + in_quotes(path); };
  const char* p = raw.data() + 1;
  while (is_space(*p)) ++p;
  if (*p == ']') return;
  for (;;) {
    const char* start = p;
    uint64_t n = 0;  // wraps on a very long token, which the length check rejects
    while (static_cast<unsigned char>(*p - '0') < 10) n = n * 10 + static_cast<unsigned>(*p++ - '0');
    if (p == start || p - start > 10 || is_token_char(*p) || n > 0xFFFFFFFFull) {
      if (p == start && !is_token_char(*p)) throw Invalid{what() + ": expected a line number", p};
      while (is_token_char(*p)) ++p;
      std::string_view token(start, static_cast<size_t>(p - start));
      throw Invalid{what() + " holds " + in_quotes(token) + ", not a line number", start};
    }
    line(static_cast<uint32_t>(n));
    if (p[0] == ',' && p[1] == ' ' && p[2] != ' ') {  // json.dump's separator, the common case
      p += 2;
      continue;
    }
    while (is_space(*p)) ++p;
    if (*p == ']') return;
    if (*p != ',') throw Invalid{what() + ": expected ',' or ']'", p};
    ++p;
    while (is_space(*p)) ++p;
  }
}

// coverage.py's own counts for a file, when its summary has them.
struct PySummary {
  uint64_t covered = 0;     // covered_lines
  uint64_t statements = 0;  // num_statements
};

std::optional<PySummary> coveragepy_summary(value v) {
  od::object o;
  if (v.get_object().get(o) != simdjson::SUCCESS) return std::nullopt;
  std::optional<uint64_t> covered, statements;
  for (auto member : o) {
    od::field f = take(std::move(member));
    uint64_t n = 0;
    if (f.key() == "covered_lines" && f.value().get_uint64().get(n) == simdjson::SUCCESS) covered = n;
    else if (f.key() == "num_statements" && f.value().get_uint64().get(n) == simdjson::SUCCESS) statements = n;
  }
  if (!covered || !statements) return std::nullopt;
  return PySummary{*covered, *statements};
}

// One file entry into `lines`; returns the file's tally when its line records cannot give
// coverage.py's totals (see the rules at the top).
std::optional<Tally> coveragepy_file(od::object file, const std::string& path, LineSet& lines) {
  std::optional<std::string_view> executed, missing;
  std::string_view excluded_raw = "[]";
  std::optional<PySummary> summary;
  for (auto member : file) {
    od::field f = take(std::move(member));
    std::string_view field;
    if (f.key() == "executed_lines") field = "executed_lines";
    else if (f.key() == "missing_lines") field = "missing_lines";
    else if (f.key() == "excluded_lines") field = "excluded_lines";
    else if (f.key() == "summary") summary = coveragepy_summary(f.value());
    if (field.empty()) continue;
    value v = f.value();
    od::json_type type = od::json_type::null;
    check(v.type().get(type), v, "a line array");
    if (type != od::json_type::array)
      throw Invalid{"\"" + std::string(field) + "\" of " + in_quotes(path) + " is not an array",
                    v.raw_json_token().data()};
    std::string_view raw = flat_array_text(v, "a line array");
    if (field == "executed_lines") executed = raw;
    else if (field == "missing_lines") missing = raw;
    else excluded_raw = raw;
  }
  if (!executed || !missing)
    throw Invalid{in_quotes(path) + " has no \"" + (executed ? "missing_lines" : "executed_lines") + "\"", nullptr,
                  "line coverage is counted from executed_lines and missing_lines, never from a summary; "
                  "re-create the report with `coverage json`"};

  // coverage.py lists executed lines that are not statements when they are excluded ("# pragma:
  // no cover" on a def that runs) or docstrings; excluded ones are dropped here.
  std::vector<uint32_t> excluded;
  for_each_line_number(excluded_raw, "excluded_lines", path, [&](uint32_t n) { excluded.push_back(n); });
  std::sort(excluded.begin(), excluded.end());
  auto is_excluded = [&](uint32_t n) {
    return !excluded.empty() && std::binary_search(excluded.begin(), excluded.end(), n);
  };

  // coverage.py writes the arrays sorted: adding the largest line first sizes the bitset once
  // (LineSet grows by doubling, and peak memory counts). It is a real record, so adding it as
  // not covered is undone below if it is covered.
  std::optional<uint32_t> top = last_line(*missing), last_executed = last_line(*executed);
  if (last_executed && !is_excluded(*last_executed)) top = std::max(top, last_executed);
  if (top) lines.add(*top, false);

  uint64_t covered = 0, not_covered = 0;
  for_each_line_number(*executed, "executed_lines", path, [&](uint32_t n) {
    if (is_excluded(n)) return;
    lines.add(n, true);
    ++covered;
  });
  for_each_line_number(*missing, "missing_lines", path, [&](uint32_t n) {
    lines.add(n, false);
    ++not_covered;
  });
  // Executed docstrings cannot be told from statements without the source: when the summary
  // agrees with missing_lines but counts fewer covered lines, its counts are coverage.py's totals.
  if (summary && summary->statements >= summary->covered && summary->statements - summary->covered == not_covered &&
      summary->covered < covered)
    return Tally{summary->covered, summary->statements};
  return std::nullopt;
}

// ---- gcovr ----

void gcovr_lines(value v, LineBuffer& lines) {
  for (auto element : array_of(v, "\"lines\" is not an array")) {
    value entry = take(std::move(element));
    const char* at = entry.raw_json_token().data();
    std::optional<uint32_t> number;
    std::optional<bool> covered;
    bool noncode = false;
    for (auto member : object_of(entry, "an entry of \"lines\" is not an object")) {
      od::field f = take(std::move(member));
      if (f.key() == "line_number") number = line_of(f.value(), "\"line_number\"");
      else if (f.key() == "count") covered = hit_of(f.value(), "\"count\"");
      else if (f.key() == "gcovr/noncode") noncode = flag_of(f.value(), "\"gcovr/noncode\" is not true or false");
    }
    if (!number) throw Invalid{"a line without \"line_number\"", at};
    if (!covered) throw Invalid{"a line without \"count\"", at};
    if (!noncode) lines.add(*number, *covered);
  }
}

void gcovr_file(od::object file, std::string& path, LineBuffer& lines) {
  bool named = false;
  for (auto member : file) {
    od::field f = take(std::move(member));
    if (f.key() == "file") {
      value v = f.value();
      path = string_of(v, "\"file\" is not a string");
      if (path.empty()) throw Invalid{"a file with an empty name", v.raw_json_token().data()};
      named = true;
    } else if (f.key() == "lines") {
      gcovr_lines(f.value(), lines);
    }
  }
  if (!named) throw Invalid{"a file entry without \"file\"", nullptr};
}

// ---- llvm-cov ----

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
  for (auto element : array_of(v, "\"segments\" is not an array")) {
    value segment = take(std::move(element));
    const char* at = segment.raw_json_token().data();
    std::array<std::string_view, 6> part;
    size_t n = 0;
    for_each_token(flat_array_text(segment, "a segment is not an array"), "a segment", [&](std::string_view token) {
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
  }
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

// Runs a parser; what escapes it (out of memory) becomes an error naming the report.
template <class F>
Result<Coverage> guarded(std::string_view name, F&& parse) {
  try {
    return parse();
  } catch (const std::bad_alloc&) {
    return fail(Exit::error, std::string(name) + ": out of memory reading the report (is it a coverage report?)");
  } catch (const std::exception& e) {
    return fail(Exit::error, std::string(name) + ": " + e.what() + " (the report is malformed)");
  }
}

}  // namespace

Result<Coverage> parse_coveragepy_json(std::string_view text, std::string_view name) {
  return guarded(name, [&]() -> Result<Coverage> {
    Doc doc(text, name, kCoveragePy);
    Coverage cov;
    bool has_files = false;
    Result<void> walked = (doc.root([&](std::string_view key, size_t) -> Result<void> {
      if (key != "files") return doc.skip_value();
      has_files = true;
      return doc.object("an object of files after \"files\"", [&](std::string_view raw, size_t at) -> Result<void> {
        ORCHKIT_TRY(path, doc.file_name(raw, at));
        bool named_before = cov.files.count(path) != 0;
        FileCoverage& fc = cov.file(path);
        std::optional<Tally> tally;
        ORCHKIT_CHECK(doc.parse_object([&] { return "the entry of " + in_quotes(path); },
                                       [&](od::object file) { tally = coveragepy_file(file, path, fc.lines); }));
        if (named_before) fc.tally.reset();  // a file named twice merges: lines count
        else fc.tally = tally;
        return {};
      });
    }));
    if (!walked) return fail(std::move(walked).error());
    if (!has_files) return doc.error_at(0, "no \"files\" in the report", doc.not_this_format());
    return cov;
  });
}

Result<Coverage> parse_gcovr_json(std::string_view text, std::string_view name) {
  return guarded(name, [&]() -> Result<Coverage> {
    Doc doc(text, name, kGcovr);
    Coverage cov;
    LineBuffer buf;
    bool has_files = false;
    Result<void> walked = (doc.root([&](std::string_view key, size_t) -> Result<void> {
      if (key != "files") return doc.skip_value();
      has_files = true;
      return doc.array("an array of files after \"files\"", [&]() -> Result<void> {
        std::string path;
        ORCHKIT_CHECK(doc.parse_object([] { return std::string("an entry of \"files\""); },
                                       [&](od::object file) { gcovr_file(file, path, buf); }));
        LineSet lines;
        buf.flush_into(lines);
        add_file(cov, std::move(path), std::move(lines), std::nullopt);
        return {};
      });
    }));
    if (!walked) return fail(std::move(walked).error());
    if (!has_files) return doc.error_at(0, "no \"files\" in the report", doc.not_this_format());
    return cov;
  });
}

Result<Coverage> parse_llvm_cov_json(std::string_view text, std::string_view name) {
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
