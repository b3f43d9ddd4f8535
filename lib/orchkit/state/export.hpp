// `state export` / `state import`: the whole state as one stable JSON document (docs/state.md,
// "Moving between backends"). One record per line, every list in its key order, so an export of
// an import of an export is the same bytes, whichever store it went through.
#pragma once

#include <string>

#include "orchkit/result.hpp"
#include "orchkit/state/state.hpp"

namespace orchkit::state {

inline constexpr int64_t kExportVersion = 1;

std::string export_json(const Snapshot& s);
// Exit 2 naming the entry for a document that is not an export of this version.
Result<Snapshot> parse_export(const std::string& text, const std::string& where);

}  // namespace orchkit::state
