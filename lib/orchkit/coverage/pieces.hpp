// A large plain LCOV tracefile read in pieces on every core: the file is cut where a line opens a
// record ("SF:"), the pieces parsed by workers that each take the next one (so a core that also
// hashes the file takes fewer), each through its own LCOV parser and mmap windows, and the results
// merged per file and line (a file split over several SF records merges anyway). A record never
// spans a cut, so a valid file gives the same coverage as one pass.
// Anything else declines, and the caller reads the file in one pass: a piece that fails (so every
// error keeps its exact line number and wording), a file too small to be worth a thread, one core.
#pragma once

#include <optional>
#include <string>
#include <string_view>

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

std::optional<Pieces> read_lcov_pieces(const std::string& path, bool sha256);

// Where a piece starts: the first line at or after `from` that begins "SF:" (an offset into
// `text`), or nullopt.
std::optional<size_t> record_start_after(std::string_view text, size_t from);

}  // namespace orchkit::coverage
