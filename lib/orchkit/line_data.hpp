// The baseline's line data: which lines of which files a gated commit's reports measured and
// covered, as one gzip file written by coverage-gate beside its artefact and stored with the
// baseline by merge-verify (SPEC §5 addendum, docs/differential.md). Two forms inside the gzip,
// told apart by their first line; both are read, version 2 is written.
//
// Version 1, text (what earlier builds wrote; still read: baselines keep what they stored):
//   orchkit-lines 1
//   <path>\t<run> <run> ...        one line per file; '\\', '\t', '\n' in a path escaped
// where a run is `<gap>+<length><c|u>`: `gap` lines after the previous run (or line 0), `length`
// consecutive measured lines, all covered (c) or all not (u). "0+3c 2+1u" = 1-3 covered, 6 not.
//
// Version 2, the LineSet's own bitsets (a copy, not a scan: a 20k-file report's line data costs
// milliseconds, not the hook's second):
//   orchkit-lines 2
//   <path>\t<W>\t<runs of lines past 4 Mi, version 1's syntax, counted from line 0>\n
//   <W measured words><W covered words>   64-bit little-endian; bit b of word w is line 64·w + b
// per file, paths escaped as above. Line 0 is never measured; a covered line is a measured one.
#pragma once

#include <string>
#include <string_view>

#include "orchkit/coverage/model.hpp"
#include "orchkit/result.hpp"

namespace orchkit::line_data {

// Version 1 (uncompressed): written by tests and the fuzz target only, read from old baselines.
std::string to_text(const coverage::Coverage& cov);
// Version 2 (uncompressed), and the gzip file of it that coverage-gate writes.
std::string to_words(const coverage::Coverage& cov);
Result<std::string> encode(const coverage::Coverage& cov);

// Read a form / a gzip file of either; every malformed line is exit 3 naming `name:line` (version
// 2: `name: byte N`), and so is more than `max_lines` measured lines in all (a few bytes of runs
// can name billions of lines), or a run past line 4 Mi (LineSet's sparse part) longer than 64 lines.
Result<coverage::Coverage> from_text(std::string_view text, std::string_view name,
                                     uint64_t max_lines = uint64_t{1} << 34);
Result<coverage::Coverage> from_words(std::string_view data, std::string_view name,
                                      uint64_t max_lines = uint64_t{1} << 34);
Result<coverage::Coverage> decode(std::string_view gz, std::string_view name);

// Where the line data of the artefact at `artefact` lives: beside it, `<stem>.lines.gz`.
std::string path_beside(const std::string& artefact);

}  // namespace orchkit::line_data
