// The JSON walker the JSON report formats share (json_coveragepy.cpp, json_gcovr.cpp,
// json_llvm_cov.cpp): an outline walker over a document's outer levels, simdjson On-Demand for
// one file entry at a time, and the small readers of values every format uses. Internal to those
// files (the public entry points are in parser.hpp); the only header besides json.hpp that
// includes simdjson.
//
// Why not one simdjson pass over the whole document: On-Demand's stage 1 indexes every structural
// character up front, 4 bytes each, and a report is mostly short numbers and commas, so the index
// alone would be ~2.5x the file and peak memory ~3.5x. Instead the outline walker (Doc below) reads
// the outer levels by hand — the root object, the list of files — and finds where each per-file
// value ends (balanced brackets, closed strings); simdjson then parses one file entry at a time,
// so its index stays the size of the largest file entry and hot in cache. Values orchkit does not
// read ("meta", "totals", llvm's "functions") are checked for balance only, as On-Demand itself
// skips them. The outline scan is a SSE2 search for quotes and brackets and costs far less than
// the parse; documents over 4 GiB work as long as no single file entry is (simdjson's limit).
//
// A UTF-8 byte order mark before the document is skipped: JSON forbids it (RFC 8259 §8.1), but
// Windows tools write one and it carries no meaning; the LCOV reader skips it too.
#pragma once

#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "orchkit/coverage/model.hpp"
#include "orchkit/coverage/parser.hpp"
#include "orchkit/result.hpp"
#include "orchkit/util/parallel.hpp"

namespace orchkit::coverage::json_walk {

namespace od = simdjson::ondemand;
using od::value;

// What the messages call the format and the command that writes it.
struct Flavour {
  std::string_view label;    // "coverage.py JSON"
  std::string_view command;  // "coverage json"
};

// A report that is valid JSON but not what the format says, thrown inside a file entry's walk
// and turned into an error by Doc::parse_object. `at` points into the document when known.
struct Invalid {
  std::string what;
  const char* at = nullptr;
  std::string hint = {};
};

std::string in_quotes(std::string_view s);
std::string_view trim_right(std::string_view s);
bool is_type_error(simdjson::error_code e);
// simdjson's description of a JSON error, as the middle of one of our messages.
std::string json_error(simdjson::error_code e);

// The value of a simdjson_result, or its error thrown (the exception API's conversion, spelled out).
template <class T>
inline T take(simdjson::simdjson_result<T>&& r) {
  T v;
  if (auto e = std::move(r).get(v)) throw simdjson::simdjson_error(e);
  return v;
}

// A type error on `v` becomes Invalid{what}; any other error is JSON syntax, described by simdjson.
inline void check(simdjson::error_code e, value& v, std::string_view what) {
  if (e == simdjson::SUCCESS) return;
  if (is_type_error(e)) throw Invalid{std::string(what), v.raw_json_token().data()};
  throw simdjson::simdjson_error(e);
}

od::array array_of(value v, std::string_view what);
od::object object_of(value v, std::string_view what);
std::string string_of(value v, std::string_view what);
uint64_t uint_of(value v, std::string_view what);
uint32_t line_of(value v, std::string_view what);
// A hit count as the report writes it; huge counts, floats and negatives as hits.hpp reads them.
bool hit_of(value v, std::string_view what);
// true/false, or a number (non-zero is true) as some converters write flags.
bool flag_of(value v, std::string_view what);
// true/false, or a number (non-zero is true), as a token of a flat array.
bool flag_token(std::string_view token, std::string_view what);

inline bool is_token_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '+' || c == '.';
}
inline bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The text of a flat array `[a, b, ...]` from its '[' to its ']', consumed. Its scalars are then
// read from the text (for_each_token) rather than element by element through On-Demand, which
// costs more than all the rest of the parse on the arrays of small numbers that make up most of a
// report; On-Demand still finds the array and where it ends.
std::string_view flat_array_text(value v, std::string_view not_array);

// token(t) for each scalar of `raw` (from flat_array_text) as written; a nested value or a string
// is an error. The closing ']' ends every scan; returns the position after it.
template <class F>
const char* for_each_token(std::string_view raw, std::string_view what, F&& token) {
  const char* p = raw.data() + 1;
  while (is_space(*p)) ++p;
  if (*p == ']') return p + 1;
  for (;;) {
    const char* start = p;
    while (is_token_char(*p)) ++p;
    if (p == start) throw Invalid{std::string(what) + ": expected a number or true/false", p};
    token(std::string_view(start, static_cast<size_t>(p - start)));
    while (is_space(*p)) ++p;
    if (*p == ']') return p + 1;
    if (*p != ',') throw Invalid{std::string(what) + ": expected ',' or ']'", p};
    ++p;
    while (is_space(*p)) ++p;
  }
}

// inner(text) for each element of `raw` — the text of an array of flat arrays (flat_array_text of
// the outer one), each element's text from its '[' on — and reads it with for_each_token, which
// returns where it ended. An element that is not an array is `not_array`; `what` names the list. Hand-scanned:
// On-Demand stepping into each small array cost more than the rest of the walk (llvm-cov's segments).
template <class F>
void for_each_flat_array(std::string_view raw, std::string_view what, std::string_view not_array, F&& inner) {
  const char* p = raw.data() + 1;
  const char* end = raw.data() + raw.size() - 1;  // the outer ']'
  while (p < end && is_space(*p)) ++p;
  if (p == end) return;
  for (;;) {
    if (*p != '[') throw Invalid{std::string(not_array), p};
    p = inner(std::string_view(p, static_cast<size_t>(end - p)));
    if (p > end) throw Invalid{std::string(not_array), end};  // the outer ']' closed an element
    while (p < end && is_space(*p)) ++p;
    if (p == end) return;
    if (*p != ',') throw Invalid{std::string(what) + ": expected ',' or ']'", p};
    ++p;
    while (p < end && is_space(*p)) ++p;
  }
}

// The last scalar of `raw` as a line number, if it is one.
std::optional<uint32_t> last_line(std::string_view raw);

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

// The document: the outline walker over its outer levels, and the simdjson parser for the
// file entries. Every error it returns is "<name>:<line>: <what> (<what to do>)".
class Doc {
 public:
  Doc(std::string_view text, std::string_view name, Flavour flavour) : text_(text), name_(name), flavour_(flavour) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  Unexpected error_at(size_t offset, std::string_view what, std::string_view hint = {}) const;
  std::string malformed() const;
  std::string not_this_format() const;

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
    return parse_object_at(start, end, std::forward<D>(describe), std::forward<F>(walk));
  }

  // As parse_object, for the object at [start, end) that an outline walk found (on another Doc
  // over the same text: each worker of a parallel read has its own parser). Leaves pos() at end.
  template <class D, class F>
  Result<void> parse_object_at(size_t start, size_t end, D&& describe, F&& walk) {
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
  Result<std::string> file_name(std::string_view raw, size_t key_at);

  size_t pos() const { return pos_; }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

 private:
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
  Result<size_t> string_end(size_t from) const;

  // One past the bracket that closes the container opening at `from`: brackets balanced and
  // matched, strings closed. The rest is left to simdjson, or skipped as On-Demand would.
  Result<size_t> container_end(size_t from) const;

  // One past the value at `from` (any JSON value).
  Result<size_t> value_end(size_t from) const;

  std::string_view text_;
  std::string_view name_;
  Flavour flavour_;
  size_t pos_ = 0;
  simdjson::ondemand::parser parser_;
};

// A file entry read whole, added to the coverage when its name is known.
void add_file(Coverage& cov, std::string path, LineSet&& lines, std::optional<Tally> tally);

// A file entry an outline walk found, parsed on a worker: where it is, and what it gave.
struct Entry {
  size_t start = 0, end = 0;
  std::string path = {};  // known from the walk (a key) or found by the parse (a field)
  LineSet lines = {};
  std::optional<Tally> tally = {};
  bool ok = false;
};

// File entries parsed on every core as the outline walk finds them: push_object() each; walk(file,
// entry, buffer) reads one on a worker with that worker's own Doc (its own simdjson parser) and
// LineBuffer (flushed into entry.lines after); joined() gives them in document order, all parsed,
// or nullopt (the caller then reads the report in one pass, for its exact message).
class ParallelEntries {
 public:
  using Walk = std::function<void(od::object file, Entry& e, LineBuffer& buf)>;
  ParallelEntries(std::string_view text, std::string_view name, Flavour flavour, Walk walk)
      : workers_(parallel_workers()), feed_([this, text, name, flavour, walk = std::move(walk)](Entry& e, size_t w) {
          try {
            Worker& me = workers_[w];
            if (!me.doc) me.doc.emplace(text, name, flavour);
            e.ok = static_cast<bool>(me.doc->parse_object_at(
                e.start, e.end, [] { return std::string(); }, [&](od::object file) { walk(file, e, me.buf); }));
            me.buf.flush_into(e.lines);
          } catch (...) {  // out of memory: e.ok stays false
          }
        }) {}

  // The object at the outline's position, handed to the workers and skipped; `path` when the
  // walk knows it (a key). Anything but an object is an error (one pass will say which).
  Result<void> push_object(Doc& outline, std::string path = {}) {
    if (outline.peek() != '{') return fail(Exit::error, "not an object");
    const size_t start = outline.pos();
    ORCHKIT_CHECK(outline.skip_value());
    feed_.push(Entry{start, outline.pos(), std::move(path)});
    return {};
  }

  // The coverage of every entry, added in document order as one pass adds them (add_file), or
  // nullopt when the outline walk (`walked`) or any entry failed.
  std::optional<Coverage> joined(bool walked) {
    std::deque<Entry>& entries = feed_.finish();
    if (!walked) return std::nullopt;
    Coverage cov;
    for (Entry& e : entries) {
      if (!e.ok) return std::nullopt;
      add_file(cov, std::move(e.path), std::move(e.lines), e.tally);
    }
    return cov;
  }

 private:
  struct Worker {
    std::optional<Doc> doc = {};  // made on the worker's first entry
    LineBuffer buf = {};          // reused from entry to entry
  };
  std::vector<Worker> workers_;
  Feed<Entry> feed_;  // after workers_: its threads are joined before workers_ goes
};

// A JSON report read by `parallel` (nullopt: declined) past kParallelMinBytes on more than one
// core, else — and whenever it declines — by `one_pass`, which gives every error.
template <class Parallel, class OnePass>
Result<Coverage> parallel_or_one_pass(std::string_view text, std::string_view name, Parallel&& parallel,
                                      OnePass&& one_pass) {
  if (text.size() >= kParallelMinBytes && parallel_workers() > 1)
    if (auto cov = parallel(text, name)) return std::move(*cov);
  return one_pass(text, name);
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

}  // namespace orchkit::coverage::json_walk
