#include "orchkit/coverage/reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "orchkit/coverage/parser.hpp"
#include "orchkit/file.hpp"
#include "orchkit/gzip.hpp"

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

// A gzip report: decompress as we go; sniff the first output; JSON collects whole.
Result<Report> read_gzip(const ReportSpec& spec) {
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
  ORCHKIT_CHECK(read_chunks(spec.path, kChunk, [&](std::string_view c) { return gz.feed(c); }));
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

Result<Report> read_report(const ReportSpec& spec, const PathRules& rules) {
  ORCHKIT_TRY(head, read_head(spec.path));
  Report rep;
  if (is_gzip(head)) {
    ORCHKIT_TRY(r, read_gzip(spec));
    rep = std::move(r);
  } else {
    ORCHKIT_TRY(fmt, decide_format(spec, head));
    rep.path = spec.path;
    rep.format = fmt;
    if (is_json(fmt)) {
      ORCHKIT_TRY(map, MappedFile::open(spec.path, kJsonPadding));
      ORCHKIT_TRY(cov, parse_json_report(fmt, map.text(), spec.path));
      rep.coverage = std::move(cov);
    } else {
      auto parser = make_stream_parser(fmt, spec.path);
      ORCHKIT_CHECK(read_chunks(spec.path, kChunk, [&](std::string_view c) { return parser->feed(c); }));
      ORCHKIT_TRY(cov, parser->finish());
      rep.coverage = std::move(cov);
    }
  }
  rep.coverage = normalize_paths(std::move(rep.coverage), rules);
  return rep;
}

Result<Merged> read_reports(const std::vector<ReportSpec>& specs, const PathRules& rules) {
  Merged m;
  for (const auto& spec : specs) {
    ORCHKIT_TRY(rep, read_report(spec, rules));
    m.reports.push_back(ReportSummary{rep.path, rep.format, rep.coverage.totals(), rep.coverage.files.size()});
    m.merged.merge(std::move(rep.coverage));
  }
  return m;
}

}  // namespace orchkit::coverage
