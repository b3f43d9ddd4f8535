// STUB — to be replaced: coverage.py JSON, gcovr JSON, llvm-cov export JSON (simdjson).
#include "orchkit/coverage/parser.hpp"

namespace orchkit::coverage {
Result<Coverage> parse_coveragepy_json(std::string_view, std::string_view name) {
  return fail(Exit::error, std::string(name) + ": coveragepy-json is not implemented yet");
}
Result<Coverage> parse_gcovr_json(std::string_view, std::string_view name) {
  return fail(Exit::error, std::string(name) + ": gcovr-json is not implemented yet");
}
Result<Coverage> parse_llvm_cov_json(std::string_view, std::string_view name) {
  return fail(Exit::error, std::string(name) + ": llvm-cov-json is not implemented yet");
}
}  // namespace orchkit::coverage
