// Each state record as one JSON object, the keys always in one order so the same record is the
// same bytes: the files of the git store (state_git*.cpp) and the entries of `state export`
// (state_export.cpp) are these objects. Readers name `where` in their errors.
#pragma once

#include <optional>
#include <string>

#include "orchkit/json.hpp"
#include "orchkit/result.hpp"
#include "orchkit/state/state.hpp"

namespace orchkit::state::codec {

std::string baseline(const Baseline& b);
Result<Baseline> baseline(const Json& j, const std::string& where);
std::string lines_meta(const BaselineLines& l);  // without the data
BaselineLines lines_meta(const Json& j);
std::string tombstone(const Tombstone& t);
Result<Tombstone> tombstone(const Json& j, const std::string& where);
std::string lease(const Lease& l);
Result<Lease> lease(const Json& j, const std::string& where);
std::string stop(const StopRequest& r);
Result<StopRequest> stop(const Json& j, const std::string& where);
std::string start(const StartRecord& r);
Result<StartRecord> start(const Json& j, const std::string& where);
std::string history(const HistoryRow& h);
Result<HistoryRow> history(const Json& j, const std::string& where);

// Parses `text` as one JSON object (exit 3 naming `where` when it is not one).
Result<Json> object(const std::string& text, const std::string& where);

}  // namespace orchkit::state::codec
