#include "orchkit/coverage/format.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace orchkit::coverage;

namespace {

constexpr size_t kHead = 64 * 1024;  // what the reader passes to sniff()

// An llvm-cov export as LLVM 14 writes it (keys sorted): "data" first, "type" after the data.
std::string llvm_export(size_t files, size_t branches_in_first) {
  std::string s = "{\"data\":[{\"files\":[";
  for (size_t f = 0; f < files; ++f) {
    if (f) s += ',';
    s += "{\"branches\":[";
    for (size_t b = 0; f == 0 && b < branches_in_first; ++b) s += (b ? "," : "") + std::string("[3,7,3,12,0,1,0,0,4]");
    s += "],\"expansions\":[],\"filename\":\"/src/m" + std::to_string(f) +
         ".c\",\"segments\":[[3,33,1,true,true,false]],\"summary\":{\"lines\":{\"count\":4,\"covered\":3}}}";
  }
  return s + "],\"functions\":[],\"totals\":{}}],\"type\":\"llvm.coverage.json.export\",\"version\":\"2.0.1\"}";
}

std::optional<Format> sniff_head(const std::string& doc) { return sniff(std::string_view(doc).substr(0, kHead)); }

}  // namespace

TEST_CASE("sniff: llvm-cov export is llvm-cov-json wherever its \"type\" key sits") {
  std::string many_files = llvm_export(2000, 0);
  REQUIRE(many_files.find("\"type\"") > kHead);
  CHECK(sniff_head(many_files) == Format::llvm_cov_json);
  // The first file's branches fill the head: no "segments" and no "type" in it.
  std::string big_first = llvm_export(2, 5000);
  REQUIRE(big_first.find("\"segments\"") > kHead);
  CHECK(sniff_head(big_first) == Format::llvm_cov_json);
  CHECK(sniff("{\"type\":\"llvm.coverage.json.export\",\"version\":\"2.0.1\",\"data\":[]}") == Format::llvm_cov_json);
  CHECK(sniff("{ \"data\" : [ ] }") == Format::llvm_cov_json);
  CHECK(sniff(llvm_export(3, 3)) == Format::llvm_cov_json);
}

TEST_CASE("sniff: coverage.py and gcovr JSON by their top-level keys") {
  CHECK(sniff("{\"meta\": {\"version\": \"6.5.0\"}, \"files\": {\"a.py\": {}}, \"totals\": {}}") ==
        Format::coveragepy_json);
  CHECK(sniff("\xEF\xBB\xBF\n {\"files\": {\"a.py\": {\"executed_lines\": [1]}}}") == Format::coveragepy_json);
  CHECK(
      sniff(
          "{\"files\": [{\"file\": \"a.c\", \"lines\": [{\"line_number\": 1}]}], \"gcovr/format_version\": \"0.3\"}") ==
      Format::gcovr_json);
  CHECK(sniff("{\"gcovr/format_version\": \"0.3\", \"files\": []}") == Format::gcovr_json);
  // A coverage.py report whose file list is longer than the head is still coverage.py.
  std::string py = "{\"meta\": {\"version\": \"6.5.0\"}, \"files\": {";
  while (py.size() < 2 * kHead) py += "\"data/x.py\": {\"executed_lines\": [1, 2], \"missing_lines\": []}, ";
  CHECK(sniff_head(py) == Format::coveragepy_json);
}

TEST_CASE("sniff: only top-level keys count, not keys nested or inside strings") {
  CHECK(sniff("{\"files\": {\"data\": [1]}}") == Format::coveragepy_json);
  CHECK(sniff("{\"note\": \"say \\\"data\\\": [ here\", \"files\": [{}]}") == Format::gcovr_json);
  CHECK(sniff("{\"x\": {\"data\": [], \"files\": []}, \"meta\": {}}") == Format::coveragepy_json);
  CHECK(sniff("{\"x\": {\"data\": [], \"files\": []}}") == std::nullopt);
  CHECK(sniff("{\"data\": {}}") == std::nullopt);
  CHECK(sniff("{}") == std::nullopt);
  CHECK(sniff("{\"data\"") == std::nullopt);  // cut in the middle
  CHECK(sniff("{\"unterminated") == std::nullopt);
  CHECK(sniff("{\"x\": \"\\") == std::nullopt);
  CHECK(sniff("{]]]]\"files\":[") == std::nullopt);  // closed before any key
}

TEST_CASE("sniff: XML and line formats are unchanged") {
  CHECK(sniff("<?xml version=\"1.0\"?>\n<coverage line-rate=\"1\">") == Format::cobertura);
  CHECK(
      sniff(
          "<?xml version=\"1.0\"?><!DOCTYPE report PUBLIC \"-//JACOCO//DTD Report 1.1//EN\" \"report.dtd\"><report>") ==
      Format::jacoco);
  CHECK(sniff("mode: set\na.go:1.1,2.2 1 1\n") == Format::go_coverprofile);
  CHECK(sniff("TN:\nSF:a.c\n") == Format::lcov);
  CHECK(sniff("  \n") == std::nullopt);
  CHECK(sniff("hello") == std::nullopt);
}
