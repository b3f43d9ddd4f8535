// Reading a report file: FILE[@FORMAT] arguments, gzip, format sniffing, the right parser
// (mapped whole for JSON, streamed for the rest), and path normalisation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orchkit/coverage/format.hpp"
#include "orchkit/coverage/model.hpp"
#include "orchkit/coverage/paths.hpp"
#include "orchkit/result.hpp"

namespace orchkit::coverage {

struct ReportSpec {
  std::string path = {};
  std::optional<Format> format = {};  // forced with @FORMAT
};

// "coverage.json", "out/lcov.info@lcov". An unknown @FORMAT is a usage error (exit 2).
Result<ReportSpec> parse_report_arg(std::string_view arg);

struct Report {
  std::string path = {};
  Format format = Format::lcov;
  Coverage coverage = {};
  std::string sha256 = {};  // of the file's bytes as stored, when asked for; else empty
};

// Any failure (missing, empty, binary, truncated, malformed) is exit 3 with file and place.
// With `sha256`, the file's digest is computed in the same pass, on a second thread (sha256_pipe.hpp).
Result<Report> read_report(const ReportSpec& spec, const PathRules& rules, bool sha256 = false);

// What one report said on its own, kept after its lines were merged into the union.
struct ReportSummary {
  std::string path = {};
  Format format = Format::lcov;
  Tally totals = {};
  size_t files = 0;
  std::string sha256 = {};  // as Report::sha256
};

struct Merged {
  std::vector<ReportSummary> reports = {};
  Coverage merged = {};
};
// Reads every report and merges them (union of lines).
Result<Merged> read_reports(const std::vector<ReportSpec>& specs, const PathRules& rules, bool sha256 = false);

}  // namespace orchkit::coverage
