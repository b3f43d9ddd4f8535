// A report's bytes read through read-only mmap windows of kWindow bytes: the parser reads the page
// cache in place (a read() copies every byte into a buffer first, ~30 % of an LCOV read here), and
// each window is unmapped once parsed and hashed, so at most two are resident (RSS ≤ 2 × kWindow +
// the model).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "orchkit/result.hpp"

namespace orchkit {
class Sha256Pipe;
}

namespace orchkit::coverage {

inline constexpr size_t kWindow = size_t{4} << 20;

// Bytes [begin, end) of a file; end past the file's size means its end.
struct ByteRange {
  size_t begin = 0;
  size_t end = SIZE_MAX;
};

// Calls `sink` with the bytes of `range` of the open regular file `fd` (`path` names it in
// errors), in order, a window at a time; each window goes to `sha` (when given) after `sink` took
// it. nullopt when the first window cannot be mapped or the file is empty (the caller reads it
// another way).
std::optional<Result<void>> read_windows(int fd, const std::string& path, ByteRange range, Sha256Pipe* sha,
                                         const std::function<Result<void>(std::string_view)>& sink);

}  // namespace orchkit::coverage
