#include "orchkit/coverage/pieces.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "orchkit/coverage/parser.hpp"
#include "orchkit/coverage/windows.hpp"
#include "orchkit/util/file.hpp"
#include "orchkit/util/parallel.hpp"
#include "orchkit/util/sha256.hpp"

namespace orchkit::coverage {
namespace {

// How far past a cut's place a record start is looked for (records are a few KiB; a cut that
// finds none is dropped, and a file with none is read in one pass).
constexpr size_t kLookAhead = size_t{4} << 20;
// Pieces per worker: enough that the worker sharing its core with the hash takes fewer.
constexpr size_t kPiecesPerWorker = 8;
constexpr size_t kMinPiece = size_t{4} << 20;

std::optional<size_t> cut_near(Format f, int fd, size_t size, size_t at) {
  // Read 64 KiB at a time (a record is a few KiB): the whole look-ahead for each of 7 cuts was
  // 28 MiB copied and zeroed before any parsing began.
  constexpr size_t kStep = size_t{64} << 10;
  const size_t overlap = piece_marker_size(f);  // a marker across two steps is found in the second
  std::vector<char> buf(kStep + 1);
  // From one byte before `at`, so a piece starting exactly there is seen (a line start, for LCOV).
  for (size_t from = at - 1; from < size && from < at + kLookAhead; from += kStep + 1 - overlap) {
    ssize_t n = ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(from));
    if (n <= 0) return std::nullopt;
    auto found = piece_start_after(f, std::string_view(buf.data(), static_cast<size_t>(n)), 1);
    if (found) return from + *found;
  }
  return std::nullopt;
}

// The pieces' bounds: 0, the cuts in increasing order, size.
std::vector<size_t> bounds(Format f, int fd, size_t size, size_t pieces) {
  std::vector<size_t> b{0};
  for (size_t i = 1; i < pieces; ++i) {
    auto cut = cut_near(f, fd, size, size / pieces * i);
    if (cut && *cut > b.back() && *cut < size) b.push_back(*cut);
  }
  b.push_back(size);
  return b;
}

// One piece through its own parser, ended; nullptr for any failure (the caller re-reads in one pass).
std::unique_ptr<PieceParser> parse_piece(Format f, int fd, const std::string& path, ByteRange range, bool first,
                                         bool last) noexcept try {
  auto parser = make_piece_parser(f, path, first);
  if (!parser) return nullptr;
  auto read = read_windows(fd, path, range, nullptr, [&](std::string_view c) { return parser->feed(c); });
  if (!read || !*read || !parser->end_piece(last)) return nullptr;
  return parser;
} catch (...) {
  return nullptr;
}

// LCOV: each piece is a whole tracefile of its own, finished at its end and merged per file and line.
class LcovPiece final : public PieceParser {
 public:
  explicit LcovPiece(std::string name) : parser_(make_lcov_parser(std::move(name))) {}
  Result<void> feed(std::string_view chunk) override { return parser_->feed(chunk); }
  bool end_piece(bool) override {
    auto cov = parser_->finish();
    if (!cov) return false;
    cov_ = std::move(*cov);
    return true;
  }
  bool absorb(PieceParser& next) override {
    auto* n = dynamic_cast<LcovPiece*>(&next);
    if (!n) return false;
    cov_.merge(std::move(n->cov_));
    return true;
  }
  Result<Coverage> coverage() override { return std::move(cov_); }

 private:
  std::unique_ptr<StreamParser> parser_;
  Coverage cov_;
};

std::optional<std::string> hash_file(int fd, const std::string& path) noexcept try {
  Sha256 sha;
  auto read = read_windows(fd, path, {}, nullptr, [&](std::string_view c) -> Result<void> {
    sha.update(c);
    return {};
  });
  if (!read || !*read) return std::nullopt;
  return sha.hex();
} catch (...) {
  return std::nullopt;
}

}  // namespace

std::optional<size_t> record_start_after(std::string_view text, size_t from) {
  if (from == 0 && text.substr(0, 3) == "SF:") return 0;
  size_t at = text.find("\nSF:", from == 0 ? 0 : from - 1);
  if (at == std::string_view::npos) return std::nullopt;
  return at + 1;
}

bool reads_in_pieces(Format f) { return f == Format::lcov || f == Format::cobertura || f == Format::jacoco; }

std::unique_ptr<PieceParser> make_piece_parser(Format f, std::string name, bool first) {
  switch (f) {
    case Format::lcov: return std::make_unique<LcovPiece>(std::move(name));
    case Format::cobertura: return make_cobertura_piece_parser(std::move(name), first);
    case Format::jacoco: return make_jacoco_piece_parser(std::move(name), first);
    default: return nullptr;
  }
}

namespace {
constexpr std::string_view kPackageTag = "<package ";
}  // namespace

std::optional<size_t> piece_start_after(Format f, std::string_view text, size_t from) {
  if (f == Format::lcov) return record_start_after(text, from);
  size_t at = text.find(kPackageTag, from);
  if (at == std::string_view::npos) return std::nullopt;
  return at;
}

size_t piece_marker_size(Format f) { return f == Format::lcov ? 4 : kPackageTag.size(); }

std::optional<Pieces> read_pieces(const std::string& path, Format format, bool sha256) {
  const size_t workers = parallel_workers();
  if (workers < 2 || !reads_in_pieces(format)) return std::nullopt;
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (fd.fd < 0 || ::fstat(fd.fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  const auto size = static_cast<size_t>(st.st_size);
  if (size < kPiecesMin) return std::nullopt;
  const std::vector<size_t> b =
      bounds(format, fd.fd, size, std::clamp(size / kMinPiece, size_t{2}, workers * kPiecesPerWorker));
  const size_t n = b.size() - 1;
  if (n < 2) return std::nullopt;

  std::vector<std::unique_ptr<PieceParser>> parsed(n);
  std::optional<std::string> digest;
  bool all_ran = false;
  try {
    std::jthread hasher;  // joined on every way out, so the fd and the digest outlive it
    if (sha256) hasher = std::jthread([&] { digest = hash_file(fd.fd, path); });
    all_ran = run_parallel(n, [&](size_t i, size_t) {
      parsed[i] = parse_piece(format, fd.fd, path, {b[i], b[i + 1]}, i == 0, i + 1 == n);
    });
  } catch (const std::system_error&) {  // no thread for the hash
    return std::nullopt;
  }
  if (!all_ran) return std::nullopt;
  for (const auto& piece : parsed)
    if (!piece) return std::nullopt;
  for (size_t i = 1; i < n; ++i)
    if (!parsed[0]->absorb(*parsed[i])) return std::nullopt;
  auto cov = parsed[0]->coverage();
  if (!cov || (sha256 && !digest)) return std::nullopt;
  Pieces p;
  p.pieces = n;
  p.coverage = std::move(*cov);
  if (digest) p.sha256 = std::move(*digest);
  return p;
}

}  // namespace orchkit::coverage
