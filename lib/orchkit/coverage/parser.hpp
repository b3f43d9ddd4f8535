// The interface every report parser implements. Parsers take text, never paths: the reader
// (reader.hpp) opens, decompresses and feeds them, so tests need no files.
//
// Error messages are "<name>:<line>: <what> (<what to do>)"; when a line number means nothing
// (binary input) "<name>: byte <offset>: ...". The reader turns them into exit code 3.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "orchkit/coverage/format.hpp"
#include "orchkit/coverage/model.hpp"
#include "orchkit/result.hpp"

namespace orchkit::coverage {

// simdjson reads up to this many bytes past the end of a JSON document; whole-document
// parsers require that many readable bytes after `text`.
inline constexpr size_t kJsonPadding = 64;

// A streaming parser: fed the decompressed report in order, in chunks of any size
// (a record may be split across chunks), then finished.
class StreamParser {
 public:
  virtual ~StreamParser() = default;
  virtual Result<void> feed(std::string_view chunk) = 0;
  virtual Result<Coverage> finish() = 0;
};

// For the streamed formats (lcov, go-coverprofile, cobertura, jacoco).
std::unique_ptr<StreamParser> make_lcov_parser(std::string name);
std::unique_ptr<StreamParser> make_go_parser(std::string name);
std::unique_ptr<StreamParser> make_cobertura_parser(std::string name);
std::unique_ptr<StreamParser> make_jacoco_parser(std::string name);
std::unique_ptr<StreamParser> make_stream_parser(Format f, std::string name);

// One piece of a report read in pieces on every core (pieces.hpp): fed that piece's bytes, then
// ended; the pieces fold into the first in document order, which then gives the coverage.
class PieceParser {
 public:
  virtual ~PieceParser() = default;
  virtual Result<void> feed(std::string_view chunk) = 0;
  // After the piece's last byte: whether it ended where the next piece may begin (the last
  // piece: at the document's well-formed end). False: the file is read in one pass instead.
  virtual bool end_piece(bool last) = 0;
  // Folds `next` (the following piece, ended) into this one; false when it is not of this format.
  virtual bool absorb(PieceParser& next) = 0;
  // The document's coverage, once every other piece is absorbed.
  virtual Result<Coverage> coverage() = 0;
};

// The formats read in pieces: LCOV (a piece starts where a line opens a record, "SF:"),
// Cobertura and JaCoCo (a piece starts at a "<package " start tag inside <coverage><packages>,
// or <report>: the pieces after the first are read from there by the fast XML path alone).
bool reads_in_pieces(Format f);
// A parser for the first piece (from byte 0) or for a later one.
std::unique_ptr<PieceParser> make_piece_parser(Format f, std::string name, bool first);
std::unique_ptr<PieceParser> make_cobertura_piece_parser(std::string name, bool first);
std::unique_ptr<PieceParser> make_jacoco_piece_parser(std::string name, bool first);
// Where a piece of `f` may start in `text`: the first place at or after `from` (an offset into
// `text`), or nullopt. `from` ≥ 1: the byte before it tells a line start.
std::optional<size_t> piece_start_after(Format f, std::string_view text, size_t from);
// How many bytes a piece start's marker spans (a search window overlaps the one before by one less).
size_t piece_marker_size(Format f);

// For the JSON formats: `text` must be followed by kJsonPadding readable bytes.
// Past 16 MiB on every core (the file entries parsed by workers, joined in document order), else
// in one pass; the one-pass walk also gives every error, so messages are the same either way.
// The same for gcovr and llvm-cov JSON.
Result<Coverage> parse_coveragepy_json(std::string_view text, std::string_view name);
Result<Coverage> parse_coveragepy_json_one_pass(std::string_view text, std::string_view name);
// The parallel read alone: nullopt when it declines (an error, out of memory), for the caller to
// read in one pass.
std::optional<Coverage> parse_coveragepy_in_parallel(std::string_view text, std::string_view name) noexcept;
Result<Coverage> parse_gcovr_json(std::string_view text, std::string_view name);  // as coverage.py's
Result<Coverage> parse_gcovr_json_one_pass(std::string_view text, std::string_view name);
std::optional<Coverage> parse_gcovr_in_parallel(std::string_view text, std::string_view name) noexcept;
Result<Coverage> parse_llvm_cov_json(std::string_view text, std::string_view name);  // as coverage.py's
Result<Coverage> parse_llvm_cov_json_one_pass(std::string_view text, std::string_view name);
std::optional<Coverage> parse_llvm_cov_in_parallel(std::string_view text, std::string_view name) noexcept;
Result<Coverage> parse_json_report(Format f, std::string_view padded_text, std::string_view name);

// Convenience for tests and small inputs: any format, whole text, no padding needed.
Result<Coverage> parse_text(Format f, std::string_view text, std::string_view name);

// "<name>:<line>: " for the line that holds byte `offset` of `text` (1-based).
std::string locate(std::string_view text, size_t offset, std::string_view name);

}  // namespace orchkit::coverage
