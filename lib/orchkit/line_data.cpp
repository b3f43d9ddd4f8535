#include "orchkit/line_data.hpp"

#include <bit>
#include <charconv>
#include <cstring>
#include <vector>

#include "orchkit/util/gzip.hpp"

namespace orchkit::line_data {

namespace {

constexpr std::string_view kMagic = "orchkit-lines 1";
constexpr std::string_view kMagic2 = "orchkit-lines 2";
constexpr size_t kMaxWords = coverage::LineSet::kDenseLimit / 64;
constexpr size_t kMaxText = size_t{1} << 32;  // 4 GiB of text: far beyond any real report

void escaped(std::string& out, std::string_view path) {
  for (char c : path) {
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
}

std::optional<std::string> unescaped(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out += s[i];
      continue;
    }
    if (++i == s.size()) return std::nullopt;
    if (s[i] == '\\') out += '\\';
    else if (s[i] == 't') out += '\t';
    else if (s[i] == 'n') out += '\n';
    else return std::nullopt;
  }
  return out;
}

void run(std::string& out, uint64_t gap, uint64_t len, bool covered) {
  char buf[48];
  char* p = std::to_chars(buf, buf + 20, gap).ptr;
  *p++ = '+';
  p = std::to_chars(p, p + 20, len).ptr;
  *p++ = covered ? 'c' : 'u';
  *p++ = ' ';
  out.append(buf, static_cast<size_t>(p - buf));
}

// The runs of one file: consecutive measured lines of one state, as "<gap>+<length><c|u> ".
// The dense words are read a run piece at a time (bit tricks, not a call per line).
class Runs {
 public:
  explicit Runs(std::string& out) : out_(out) {}

  void add(uint64_t line, uint64_t len, bool covered) {
    if (len_ > 0 && line == start_ + len_ && covered == covered_) {
      len_ += len;
      return;
    }
    flush();
    start_ = line, len_ = len, covered_ = covered;
  }

  void flush() {
    if (len_ == 0) return;
    run(out_, start_ - next_, len_, covered_);
    next_ = start_ + len_;
    len_ = 0;
  }

  void words(const std::vector<uint64_t>& measured, const std::vector<uint64_t>& covered) {
    for (size_t w = 0; w < measured.size(); ++w) {
      uint64_t m = measured[w];
      const uint64_t c = covered[w];
      while (m) {
        const unsigned b = static_cast<unsigned>(__builtin_ctzll(m));
        const bool cv = ((c >> b) & 1u) != 0;
        const uint64_t same = (cv ? c : ~c) & m;  // still to emit, in this state
        const uint64_t ahead = ~(same >> b);      // its first zero ends the piece
        const unsigned k = ahead ? static_cast<unsigned>(__builtin_ctzll(ahead)) : 64 - b;
        add(uint64_t{w} * 64 + b, k, cv);
        m &= k + b >= 64 ? 0 : ~uint64_t{0} << (b + k);
      }
    }
  }

 private:
  std::string& out_;
  uint64_t next_ = 1, start_ = 0, len_ = 0;
  bool covered_ = false;
};

bool number(std::string_view& s, char end, uint64_t& v) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p == s.data() + s.size() || *p != end) return false;
  s.remove_prefix(static_cast<size_t>(p - s.data()) + 1);
  return true;
}

// The runs of one file into `lines`; false when malformed or beyond 32-bit line numbers.
bool parse_runs(std::string_view s, coverage::LineSet& lines, uint64_t& budget) {
  uint64_t next = 1;  // the first line a gap of 0 starts at
  while (!s.empty()) {
    uint64_t gap = 0, len = 0;
    if (!number(s, '+', gap)) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), len);
    if (ec != std::errc() || p == s.data() + s.size() || len == 0) return false;
    bool covered = *p == 'c';
    if (!covered && *p != 'u') return false;
    s.remove_prefix(static_cast<size_t>(p - s.data()) + 1);
    if (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    uint64_t start = next + gap;
    if (start + len - 1 > UINT32_MAX || len > budget) return false;
    if (start + len > coverage::LineSet::kDenseLimit && len > 64) return false;
    budget -= len;
    for (uint64_t l = start; l < start + len; ++l) lines.add(static_cast<uint32_t>(l), covered);
    next = start + len;
  }
  return true;
}

}  // namespace

std::string to_text(const coverage::Coverage& cov) {
  std::string out(kMagic);
  out += '\n';
  for (const auto& [path, fc] : cov.files) {
    if (fc.lines.empty()) continue;
    escaped(out, path);
    out += '\t';
    Runs runs(out);
    runs.words(fc.lines.measured_words(), fc.lines.covered_words());
    for (const auto& [line, covered] : fc.lines.sparse_lines()) runs.add(line, 1, covered);
    runs.flush();
    if (out.back() == ' ') out.back() = '\n';
    else out += '\n';
  }
  return out;
}

Result<std::string> encode(const coverage::Coverage& cov) { return gzip_compress(to_words(cov)); }

Result<coverage::Coverage> from_text(std::string_view text, std::string_view name, uint64_t max_lines) {
  uint64_t budget = max_lines;
  auto bad = [&](size_t line, const std::string& what) {
    return fail(Exit::error, std::string(name) + ":" + std::to_string(line) + ": " + what +
                                 " (not orchkit's line data; the baseline's line data is ignored)");
  };
  coverage::Coverage cov;
  size_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (line_no == 1) {
      if (line != kMagic) return bad(1, "expected '" + std::string(kMagic) + "'");
      continue;
    }
    size_t tab = line.find('\t');
    if (tab == std::string_view::npos) return bad(line_no, "expected <path><TAB><runs>");
    auto path = unescaped(line.substr(0, tab));
    if (!path || path->empty()) return bad(line_no, "a bad path");
    if (cov.files.count(*path)) return bad(line_no, "the file " + *path + " twice");
    if (!parse_runs(line.substr(tab + 1), cov.file(*path).lines, budget))
      return bad(line_no, "a bad run of lines (or more lines than a report can measure)");
  }
  if (line_no == 0) return bad(1, "empty");
  return cov;
}

namespace {

static_assert(std::endian::native == std::endian::little, "version 2 line data is little-endian words");

void append_words(std::string& out, const std::vector<uint64_t>& words, size_t n) {
  const size_t at = out.size();
  out.resize(at + n * 8);
  if (n) std::memcpy(out.data() + at, words.data(), n * 8);
}

}  // namespace

std::string to_words(const coverage::Coverage& cov) {
  size_t bytes = kMagic2.size() + 1;
  for (const auto& [path, fc] : cov.files) bytes += path.size() + 32 + fc.lines.measured_words().size() * 16;
  std::string out;
  out.reserve(bytes);  // one allocation: growing by doublings costs more than the copying
  out += kMagic2;
  out += '\n';
  for (const auto& [path, fc] : cov.files) {
    if (fc.lines.empty()) continue;
    const auto& measured = fc.lines.measured_words();
    size_t n = measured.size();
    while (n > 0 && measured[n - 1] == 0) --n;  // the bitsets grow in doublings: no zero tail
    escaped(out, path);
    out += '\t';
    char buf[24];
    out.append(buf, static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, n).ptr - buf));
    out += '\t';
    Runs runs(out);
    for (const auto& [line, covered] : fc.lines.sparse_lines()) runs.add(line, 1, covered);
    runs.flush();
    if (out.back() == ' ') out.back() = '\n';
    else out += '\n';
    append_words(out, measured, n);
    append_words(out, fc.lines.covered_words(), n);
  }
  return out;
}

Result<coverage::Coverage> from_words(std::string_view data, std::string_view name, uint64_t max_lines) {
  uint64_t budget = max_lines;
  const std::string_view all = data;
  auto bad = [&](std::string_view at, const std::string& what) {
    return fail(Exit::error, std::string(name) + ": byte " + std::to_string(at.data() - all.data()) + ": " + what +
                                 " (not orchkit's line data; the baseline's line data is ignored)");
  };
  if (data.substr(0, kMagic2.size() + 1) != std::string(kMagic2) + "\n")
    return bad(data, "expected '" + std::string(kMagic2) + "'");
  data.remove_prefix(kMagic2.size() + 1);
  coverage::Coverage cov;
  while (!data.empty()) {
    const size_t nl = data.find('\n');
    const size_t tab = data.substr(0, nl).find('\t');
    if (nl == std::string_view::npos || tab == std::string_view::npos)
      return bad(data, "expected <path><TAB><words><TAB><runs>");
    auto path = unescaped(data.substr(0, tab));
    if (!path || path->empty()) return bad(data, "a bad path");
    if (cov.files.count(*path)) return bad(data, "the file " + *path + " twice");
    std::string_view rest = data.substr(tab + 1, nl - tab - 1);
    uint64_t n = 0;
    if (!number(rest, '\t', n) || n > kMaxWords) return bad(data, "a bad word count");
    if (data.size() - nl - 1 < n * 16) return bad(data, "the words of " + *path + " are cut short");
    std::vector<uint64_t> measured(n), covered(n);
    if (n) {
      std::memcpy(measured.data(), data.data() + nl + 1, n * 8);
      std::memcpy(covered.data(), data.data() + nl + 1 + n * 8, n * 8);
    }
    uint64_t lines = 0;
    for (size_t w = 0; w < n; ++w) {
      if (covered[w] & ~measured[w]) return bad(data, "a covered line of " + *path + " that is not measured");
      lines += static_cast<uint64_t>(std::popcount(measured[w]));
    }
    if (n && (measured[0] & 1u)) return bad(data, "line 0 of " + *path);
    if (lines > budget) return bad(data, "more lines than a report can measure");
    budget -= lines;
    auto& set = cov.file(*path).lines;
    set.assign_words(std::move(measured), std::move(covered));
    if (!parse_runs(rest, set, budget))
      return bad(data, "a bad run of lines (or more lines than a report can measure)");
    if (set.empty()) return bad(data, *path + " with no measured line");
    data.remove_prefix(nl + 1 + n * 16);
  }
  return cov;
}

Result<coverage::Coverage> decode(std::string_view gz, std::string_view name) {
  ORCHKIT_TRY(text, gunzip_all(gz, name, kMaxText));
  if (std::string_view(text).substr(0, kMagic2.size() + 1) == std::string(kMagic2) + "\n")
    return from_words(text, name);
  return from_text(text, name);
}

std::string path_beside(const std::string& artefact) {
  std::string stem = artefact;
  if (stem.size() > 3 && stem.compare(stem.size() - 3, 3, ".md") == 0) stem.resize(stem.size() - 3);
  return stem + ".lines.gz";
}

}  // namespace orchkit::line_data
