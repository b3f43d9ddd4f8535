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
