// LCOV tracefiles (geninfo / lcov --capture, and every tool that writes .info): totals from the
// DA records, never from LF/LH. One file split over several SF records merges.
#include "orchkit/coverage/hits.hpp"
#include "orchkit/coverage/lines.hpp"
#include "orchkit/coverage/parser.hpp"

namespace orchkit::coverage {
namespace {

class LcovParser final : public StreamParser {
 public:
  explicit LcovParser(std::string name) : name_(name), lines_(std::move(name)) {}

  Result<void> feed(std::string_view chunk) override {
    return lines_.feed(
        chunk, [this](std::string_view line) { return record(line); },
        [this](const char* p, const char* end) { return fast_da(p, end); });
  }

  Result<Coverage> finish() override {
    ORCHKIT_CHECK(lines_.finish([this](std::string_view line) { return record(line); }));
    if (current_)
      return error("the record for '" + current_path_ + "' has no end_of_record",
                   "the report is truncated; re-run the coverage command");
    return std::move(cov_);
  }

 private:
  Unexpected error(const std::string& what, const std::string& hint) const {
    return fail(Exit::error, name_ + ":" + std::to_string(lines_.line_no()) + ": " + what + " (" + hint + ")");
  }

  // The hot path: "DA:<line>,<count>\n" with plain decimal numbers, consumed in one pass.
  // Anything else (checksums, CRLF, signs, huge line numbers, errors) declines to record().
  const char* fast_da(const char* p, const char* end) {
    if (!current_ || end - p < 6 || p[0] != 'D' || p[1] != 'A' || p[2] != ':') return nullptr;
    const char* q = p + 3;
    uint32_t line = 0;
    int digits = 0;
    while (q < end && static_cast<unsigned>(*q - '0') < 10 && digits < 9) {
      line = line * 10 + static_cast<uint32_t>(*q - '0');
      ++q;
      ++digits;
    }
    if (digits == 0 || q >= end || *q != ',') return nullptr;
    ++q;
    bool nonzero = false;
    int count_digits = 0;
    while (q < end && static_cast<unsigned>(*q - '0') < 10) {
      nonzero = nonzero || *q != '0';
      ++q;
      ++count_digits;
    }
    if (count_digits == 0 || q >= end || *q != '\n') return nullptr;
    current_->add(line, nonzero);
    return q + 1;
  }

  Result<void> record(std::string_view line) {
    if (line.size() > 3 && line[0] == 'D' && line[1] == 'A' && line[2] == ':') return da(line.substr(3));
    if (line.empty()) return {};
    if (line.substr(0, 3) == "SF:") {
      if (current_) return error("SF before end_of_record of '" + current_path_ + "'", "the report is malformed");
      current_path_ = std::string(line.substr(3));
      if (current_path_.empty()) return error("SF with an empty path", "the report is malformed");
      current_ = &cov_.file(current_path_).lines;
      return {};
    }
    if (line == "end_of_record") {
      if (!current_) return error("end_of_record outside a record", "the report is malformed");
      current_ = nullptr;
      return {};
    }
    // Every other record is NAME:VALUE with an upper-case name (TN, FN, FNDA, BRDA, LF, LH, VER...).
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 8) return not_lcov(line);
    for (char c : line.substr(0, colon))
      if (!((c >= 'A' && c <= 'Z') || c == '_')) return not_lcov(line);
    return {};
  }

  Unexpected not_lcov(std::string_view) const {
    return error("not an LCOV record", "is this an LCOV tracefile? force the format with FILE@FORMAT");
  }

  Result<void> da(std::string_view rest) {
    if (!current_) return error("DA record outside an SF record", "the report is malformed");
    size_t c1 = rest.find(',');
    if (c1 == std::string_view::npos) return error("DA record without a hit count", "the report is malformed");
    auto line = parse_line_number(rest.substr(0, c1));
    if (!line)
      return error("DA line number '" + std::string(rest.substr(0, c1)) + "' is not a line number",
                   "the report is malformed");
    std::string_view hits = rest.substr(c1 + 1);
    size_t c2 = hits.find(',');  // optional checksum
    if (c2 != std::string_view::npos) hits = hits.substr(0, c2);
    auto covered = hit_is_covered(hits);
    if (!covered) return error("DA hit count '" + std::string(hits) + "' is not a number", "the report is malformed");
    current_->add(*line, *covered);
    return {};
  }

  std::string name_;
  Coverage cov_;
  LineSet* current_ = nullptr;
  std::string current_path_;
  LineSplitter lines_;
};

}  // namespace

std::unique_ptr<StreamParser> make_lcov_parser(std::string name) {
  return std::make_unique<LcovParser>(std::move(name));
}

}  // namespace orchkit::coverage
