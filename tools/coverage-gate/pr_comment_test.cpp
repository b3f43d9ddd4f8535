#include "coverage-gate/pr_comment.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>

#include "support/temp_dir.hpp"

using namespace coverage_gate;

namespace {

Outcome sample(size_t files) {
  Outcome o;
  o.version = "0.test";
  o.target = "main";
  o.commit = orchkit::git::Commit{};
  o.commit->sha = std::string(40, 'c');
  o.facts.line = {842, 1000};
  o.facts.baseline = Ratio{8402, 10000};
  o.facts.patch = Ratio{3, 4};
  o.verdict.status = Status::pass;
  Patch p;
  for (size_t i = 0; i < files; ++i) {
    PatchFile f;
    f.path = "src/dir " + std::to_string(i) + "/f`" + std::to_string(i) + ".c";
    f.lines = {1, 2};
    f.uncovered = {{12, 14}, {20, 20}};
    f.file = {9, 10};
    p.files.push_back(f);
  }
  p.unmeasured = {"README.md"};
  o.patch = p;
  return o;
}

}  // namespace

TEST_CASE("pr comment: the totals, the difference in points and linked ranges", "[coverage-gate][comment]") {
  const std::string body = render_pr_comment(sample(1), comment_marker("orchkit / coverage"),
                                             "http://g/acme/demo/src/commit/" + std::string(40, 'c'), 60'000);
  CHECK(body.rfind("<!-- orchkit coverage-gate: orchkit / coverage -->\n### coverage-gate: PASS", 0) == 0);
  CHECK(body.find("| this change (`cccccccccccc`) | 84.20 % (842/1000) |") != std::string::npos);
  CHECK(body.find("| baseline on `main` | 84.02 % (8402/10000) |") != std::string::npos);
  CHECK(body.find("| difference | +0.18 points |") != std::string::npos);
  CHECK(body.find("| changed lines | 75.00 % (3/4) |") != std::string::npos);
  // a backtick in a name cannot break the code span; a space is escaped in the link
  CHECK(body.find("| `src/dir 0/f?0.c` | 50.00 % (1/2) | [12–14](http://g/acme/demo/src/commit/") != std::string::npos);
  CHECK(body.find("/src/dir%200/f%600.c#L12-L14), [20](") != std::string::npos);
  CHECK(body.find("#L20)") != std::string::npos);
  CHECK(body.find("without coverage data: `README.md`") != std::string::npos);
  // no source: plain ranges
  const std::string plain = render_pr_comment(sample(1), "<!-- m -->", "", 60'000);
  CHECK(plain.find("| 12–14, 20 |") != std::string::npos);
}

TEST_CASE("pr comment: a drop shows a minus; the marker cannot close the HTML comment", "[coverage-gate][comment]") {
  Outcome o = sample(0);
  o.facts.line = {1, 3};  // 33.33 against 84.02
  std::string body = render_pr_comment(o, "<!-- m -->", "", 60'000);
  CHECK(body.find("| difference | -50.68 points |") != std::string::npos);
  o.facts.line = {8402, 10000};
  body = render_pr_comment(o, "<!-- m -->", "", 60'000);
  CHECK(body.find("| difference | ±0.00 points |") != std::string::npos);
  CHECK(comment_marker("a --> b") == "<!-- orchkit coverage-gate: a ___ b -->");
}

TEST_CASE("pr comment: 5,000 changed files stay under the size limit, the rest summed up", "[coverage-gate][comment]") {
  const std::string body = render_pr_comment(sample(5'000), "<!-- m -->", "http://g/a/b/src/commit/x", 60'000);
  CHECK(body.size() <= 60'000);
  CHECK(body.find("more changed files: see the artefact or `--json`.") != std::string::npos);
  CHECK(body.find("edited in place on every run</sub>") != std::string::npos);
}

TEST_CASE("pr comment: the pull request from --pr, the event, or GITHUB_REF", "[coverage-gate][comment]") {
  orchkit::testing::TempDir dir{"pr-event"};
  const std::string event = dir / "event.json";
  {
    FILE* f = std::fopen(event.c_str(), "w");
    REQUIRE(f);
    std::fputs(R"({"pull_request": {"number": 12}})", f);
    std::fclose(f);
  }
  ::unsetenv("GITHUB_EVENT_NAME");
  ::unsetenv("GITHUB_EVENT_PATH");
  ::unsetenv("GITHUB_REF");
  CHECK_FALSE(pull_request_number(std::nullopt));
  CHECK(pull_request_number(5) == 5);
  ::setenv("GITHUB_EVENT_PATH", event.c_str(), 1);
  ::setenv("GITHUB_EVENT_NAME", "push", 1);
  CHECK_FALSE(pull_request_number(std::nullopt));  // a push event's file names no PR of ours
  ::setenv("GITHUB_EVENT_NAME", "pull_request", 1);
  CHECK(pull_request_number(std::nullopt) == 12);
  ::unsetenv("GITHUB_EVENT_NAME");
  ::setenv("GITHUB_REF", "refs/pull/34/head", 1);
  CHECK(pull_request_number(std::nullopt) == 34);
  ::setenv("GITHUB_REF", "refs/pull/x/head", 1);
  CHECK_FALSE(pull_request_number(std::nullopt));
  ::setenv("GITHUB_REF", "refs/heads/main", 1);
  CHECK_FALSE(pull_request_number(std::nullopt));
  ::unsetenv("GITHUB_REF");
  ::unsetenv("GITHUB_EVENT_PATH");
}
