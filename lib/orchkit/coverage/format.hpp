// The report formats orchkit reads, their names (in output and after `@`), and content sniffing.
#pragma once

#include <optional>
#include <string_view>

namespace orchkit::coverage {

enum class Format { coveragepy_json, cobertura, lcov, gcovr_json, llvm_cov_json, go_coverprofile, jacoco };

std::string_view format_name(Format f);
std::optional<Format> format_from_name(std::string_view name);
// "coveragepy-json, cobertura, ..." for error messages.
std::string_view format_names();
// Formats parsed as one whole JSON document (simdjson) rather than streamed.
bool is_json(Format f);

// Guesses the format from the first bytes of the (decompressed) report; nullopt when unsure.
// JSON formats are told by the top-level keys met in `head` and the kind of their values
// ("data": [ is llvm-cov, "files": [ gcovr, "files": { or "meta" coverage.py), so an
// identifying key that sits after the head (llvm-cov's "type") is not needed.
std::optional<Format> sniff(std::string_view head);

}  // namespace orchkit::coverage
