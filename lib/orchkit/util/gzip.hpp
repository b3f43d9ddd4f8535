// zlib adapter: streaming gunzip and one-shot gzip (the only file that includes zlib.h).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "orchkit/result.hpp"

namespace orchkit {

inline bool is_gzip(std::string_view head) {
  return head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b;
}

// Feed compressed bytes; decompressed output goes to `sink` in chunks. Concatenated gzip
// members are read as one stream, as gunzip does.
class Gunzip {
 public:
  using Sink = std::function<Result<void>(std::string_view)>;
  Gunzip(std::string name, Sink sink);
  ~Gunzip();
  Gunzip(const Gunzip&) = delete;
  Gunzip& operator=(const Gunzip&) = delete;
  Result<void> feed(std::string_view compressed);
  Result<void> finish();  // error when the stream is truncated

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// `data` gzipped for the baseline's line data: zlib level 1 (5x faster than 6, 35 % larger), or
// past 512 KiB stored (level 0) after the first 256 KiB when those did not shrink to half (data that does
// not compress is not worth a hook's time); one member, or past 8 MiB two members deflated on two
// threads (concatenated members are one gzip stream to every reader: Gunzip below, gzip -d,
// Python's gzip).
Result<std::string> gzip_compress(std::string_view data);

// Every byte a gzip stream decompresses to; at most `limit` bytes (more is an error: a small
// file that inflates to gigabytes is refused).
Result<std::string> gunzip_all(std::string_view compressed, std::string_view name, size_t limit);

}  // namespace orchkit
