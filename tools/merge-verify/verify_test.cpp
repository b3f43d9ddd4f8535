#include "merge-verify/verify.hpp"

#include <catch2/catch.hpp>

using namespace merge_verify;

namespace {

const std::string kCommit(40, 'a');
const std::string kTree(40, 'b');

// A front matter as coverage-gate writes it, with `edit` applied (a value "" removes the key).
orchkit::FrontMatter fm(std::vector<std::pair<std::string, std::string>> edit) {
  orchkit::FrontMatter f;
  f.values = {{"coverage_status", "PASS"}, {"task", "T-1"},        {"commit", kCommit},  {"tree", kTree},
              {"target", "main"},          {"line_covered", "84"}, {"line_total", "99"}, {"line_pct", "84.84"}};
  for (auto& [k, v] : edit) {
    if (v.empty()) f.values.erase(k);
    else f.values[k] = v;
  }
  return f;
}

Landed landed(bool verified, BaselineAge age) {
  Landed l;
  l.landing.verified = verified;
  l.landing.why = verified ? "landed" : "did not land";
  if (verified) l.landing.landing = Landing{std::string(40, 'c'), kTree, How::merge_commit, 0};
  l.baseline = age;
  return l;
}

}  // namespace

TEST_CASE("gated_from: a front matter that disagrees with itself is refused", "[merge-verify]") {
  struct Row {
    const char* name;
    std::vector<std::pair<std::string, std::string>> edit;
    bool ok;
  };
  // clang-format off
  const std::vector<Row> rows = {
      {"as coverage-gate writes it", {}, true},
      {"line_pct truncated, not rounded (84.848... is 84.84)", {{"line_pct", "84.85"}}, false},
      {"line_pct of other numbers", {{"line_pct", "90.00"}}, false},
      {"line_covered larger than line_total", {{"line_covered", "120"}, {"line_pct", "121.21"}}, false},
      {"a FAIL with line_covered larger than line_total", {{"coverage_status", "FAIL"}, {"line_covered", "120"}, {"line_pct", ""}}, false},
      {"no line_pct for measured lines", {{"line_pct", ""}}, false},
      {"a PASS without lines", {{"line_covered", ""}, {"line_total", ""}, {"line_pct", ""}}, false},
      {"a PASS of 0 lines", {{"line_covered", "0"}, {"line_total", "0"}, {"line_pct", ""}}, false},
      {"a WARN of 0 lines, line_pct null", {{"coverage_status", "WARN"}, {"line_covered", "0"}, {"line_total", "0"}, {"line_pct", ""}}, true},
      {"line_total without line_covered", {{"line_covered", ""}}, false},
      {"line_covered that is not a number", {{"line_covered", "84x"}}, false},
      {"line_pct without lines", {{"coverage_status", "SKIPPED"}, {"line_covered", ""}, {"line_total", ""}}, false},
      {"commit not 40 hex", {{"commit", "abc"}}, false},
      {"commit in upper case", {{"commit", std::string(40, 'A')}}, false},
      {"tree not 40 hex", {{"tree", "t"}}, false},
      {"target_commit not 40 hex", {{"target_commit", "main"}}, false},
      {"target_commit 40 hex", {{"target_commit", std::string(40, 'd')}}, true},
      {"no coverage_status", {{"coverage_status", ""}}, false},
      {"an unknown coverage_status", {{"coverage_status", "OK"}}, false},
      {"100 %", {{"line_covered", "99"}, {"line_pct", "100.00"}}, true},
      {"head_commit not 40 hex", {{"head_commit", "HEAD^2"}}, false},
      {"head_commit 40 hex", {{"head_commit", std::string(40, 'e')}}, true},
  };
  // clang-format on
  for (const Row& r : rows) {
    SECTION(r.name) {
      auto g = gated_from(fm(r.edit), "a.md");
      CHECK(g.has_value() == r.ok);
      if (!g) {
        CHECK(g.error().exit == orchkit::Exit::no);
        CHECK(g.error().message.rfind("a.md: ", 0) == 0);
      }
    }
  }
}

TEST_CASE("gated_from: the head to merge is head_commit, the commit in older artefacts", "[merge-verify]") {
  CHECK(gated_from(fm({{"head_commit", std::string(40, 'e')}}), "a.md")->head_commit == std::string(40, 'e'));
  CHECK(gated_from(fm({}), "a.md")->head_commit == kCommit);
}

TEST_CASE("decide: verified, ratchet and stale", "[merge-verify]") {
  auto g = *gated_from(fm({}), "a.md");
  SECTION("not landed: not verified, nothing changes") {
    Decision d = decide(g, landed(false, BaselineAge::none));
    CHECK_FALSE(d.verified);
    CHECK_FALSE(d.ratchet);
    CHECK(d.why == "did not land");
  }
  SECTION("first merge, a newer landing and the same landing commit ratchet") {
    for (BaselineAge a : {BaselineAge::none, BaselineAge::not_older, BaselineAge::same, BaselineAge::unknown}) {
      Decision d = decide(g, landed(true, a));
      CHECK(d.verified);
      CHECK(d.ratchet);
      CHECK_FALSE(d.stale);
    }
  }
  SECTION("a landing older than the baseline's commit is stale: verified, never ratcheted") {
    Decision d = decide(g, landed(true, BaselineAge::older));
    CHECK(d.verified);
    CHECK_FALSE(d.ratchet);
    CHECK(d.stale);
    CHECK(d.why.find("stale") != std::string::npos);
  }
  SECTION("an unknown baseline commit is said") {
    CHECK(decide(g, landed(true, BaselineAge::unknown)).why.find("not in this repository") != std::string::npos);
  }
  SECTION("FAIL and ERROR should not have landed") {
    for (const char* s : {"FAIL", "ERROR"}) {
      Gated f = g;
      f.status = s;
      Decision d = decide(f, landed(true, BaselineAge::none));
      CHECK_FALSE(d.verified);
      CHECK_FALSE(d.ratchet);
    }
  }
  SECTION("WARN and SKIPPED pass through without a ratchet, stale or not") {
    for (const char* s : {"WARN", "SKIPPED"}) {
      Gated w = g;
      w.status = s;
      for (BaselineAge a : {BaselineAge::none, BaselineAge::older}) {
        Decision d = decide(w, landed(true, a));
        CHECK(d.verified);
        CHECK_FALSE(d.ratchet);
        CHECK_FALSE(d.stale);
      }
    }
  }
}
