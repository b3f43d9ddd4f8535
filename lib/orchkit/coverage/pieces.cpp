#include "orchkit/coverage/pieces.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
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

std::optional<size_t> cut_near(int fd, size_t size, size_t at) {
  // Read 64 KiB at a time (a record is a few KiB): the whole look-ahead for each of 7 cuts was
  // 28 MiB copied and zeroed before any parsing began.
  constexpr size_t kStep = size_t{64} << 10;
  std::vector<char> buf(kStep + 1);
  // From one byte before `at`, so a record starting exactly there is seen as a line start; each
  // later step re-reads the last 3 bytes of the one before, so "\nSF:" across a step is found.
  for (size_t from = at - 1; from < size && from < at + kLookAhead; from += kStep - 3) {
    ssize_t n = ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(from));
    if (n <= 0) return std::nullopt;
    auto found = record_start_after(std::string_view(buf.data(), static_cast<size_t>(n)), 1);
    if (found) return from + *found;
  }
  return std::nullopt;
}

// The pieces' bounds: 0, the cuts in increasing order, size.
std::vector<size_t> bounds(int fd, size_t size, size_t pieces) {
  std::vector<size_t> b{0};
  for (size_t i = 1; i < pieces; ++i) {
    auto cut = cut_near(fd, size, size / pieces * i);
    if (cut && *cut > b.back() && *cut < size) b.push_back(*cut);
  }
  b.push_back(size);
  return b;
}

// One piece through its own parser; nullopt for any failure (the caller re-reads in one pass).
std::optional<Coverage> parse_piece(int fd, const std::string& path, ByteRange range) noexcept try {
  auto parser = make_lcov_parser(path);
  auto read = read_windows(fd, path, range, nullptr, [&](std::string_view c) { return parser->feed(c); });
  if (!read || !*read) return std::nullopt;
  auto cov = parser->finish();
  if (!cov) return std::nullopt;
  return std::move(*cov);
} catch (...) {
  return std::nullopt;
}

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

std::optional<Pieces> read_lcov_pieces(const std::string& path, bool sha256) {
  const size_t workers = parallel_workers();
  if (workers < 2) return std::nullopt;
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (fd.fd < 0 || ::fstat(fd.fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  const auto size = static_cast<size_t>(st.st_size);
  if (size < kPiecesMin) return std::nullopt;
  const std::vector<size_t> b =
      bounds(fd.fd, size, std::clamp(size / kMinPiece, size_t{2}, workers * kPiecesPerWorker));
  const size_t n = b.size() - 1;
  if (n < 2) return std::nullopt;

  std::vector<std::optional<Coverage>> parsed(n);
  std::optional<std::string> digest;
  bool all_ran = false;
  try {
    std::jthread hasher;  // joined on every way out, so the fd and the digest outlive it
    if (sha256) hasher = std::jthread([&] { digest = hash_file(fd.fd, path); });
    all_ran = run_parallel(n, [&](size_t i, size_t) { parsed[i] = parse_piece(fd.fd, path, {b[i], b[i + 1]}); });
  } catch (const std::system_error&) {  // no thread for the hash
    return std::nullopt;
  }
  if (!all_ran) return std::nullopt;
  Pieces p;
  p.pieces = n;
  for (auto& piece : parsed) {
    if (!piece) return std::nullopt;
    p.coverage.merge(std::move(*piece));
  }
  if (sha256 && !digest) return std::nullopt;
  if (digest) p.sha256 = std::move(*digest);
  return p;
}

}  // namespace orchkit::coverage
