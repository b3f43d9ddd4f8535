// Lines of a text report fed in chunks of any size, for the line-oriented formats (LCOV, Go
// coverprofile): a line split across chunks is carried over to the next one; CRLF and a UTF-8 BOM
// before the first line are accepted. A line longer than kMaxLine is an error, so binary input
// cannot make the carry grow without bound.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "orchkit/result.hpp"

namespace orchkit::coverage {

class LineSplitter {
 public:
  static constexpr size_t kMaxLine = size_t{1} << 20;

  explicit LineSplitter(std::string name) : name_(std::move(name)) {}

  // Calls on_line(std::string_view) -> Result<void> for every complete line, without its end.
  template <class F>
  Result<void> feed(std::string_view chunk, F&& on_line) {
    return feed(chunk, on_line, [](const char*, const char*) -> const char* { return nullptr; });
  }

  // As above, but first offers each line to `fast(p, end)`, which may consume one whole common
  // record itself and return the position after its '\n' (or nullptr to decline). That skips a
  // memchr call and a dispatch per line on the hot path (LCOV's DA records).
  template <class F, class Fast>
  Result<void> feed(std::string_view chunk, F&& on_line, Fast&& fast) {
    if (!carry_.empty()) {
      const char* nl = static_cast<const char*>(std::memchr(chunk.data(), '\n', chunk.size()));
      size_t n = nl ? static_cast<size_t>(nl - chunk.data()) : chunk.size();
      if (carry_.size() + n > kMaxLine) return too_long();
      carry_.append(chunk.substr(0, n));
      if (!nl) return {};
      std::string line = std::move(carry_);
      carry_.clear();
      ORCHKIT_CHECK(deliver(line, on_line));
      chunk.remove_prefix(n + 1);
    }
    const char* p = chunk.data();
    const char* end = p + chunk.size();
    while (p < end) {
      if (line_no_ > 0) {
        if (const char* next = fast(p, end)) {
          ++line_no_;
          p = next;
          continue;
        }
      }
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      size_t n = static_cast<size_t>((nl ? nl : end) - p);
      if (n > kMaxLine) return too_long();
      if (!nl) {
        carry_.assign(p, end);
        break;
      }
      ORCHKIT_CHECK(deliver(std::string_view(p, n), on_line));
      p = nl + 1;
    }
    return {};
  }

  // Delivers the last line when the text does not end with a newline.
  template <class F>
  Result<void> finish(F&& on_line) {
    if (carry_.empty()) return {};
    std::string line = std::move(carry_);
    carry_.clear();
    return deliver(line, on_line);
  }

  // The number of the line delivered last (1-based; 0 before the first).
  uint64_t line_no() const { return line_no_; }

 private:
  template <class F>
  Result<void> deliver(std::string_view line, F& on_line) {
    ++line_no_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no_ == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    return on_line(line);
  }

  Unexpected too_long() const {
    return fail(Exit::error,
                name_ + ":" + std::to_string(line_no_ + 1) + ": a line longer than " + std::to_string(kMaxLine >> 20) +
                    " MiB (this is not a text coverage report; check the file, or a format forced with FILE@FORMAT)");
  }

  std::string name_;
  std::string carry_;
  uint64_t line_no_ = 0;
};

}  // namespace orchkit::coverage
