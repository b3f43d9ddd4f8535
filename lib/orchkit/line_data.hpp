// The baseline's line data: which lines of which files a gated commit's reports measured and
// covered, as one gzip file written by coverage-gate beside its artefact and stored with the
// baseline by merge-verify (SPEC §5 addendum, docs/differential.md). Text before compression:
//   orchkit-lines 1
//   <path>\t<run> <run> ...        one line per file; '\\', '\t', '\n' in a path escaped
// where a run is `<gap>+<length><c|u>`: `gap` lines after the previous run (or line 0), `length`
// consecutive measured lines, all covered (c) or all not (u). "0+3c 2+1u" = 1-3 covered, 6 not.
#pragma once

#include <string>
#include <string_view>

#include "orchkit/coverage/model.hpp"
#include "orchkit/result.hpp"

namespace orchkit::line_data {

// The text form (uncompressed) and the gzip file of it.
std::string to_text(const coverage::Coverage& cov);
Result<std::string> encode(const coverage::Coverage& cov);

// Reads the text form / a gzip file; every malformed line is exit 3 naming `name:line`, and so is
// more than `max_lines` measured lines in all (a few bytes of runs can name billions of lines), or
// a run past line 4 Mi (LineSet's sparse part) longer than 64 lines.
Result<coverage::Coverage> from_text(std::string_view text, std::string_view name,
                                     uint64_t max_lines = uint64_t{1} << 34);
Result<coverage::Coverage> decode(std::string_view gz, std::string_view name);

// Where the line data of the artefact at `artefact` lives: beside it, `<stem>.lines.gz`.
std::string path_beside(const std::string& artefact);

}  // namespace orchkit::line_data
