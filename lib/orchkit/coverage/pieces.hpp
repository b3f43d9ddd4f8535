// A large plain report read in pieces on every core: the file is cut where a piece may start
// (LCOV: a line that opens a record, "SF:"; Cobertura and JaCoCo: a "<package " start tag,
// parser.hpp), the pieces parsed by workers that each take the next one (so a core that also
// hashes the file takes fewer), each through its own parser and mmap windows, and folded in
// document order. A record (a package) never spans a cut, so a valid file gives the same
// coverage as one pass; an XML piece must also end exactly between tags with the same elements
// open as where the next one starts, which proves the cut was not inside a comment or a tag.
// Anything else declines, and the caller reads the file in one pass: a piece that fails (so every
// error keeps its exact line number and wording), a file too small to be worth a thread, one core.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "orchkit/coverage/format.hpp"
#include "orchkit/coverage/model.hpp"
#include "orchkit/util/parallel.hpp"

namespace orchkit::coverage {

// Below this a second thread costs more than it saves (kParallelMinBytes, util/parallel.hpp).
inline constexpr size_t kPiecesMin = kParallelMinBytes;

struct Pieces {
  Coverage coverage = {};
  std::string sha256 = {};  // of the whole file, when asked for; computed on a thread of its own
  size_t pieces = 0;        // how many the file was cut into
};

// nullopt: read it in one pass (any reason above; also a format not read in pieces).
std::optional<Pieces> read_pieces(const std::string& path, Format format, bool sha256);

// Where a piece starts: the first line at or after `from` that begins "SF:" (an offset into
// `text`), or nullopt.
std::optional<size_t> record_start_after(std::string_view text, size_t from);

}  // namespace orchkit::coverage
