#include "queue-report/scan.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using namespace queue_report;

namespace {

std::string temp_dir() {
  char tmpl[] = "/tmp/orchkit-queue-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  return tmpl;
}

void write(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

TEST_CASE("queue: the head scanner stops at the closing ---", "[queue]") {
  size_t resume = 0, end = 0;
  std::string t = "---\na: 1\n---\nbody\n---\nmore\n";
  REQUIRE(scan_head(t, false, resume, end) == Head::complete);
  CHECK(t.substr(0, end) == "---\na: 1\n---\n");
  // Arriving in pieces: the position carries over.
  resume = 0;
  CHECK(scan_head("---\na: 1\n--", false, resume, end) == Head::need_more);
  CHECK(scan_head("---\na: 1\n---\n", false, resume, end) == Head::complete);
  CHECK(end == 13);
  // Not front matter: only the first line is kept.
  resume = 0;
  CHECK(scan_head("garbage\nmore\n", false, resume, end) == Head::complete);
  CHECK(end == 8);
  // Unterminated at EOF: all of it, for the parser to say so.
  resume = 0;
  CHECK(scan_head("---\na: 1\n", true, resume, end) == Head::complete);
  CHECK(end == 9);
  // A BOM and CRLF line ends.
  resume = 0;
  std::string crlf = "\xEF\xBB\xBF---\r\na: 1\r\n---\r\nbody";
  CHECK(scan_head(crlf, false, resume, end) == Head::complete);
  CHECK(crlf.substr(end) == "body");
}

TEST_CASE("queue: read_head reads no further than the front matter", "[queue]") {
  std::string dir = temp_dir();
  std::string body(1 << 20, 'x');
  write(dir + "/a.md", "---\nstage: done\n---\n" + body);
  auto h = read_head(dir + "/a.md");
  REQUIRE(h);
  REQUIRE(*h);
  CHECK(**h == "---\nstage: done\n---\n");
  auto missing = read_head(dir + "/nope.md");
  REQUIRE(missing);
  CHECK_FALSE(*missing);
  std::filesystem::create_directories(dir + "/d.md");
  auto d = read_head(dir + "/d.md");
  REQUIRE_FALSE(d);
  CHECK(d.error().message == "cannot read: Is a directory");
  std::filesystem::remove_all(dir);
}

TEST_CASE("queue: scan lists task folders only, broken files with their problem", "[queue]") {
  std::string dir = temp_dir();
  write(dir + "/T-1/00-stage.md", "---\ntask: T-1\nstage: development\n---\n");
  write(dir + "/T-1/18-coverage-report.md", "not front matter\n");
  write(dir + "/T-2/90-stop.md", "---\nstatus: cancelled\n");
  write(dir + "/templates/00-stage.md", "---\nstage: x\n---\n");
  write(dir + "/T-3.md", "a file, not a folder\n");
  ScanOptions o;
  o.dir = dir;
  o.shown = "w";
  auto tasks = scan_tasks(o);
  REQUIRE(tasks);
  REQUIRE(tasks->size() == 2);
  std::sort(tasks->begin(), tasks->end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  const TaskFolder& t1 = (*tasks)[0];
  REQUIRE(t1.stage);
  REQUIRE(t1.stage->fm);
  CHECK(*t1.stage->fm->get("stage") == "development");
  REQUIRE(t1.coverage);
  CHECK_FALSE(t1.coverage->fm);
  CHECK(t1.coverage->file == "w/T-1/18-coverage-report.md");
  CHECK(t1.coverage->problem == "line 1: no front matter (the file must start with ---)");
  CHECK_FALSE(t1.stop);
  const TaskFolder& t2 = (*tasks)[1];
  REQUIRE(t2.stop);
  CHECK(t2.stop->problem == "line 2: the front matter has no closing --- (the file is truncated)");

  o.dir = dir + "/missing";
  auto none = scan_tasks(o);
  REQUIRE(none);
  CHECK(none->empty());
  o.must_exist = true;
  auto err = scan_tasks(o);
  REQUIRE_FALSE(err);
  CHECK(err.error().exit == orchkit::Exit::error);
  o.key_pattern = "[";
  auto bad = scan_tasks(o);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().exit == orchkit::Exit::usage);
  std::filesystem::remove_all(dir);
}

TEST_CASE("queue: the coverage artefact's name comes from coverage.artefact", "[queue]") {
  CHECK(coverage_file_name("{artefacts_dir}/{task}/18-coverage-report.md") == "18-coverage-report.md");
  CHECK(coverage_file_name("{artefacts_dir}/{task}/coverage.md") == "coverage.md");
  CHECK(coverage_file_name("out/{task}.md") == "18-coverage-report.md");
}

TEST_CASE("queue: invalid UTF-8 in an artefact never reaches the report", "[queue]") {
  CHECK(valid_utf8("plain") == "plain");
  CHECK(valid_utf8("caf\xC3\xA9 \xE2\x86\x92") == "caf\xC3\xA9 \xE2\x86\x92");
  CHECK(valid_utf8("a\xFF"
                   "b") ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(valid_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong
  CHECK(valid_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  CHECK(valid_utf8("\xE2\x86") == "\xEF\xBF\xBD\xEF\xBF\xBD");                  // cut short
  ArtefactFile a = artefact_from_text("---\nstage: dev\xFF\n---\n", "w/T-1/00-stage.md");
  REQUIRE(a.fm);
  CHECK(*a.fm->get("stage") == "dev\xEF\xBF\xBD");
}

TEST_CASE("queue: gate records from the state stand in for a missing coverage file", "[queue]") {
  std::vector<TaskFolder> tasks;
  TaskFolder local;
  local.key = "T-1";
  local.coverage = artefact_from_text("---\ncoverage_status: FAIL\n---\n", "w/T-1/18-coverage-report.md");
  tasks.push_back(local);
  std::vector<orchkit::state::GateRecord> gates = {
      {"T-1", "---\ncoverage_status: PASS\n---\n", ""},  // the local file is kept
      {"T-2", "---\ncoverage_status: PASS\n---\n", ""},  // gated on another runner
      {"../x", "---\n---\n", ""},                        // not a task key: skipped
  };
  add_gate_records(tasks, gates, "origin/orchkit/state", "[A-Z]+-[0-9]+");
  REQUIRE(tasks.size() == 2);
  CHECK(*tasks[0].coverage->fm->get("coverage_status") == "FAIL");
  CHECK(tasks[1].key == "T-2");
  CHECK(tasks[1].coverage->file == "origin/orchkit/state:gates/T-2.md");
  CHECK(*tasks[1].coverage->fm->get("coverage_status") == "PASS");
}
