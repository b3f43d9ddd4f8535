#include "orchkit/coverage/parser.hpp"

#include <algorithm>

namespace orchkit::coverage {

std::unique_ptr<StreamParser> make_stream_parser(Format f, std::string name) {
  switch (f) {
    case Format::lcov: return make_lcov_parser(std::move(name));
    case Format::go_coverprofile: return make_go_parser(std::move(name));
    case Format::cobertura: return make_cobertura_parser(std::move(name));
    case Format::jacoco: return make_jacoco_parser(std::move(name));
    default: return nullptr;
  }
}

Result<Coverage> parse_json_report(Format f, std::string_view padded_text, std::string_view name) {
  switch (f) {
    case Format::coveragepy_json: return parse_coveragepy_json(padded_text, name);
    case Format::gcovr_json: return parse_gcovr_json(padded_text, name);
    case Format::llvm_cov_json: return parse_llvm_cov_json(padded_text, name);
    default: return fail(Exit::error, std::string(name) + ": internal: not a JSON format");
  }
}

Result<Coverage> parse_text(Format f, std::string_view text, std::string_view name) {
  if (is_json(f)) {
    std::string padded(text);
    padded.append(kJsonPadding, '\0');
    return parse_json_report(f, std::string_view(padded.data(), text.size()), name);
  }
  auto parser = make_stream_parser(f, std::string(name));
  ORCHKIT_CHECK(parser->feed(text));
  return parser->finish();
}

std::string locate(std::string_view text, size_t offset, std::string_view name) {
  offset = std::min(offset, text.size());
  size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
  return std::string(name) + ":" + std::to_string(line) + ": ";
}

}  // namespace orchkit::coverage
