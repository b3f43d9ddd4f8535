#include "orchkit/util/gzip.hpp"

#include <zlib.h>

#include <new>
#include <system_error>
#include <thread>
#include <vector>

namespace orchkit {

struct Gunzip::State {
  std::string name;
  Sink sink;
  z_stream z{};
  bool open = false;
  bool ended = false;  // the last member ended cleanly
  uint64_t in_total = 0;
  std::vector<char> out = std::vector<char>(1 << 20);
};

Gunzip::Gunzip(std::string name, Sink sink) : s_(std::make_unique<State>()) {
  s_->name = std::move(name);
  s_->sink = std::move(sink);
  s_->open = inflateInit2(&s_->z, 16 + MAX_WBITS) == Z_OK;
}

Gunzip::~Gunzip() {
  if (s_->open) inflateEnd(&s_->z);
}

Result<void> Gunzip::feed(std::string_view in) {
  if (!s_->open) return fail(Exit::error, s_->name + ": cannot start gzip decompression");
  z_stream& z = s_->z;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  while (z.avail_in > 0) {
    if (s_->ended) {  // another gzip member follows
      inflateReset(&z);
      s_->ended = false;
    }
    z.next_out = reinterpret_cast<Bytef*>(s_->out.data());
    z.avail_out = static_cast<uInt>(s_->out.size());
    uInt before = z.avail_in;
    int rc = inflate(&z, Z_NO_FLUSH);
    s_->in_total += before - z.avail_in;
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
      return fail(Exit::error, s_->name + ": byte " + std::to_string(s_->in_total) + ": corrupt gzip data (" +
                                   (z.msg ? z.msg : "inflate failed") + "; re-create the report)");
    size_t produced = s_->out.size() - z.avail_out;
    if (produced > 0) ORCHKIT_CHECK(s_->sink(std::string_view(s_->out.data(), produced)));
    if (rc == Z_STREAM_END) s_->ended = true;
    if (rc == Z_BUF_ERROR && produced == 0) break;
  }
  return {};
}

Result<void> Gunzip::finish() {
  if (!s_->ended)
    return fail(Exit::error, s_->name + ": byte " + std::to_string(s_->in_total) +
                                 ": the gzip stream is truncated (re-create the report)");
  return {};
}

namespace {

// One gzip member of `data`, or "" when zlib fails or memory runs out (it runs on a thread of its
// own, where an exception would end the process). The first kProbe bytes are deflated at level 1;
// when they shrink to less than half the rest is too, else the rest is stored (level 0): data that
// does not compress (random coverage bitsets) deflates at ~33 MB/s here, 13 MB would cost a hook
// 400 ms to save 40 %, where storing takes 18 ms. Real bitsets are long runs and take level 1.
std::string deflate_member(std::string_view data) noexcept try {
  constexpr size_t kProbe = size_t{256} << 10;
  z_stream z{};
  if (deflateInit2(&z, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())) + 64, '\0');
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  auto run = [&](std::string_view in, int flush) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    return deflate(&z, flush);
  };
  int rc = Z_OK;
  if (data.size() > 2 * kProbe) {
    rc = run(data.substr(0, kProbe), Z_BLOCK);  // the probe's blocks written, so total_out counts them
    if (rc == Z_OK && z.total_out > z.total_in / 2) rc = deflateParams(&z, 0, Z_DEFAULT_STRATEGY);
    data.remove_prefix(kProbe);
  }
  if (rc == Z_OK) rc = run(data, Z_FINISH);
  size_t n = out.size() - z.avail_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return {};
  out.resize(n);
  return out;
} catch (const std::bad_alloc&) {
  return {};
}

}  // namespace

Result<std::string> gzip_compress(std::string_view data) {
  // Past 8 MiB the second half is deflated on a second thread as a member of its own (level 1 runs
  // at 33 – 95 MB/s here).
  constexpr size_t kSplit = size_t{8} << 20;
  std::string first, second;
  bool split = false;
  if (data.size() > kSplit) {
    const size_t half = data.size() / 2;
    try {
      std::thread other([&] { second = deflate_member(data.substr(half)); });
      first = deflate_member(data.substr(0, half));  // noexcept: `other` is always joined
      other.join();
      split = true;
    } catch (const std::system_error&) {  // no thread: one member, on this one
    }
    if (split && (first.empty() || second.empty())) return fail(Exit::error, "gzip compression failed");
    if (split) return first + second;
  }
  first = deflate_member(data);
  if (first.empty()) return fail(Exit::error, "gzip compression failed");
  return first;
}

Result<std::string> gunzip_all(std::string_view compressed, std::string_view name, size_t limit) {
  std::string out;
  Gunzip g(std::string(name), [&](std::string_view chunk) -> Result<void> {
    if (out.size() + chunk.size() > limit)
      return fail(Exit::error, std::string(name) + ": decompresses to more than " + std::to_string(limit >> 20) +
                                   " MiB (not orchkit's line data)");
    out.append(chunk);
    return {};
  });
  ORCHKIT_CHECK(g.feed(compressed));
  ORCHKIT_CHECK(g.finish());
  return out;
}

}  // namespace orchkit
