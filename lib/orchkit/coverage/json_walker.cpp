// The JSON walker's out-of-line parts: value readers, the SSE2 outline scan, and the Doc
// members that find where strings, containers and values end (json_walker.hpp says why).
#include "orchkit/coverage/json_walker.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <array>
#include <cstring>

#include "orchkit/coverage/hits.hpp"

namespace orchkit::coverage::json_walk {
namespace {

constexpr size_t kMaxDepth = 1024;  // as simdjson's default
constexpr std::string_view kTruncated = "the report is truncated; re-run the coverage command";

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

}  // namespace

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

// The last scalar of `raw` as a line number, if it is one.
std::optional<uint32_t> last_line(std::string_view raw) {
  const char* end = raw.data() + raw.size() - 1;  // the ']'
  while (end > raw.data() && is_space(end[-1])) --end;
  const char* start = end;
  while (start > raw.data() && is_token_char(start[-1])) --start;
  return parse_line_number(std::string_view(start, static_cast<size_t>(end - start)));
}

Unexpected Doc::error_at(size_t offset, std::string_view what, std::string_view hint) const {
  std::string h = hint.empty() ? (offset >= text_.size() ? std::string(kTruncated) : malformed()) : std::string(hint);
  return fail(Exit::error, locate(text_, offset, name_) + std::string(what) + " (" + h + ")");
}

std::string Doc::malformed() const {
  return "the report is malformed; re-create it with `" + std::string(flavour_.command) + "`";
}

std::string Doc::not_this_format() const {
  return "is this a " + std::string(flavour_.label) + " report? force the format with FILE@FORMAT";
}

// A key as the file name it is: unescaped, valid UTF-8, no control characters, not empty.
Result<std::string> Doc::file_name(std::string_view raw, size_t key_at) {
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

// One past the quote that closes the string opening at `from`.
Result<size_t> Doc::string_end(size_t from) const {
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
Result<size_t> Doc::container_end(size_t from) const {
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
Result<size_t> Doc::value_end(size_t from) const {
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

}  // namespace orchkit::coverage::json_walk
