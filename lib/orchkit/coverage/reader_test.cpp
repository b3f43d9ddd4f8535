#include "orchkit/coverage/reader.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "orchkit/util/file.hpp"
#include "orchkit/util/sha256.hpp"
#include "orchkit/util/sha256_pipe.hpp"
#include "support/temp_dir.hpp"

using namespace orchkit;
using namespace orchkit::coverage;
namespace fs = std::filesystem;

namespace {

struct TempDir : testing::TempDir {
  TempDir() : testing::TempDir("reader-test") {}
};

// An LCOV report of `files` files, large enough to take several read chunks.
std::string big_lcov(size_t files) {
  std::string s;
  for (size_t f = 0; f < files; ++f) {
    s += "SF:src/f" + std::to_string(f) + ".c\n";
    for (int l = 1; l <= 400; ++l) s += "DA:" + std::to_string(l) + "," + std::to_string(l % 3) + "\n";
    s += "end_of_record\n";
  }
  return s;
}

}  // namespace

TEST_CASE("Sha256 and Sha256Pipe give the one-shot digest, whatever the pieces") {
  std::string data(3'000'000, 'x');
  for (size_t i = 0; i < data.size(); i += 7) data[i] = static_cast<char>('a' + i % 26);
  std::string want = sha256_hex(data);
  Sha256 inc;
  inc.update(std::string_view(data).substr(0, 12345));
  inc.update(std::string_view(data).substr(12345));
  CHECK(inc.hex() == want);
  Sha256Pipe pipe;
  uint64_t t = 0;
  for (size_t at = 0; at < data.size(); at += 65536) t = pipe.add(std::string_view(data).substr(at, 65536));
  pipe.wait(t);
  CHECK(pipe.finish() == want);
  Sha256Pipe empty;
  CHECK(empty.finish() == sha256_hex(""));
}

TEST_CASE("read_report hashes the file as stored, in the same pass, for streamed and mapped formats") {
  TempDir dir;
  PathRules rules{dir.path.string(), {}};
  std::string lcov = dir.write("cov.info", big_lcov(1500));  // ~5 MB: several chunks
  std::string json = dir.write(
      "coverage.json",
      R"({"meta": {"version": "7.2"}, "files": {"a.py": {"executed_lines": [1, 2], "missing_lines": [3], "excluded_lines": []}}})");
  for (const auto& path : {lcov, json}) {
    CAPTURE(path);
    auto rep = read_report(ReportSpec{path, std::nullopt}, rules, true);
    REQUIRE(rep);
    auto want = sha256_file(path);
    REQUIRE(want);
    CHECK(rep->sha256 == *want);
    auto plain = read_report(ReportSpec{path, std::nullopt}, rules);
    REQUIRE(plain);
    CHECK(plain->sha256.empty());
    CHECK(plain->coverage.totals().covered == rep->coverage.totals().covered);
    CHECK(plain->coverage.totals().total == rep->coverage.totals().total);
  }
  auto merged = read_reports({ReportSpec{lcov, std::nullopt}, ReportSpec{json, std::nullopt}}, rules, true);
  REQUIRE(merged);
  REQUIRE(merged->reports.size() == 2);
  CHECK(merged->reports[0].sha256 == *sha256_file(lcov));
  CHECK(merged->reports[1].sha256 == *sha256_file(json));
}

TEST_CASE("read_report hashes a gzip report as stored (compressed)") {
  TempDir dir;
  PathRules rules{dir.path.string(), {}};
  std::string plain = dir.write("cov.info", big_lcov(800));
  std::string gz = plain + ".gz";
  REQUIRE(std::system(("gzip -c '" + plain + "' > '" + gz + "'").c_str()) == 0);
  auto rep = read_report(ReportSpec{gz, std::nullopt}, rules, true);
  REQUIRE(rep);
  CHECK(rep->sha256 == *sha256_file(gz));
  CHECK(rep->sha256 != *sha256_file(plain));
  CHECK(rep->coverage.totals().total == 800u * 400u);
}

TEST_CASE("read_report with a hash still reports a malformed report's error") {
  TempDir dir;
  PathRules rules{dir.path.string(), {}};
  std::string bad = dir.write("bad.info", big_lcov(600) + "SF:x.c\nDA:zz,1\n");
  auto with = read_report(ReportSpec{bad, std::nullopt}, rules, true);
  auto without = read_report(ReportSpec{bad, std::nullopt}, rules);
  REQUIRE(!with);
  REQUIRE(!without);
  CHECK(with.error().message == without.error().message);
  std::string badjson = dir.write("bad.json", R"({"files": {"a.py": {"executed_lines": [1, "x"]}}})");
  auto j1 = read_report(ReportSpec{badjson, std::nullopt}, rules, true);
  auto j2 = read_report(ReportSpec{badjson, std::nullopt}, rules);
  REQUIRE(!j1);
  REQUIRE(!j2);
  CHECK(j1.error().message == j2.error().message);
}
