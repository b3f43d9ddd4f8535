#include "orchkit/coverage/reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include "orchkit/coverage/parser.hpp"
#include "orchkit/coverage/pieces.hpp"
#include "orchkit/coverage/windows.hpp"
#include "orchkit/util/file.hpp"
#include "orchkit/util/gzip.hpp"
#include "orchkit/util/sha256_pipe.hpp"

namespace orchkit::coverage {
namespace {

constexpr size_t kChunk = 1 << 20;
constexpr size_t kHead = 64 * 1024;

// A FIFO, device, socket or directory is refused before it is read: opening a FIFO for reading
// would block, a device may never end.
Result<std::string> read_head(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return fail(Exit::error, errno == ENOENT ? ErrorKind::not_found : ErrorKind::io,
                errno_text(path) + " (run the coverage command first, or check coverage.reports)");
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(Exit::error, ErrorKind::invalid,
                path + ": not a regular file (a FIFO, device, socket or directory is never read as a report)");
  }
  std::string head(kHead, '\0');
  ssize_t n = ::pread(fd, head.data(), head.size(), 0);
  int err = errno;
  ::close(fd);
  if (n < 0) {
    errno = err;
    return fail(Exit::error, errno_text(path) + " (is it a readable file?)");
  }
  head.resize(static_cast<size_t>(n));
  return head;
}

Result<Format> decide_format(const ReportSpec& spec, std::string_view head) {
  if (head.empty()) return fail(Exit::error, spec.path + ": the report is empty (re-run the coverage command)");
  if (spec.format) return *spec.format;
  if (std::memchr(head.data(), '\0', head.size()))
    return fail(Exit::error, spec.path + ": byte " +
                                 std::to_string(static_cast<const char*>(std::memchr(head.data(), '\0', head.size())) -
                                                head.data()) +
                                 ": binary data, not a coverage report (point coverage.reports at the report file)");
  auto f = sniff(head);
  if (!f)
    return fail(Exit::error, spec.path + ":1: cannot tell the report format (expected one of " +
                                 std::string(format_names()) + "; force it with FILE@FORMAT)");
  return *f;
}

// read_chunks, and each chunk queued to `sha` (when given) once `sink` has taken it: the digest is
// computed from the bytes just read, on the pipe's thread, while the next chunk is read and parsed.
// A few buffers take turns; one is reused only once the pipe has hashed it.
Result<void> read_chunks_hashing(const std::string& path, Sha256Pipe* sha,
                                 const std::function<Result<void>(std::string_view)>& sink) {
  if (!sha) return read_chunks(path, kChunk, sink);
  constexpr size_t kBuffers = 4;
  std::array<std::vector<char>, kBuffers> buf;
  std::array<uint64_t, kBuffers> ticket{};
  size_t turn = 0;
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.fd < 0) return fail(Exit::error, path + ": cannot open: " + std::strerror(errno));
  ::posix_fadvise(fd.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  uint64_t last = 0;
  auto result = [&]() -> Result<void> {
    for (;;) {
      auto& b = buf[turn % kBuffers];
      sha->wait(ticket[turn % kBuffers]);
      if (b.empty()) b.resize(kChunk);
      ssize_t n = ::read(fd.fd, b.data(), b.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return fail(Exit::error, path + ": cannot read: " + std::strerror(errno));
      }
      if (n == 0) return {};
      std::string_view chunk(b.data(), static_cast<size_t>(n));
      ORCHKIT_CHECK(sink(chunk));
      last = ticket[turn % kBuffers] = sha->add(chunk);
      ++turn;
    }
  }();
  sha->wait(last);  // the buffers go with this function
  return result;
}

// A gzip report: decompress as we go; sniff the first output; JSON collects whole.
Result<Report> read_gzip(const ReportSpec& spec, Sha256Pipe* sha) {
  Report rep;
  rep.path = spec.path;
  std::optional<Format> fmt = spec.format;
  std::unique_ptr<StreamParser> parser;
  std::string json;  // JSON formats: the whole decompressed document
  bool started = false;
  Gunzip gz(spec.path, [&](std::string_view out) -> Result<void> {
    if (!started) {
      started = true;
      ReportSpec inner = spec;
      ORCHKIT_TRY(f, decide_format(inner, out.substr(0, kHead)));
      fmt = f;
      if (!is_json(f)) parser = make_stream_parser(f, spec.path);
    }
    if (parser) return parser->feed(out);
    json.append(out);
    return {};
  });
  ORCHKIT_CHECK(read_chunks_hashing(spec.path, sha, [&](std::string_view c) { return gz.feed(c); }));
  ORCHKIT_CHECK(gz.finish());
  if (!started) return fail(Exit::error, spec.path + ": the report is empty (re-run the coverage command)");
  rep.format = *fmt;
  if (parser) {
    ORCHKIT_TRY(cov, parser->finish());
    rep.coverage = std::move(cov);
  } else {
    size_t n = json.size();
    json.append(kJsonPadding, '\0');
    ORCHKIT_TRY(cov, parse_json_report(*fmt, std::string_view(json.data(), n), spec.path));
    rep.coverage = std::move(cov);
  }
  return rep;
}

// A plain streamed report: a large LCOV, Cobertura or JaCoCo file in pieces on every core
// (pieces.hpp, which hashes on a thread of its own), else in one pass through mmap windows, else
// read(), hashed by a pipe.
Result<Coverage> read_streamed(const std::string& path, Format fmt, bool sha256, std::string& digest) {
  if (auto h = read_pieces(path, fmt, sha256)) {
    digest = std::move(h->sha256);
    return std::move(h->coverage);
  }
  std::optional<Sha256Pipe> pipe;
  if (sha256) pipe.emplace();
  Sha256Pipe* sha = pipe ? &*pipe : nullptr;
  auto parser = make_stream_parser(fmt, path);
  auto feed = [&](std::string_view c) { return parser->feed(c); };
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  auto mapped = read_windows(fd.fd, path, {}, sha, feed);
  ORCHKIT_CHECK(mapped ? std::move(*mapped) : read_chunks_hashing(path, sha, feed));
  if (sha) digest = sha->finish();
  return parser->finish();
}

}  // namespace

Result<ReportSpec> parse_report_arg(std::string_view arg) {
  ReportSpec spec;
  size_t at = arg.rfind('@');
  if (at != std::string_view::npos && at > 0) {
    auto f = format_from_name(arg.substr(at + 1));
    if (f) {
      spec.format = f;
      arg = arg.substr(0, at);
    } else if (arg.substr(at + 1).find('/') == std::string_view::npos) {
      return fail(Exit::usage, "--report " + std::string(arg) + ": unknown format '" + std::string(arg.substr(at + 1)) +
                                   "' (use one of " + std::string(format_names()) + ")");
    }
  }
  if (arg.empty()) return fail(Exit::usage, "--report: empty file name");
  spec.path = std::string(arg);
  return spec;
}

Result<Report> read_report(const ReportSpec& spec, const PathRules& rules, bool sha256) {
  ORCHKIT_TRY(head, read_head(spec.path));
  Report rep;
  if (!is_gzip(head)) {
    ORCHKIT_TRY(fmt, decide_format(spec, head));
    rep.path = spec.path;
    rep.format = fmt;
  }
  if (!is_gzip(head) && !is_json(rep.format)) {
    ORCHKIT_TRY(cov, read_streamed(spec.path, rep.format, sha256, rep.sha256));
    rep.coverage = std::move(cov);
  } else {
    std::optional<Sha256Pipe> pipe;
    if (sha256) pipe.emplace();
    Sha256Pipe* sha = pipe ? &*pipe : nullptr;
    if (is_gzip(head)) {
      ORCHKIT_TRY(r, read_gzip(spec, sha));
      rep = std::move(r);
    } else {
      ORCHKIT_TRY(map, MappedFile::open(spec.path, kJsonPadding));
      if (sha) sha->add(map.text());  // hashed from the mapping while it is parsed
      auto cov = parse_json_report(rep.format, map.text(), spec.path);
      if (sha) rep.sha256 = sha->finish();  // before the mapping goes
      if (!cov) return fail(std::move(cov).error());
      rep.coverage = std::move(*cov);
    }
    if (sha && rep.sha256.empty()) rep.sha256 = sha->finish();
  }
  rep.coverage = normalize_paths(std::move(rep.coverage), rules);
  return rep;
}

Result<Merged> read_reports(const std::vector<ReportSpec>& specs, const PathRules& rules, bool sha256) {
  Merged m;
  for (const auto& spec : specs) {
    ORCHKIT_TRY(rep, read_report(spec, rules, sha256));
    m.reports.push_back(
        ReportSummary{rep.path, rep.format, rep.coverage.totals(), rep.coverage.files.size(), std::move(rep.sha256)});
    m.merged.merge(std::move(rep.coverage));
  }
  return m;
}

}  // namespace orchkit::coverage
