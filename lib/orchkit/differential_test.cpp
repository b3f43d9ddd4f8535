#include "orchkit/differential.hpp"

#include <catch2/catch.hpp>
#include <sstream>

using namespace orchkit;
using namespace orchkit::differential;
using linemap::FileChange;
using linemap::Hunk;
using linemap::LineMap;

namespace {

// {"a.c", "1c 2u 7c"}: line 1 covered, 2 measured and not covered, 7 covered.
coverage::Coverage cov(const std::vector<std::pair<std::string, std::string>>& files) {
  coverage::Coverage c;
  for (const auto& [path, lines] : files) {
    auto& fc = c.file(path);
    std::istringstream in(lines);
    std::string tok;
    while (in >> tok) fc.lines.add(static_cast<uint32_t>(std::stoul(tok)), tok.back() == 'c');
  }
  return c;
}

// "CBC=2 LBC=1": every category not named is 0.
Counts counts(const std::string& spec) {
  Counts c;
  std::istringstream in(spec);
  std::string tok;
  while (in >> tok) {
    auto eq = tok.find('=');
    for (Category k : kAllCategories)
      if (category_name(k) == tok.substr(0, eq)) c[k] = std::stoull(tok.substr(eq + 1));
  }
  return c;
}

std::string show(const Counts& c) {
  std::string s;
  for (Category k : kAllCategories)
    if (c[k]) s += std::string(category_name(k)) + "=" + std::to_string(c[k]) + " ";
  return s;
}

struct Row {
  const char* name;
  std::vector<std::pair<std::string, std::string>> baseline;
  std::vector<std::pair<std::string, std::string>> head;
  LineMap map;
  std::vector<std::pair<std::string, std::string>> expect;  // path -> counts
};

LineMap changed(std::vector<std::pair<std::string, FileChange>> files,
                std::set<std::string, std::less<>> deleted = {}) {
  LineMap m;
  for (auto& [p, c] : files) m.changed[p] = c;
  m.deleted = std::move(deleted);
  return m;
}

}  // namespace

TEST_CASE("categorise: every lcov category, table", "[differential]") {
  const std::vector<Row> rows = {
      {"unchanged file: CBC LBC GBC UBC GIC UIC ECB EUB",
       {{"f.c", "1c 2c 3u 4u 5c 6u"}},
       {{"f.c", "1c 2u 3c 4u 7c 8u"}},
       {},
       {{"f.c", "CBC=1 LBC=1 GBC=1 UBC=1 GIC=1 UIC=1 ECB=1 EUB=1"}}},
      {"inserted lines are new: GNC UNC, the lines after them keep their history",
       {{"f.c", "1c 2c 3c"}},
       {{"f.c", "1c 2c 3c 4u 5c"}},
       changed({{"f.c", {"f.c", false, {Hunk{2, 0, 3, 2}}}}}),
       {{"f.c", "CBC=3 GNC=1 UNC=1"}}},
      {"an insertion at the top of the file (old_start 0)",
       {{"f.c", "1c 2u"}},
       {{"f.c", "1u 2c 3u"}},
       changed({{"f.c", {"f.c", false, {Hunk{0, 0, 1, 1}}}}}),
       {{"f.c", "UNC=1 CBC=1 UBC=1"}}},
      {"deleted lines: DCB DUB only, the rest shifts up",
       {{"f.c", "1c 2c 3u 4c"}},
       {{"f.c", "1c 2c"}},
       changed({{"f.c", {"f.c", false, {Hunk{2, 2, 1, 0}}}}}),
       {{"f.c", "CBC=2 DCB=1 DUB=1"}}},
      {"a changed line that lost coverage is UNC (new), not LBC",
       {{"f.c", "1c 2c 3c"}},
       {{"f.c", "1c 2u 3c"}},
       changed({{"f.c", {"f.c", false, {Hunk{2, 1, 2, 1}}}}}),
       {{"f.c", "CBC=2 UNC=1 DCB=1"}}},
      {"a renamed file keeps its baseline: LBC on an untouched line",
       {{"a.c", "1c 2c"}},
       {{"b.c", "1c 2u"}},
       changed({{"b.c", {"a.c", false, {}}}}),
       {{"b.c", "CBC=1 LBC=1"}}},
      {"a renamed and edited file",
       {{"a.c", "1c 2c 3c"}},
       {{"b.c", "1c 2c 3u 4c"}},
       changed({{"b.c", {"a.c", false, {Hunk{1, 1, 1, 2}}}}}),
       {{"b.c", "GNC=2 LBC=1 CBC=1 DCB=1"}}},
      {"an added file: every line new",
       {},
       {{"n.c", "1c 2u 3u"}},
       changed({{"n.c", {"", true, {}}}}),
       {{"n.c", "GNC=1 UNC=2"}}},
      {"a deleted file: DCB DUB, nothing fails",
       {{"old.c", "1c 2u 3c"}, {"k.c", "1c"}},
       {{"k.c", "1c"}},
       changed({}, {"old.c"}),
       {{"k.c", "CBC=1"}, {"old.c", "DCB=2 DUB=1"}}},
      {"a line moved within a file: deleted where it was, new where it is",
       {{"f.c", "1c 2c 3c"}},
       {{"f.c", "1c 2c 3c"}},
       changed({{"f.c", {"f.c", false, {Hunk{1, 1, 0, 0}, Hunk{3, 0, 3, 1}}}}}),
       {{"f.c", "CBC=2 GNC=1 DCB=1"}}},
      {"a file the baseline did not measure, unchanged: GIC UIC", {}, {{"x.c", "1c 2u"}}, {}, {{"x.c", "GIC=1 UIC=1"}}},
      {"a file HEAD no longer measures, unchanged: ECB EUB", {{"y.c", "1c 2u"}}, {}, {}, {{"y.c", "ECB=1 EUB=1"}}},
      {"docs/differential.md's worked example: add() deleted, sub() no longer tested",
       {{"src/calc.c", "1c 2c 4c 5c 7u 8u"}},
       {{"src/calc.c", "1u 2u 4u 5u"}},
       changed({{"src/calc.c", {"src/calc.c", false, {Hunk{1, 3, 0, 0}}}}}),
       {{"src/calc.c", "DCB=2 LBC=2 UBC=2"}}},
      {"the worked example's deletion alone",
       {{"src/calc.c", "1c 2c 4c 5c 7u 8u"}},
       {{"src/calc.c", "1c 2c 4u 5u"}},
       changed({{"src/calc.c", {"src/calc.c", false, {Hunk{1, 3, 0, 0}}}}}),
       {{"src/calc.c", "DCB=2 CBC=2 UBC=2"}}},
      {"a file renamed away and a new one added at its path",
       {{"a.c", "1c 2c"}},
       {{"a.c", "1u"}, {"b.c", "1c 2u"}},
       changed({{"a.c", {"", true, {}}}, {"b.c", {"a.c", false, {}}}}),
       {{"a.c", "UNC=1"}, {"b.c", "CBC=1 LBC=1"}}},
  };
  for (const auto& row : rows) {
    SECTION(row.name) {
      auto r = categorise(cov(row.baseline), cov(row.head), row.map);
      REQUIRE(r.files.size() == row.expect.size());
      Counts total;
      for (size_t i = 0; i < row.expect.size(); ++i) {
        CHECK(r.files[i].path == row.expect[i].first);
        Counts want = counts(row.expect[i].second);
        CHECK(show(r.files[i].counts) == show(want));
        for (size_t k = 0; k < kCategories; ++k) total.n[k] += want.n[k];
      }
      CHECK(show(r.total) == show(total));
    }
  }
}

TEST_CASE("categorise: ranges of UNC, LBC and UIC lines name HEAD's line numbers", "[differential]") {
  auto r = categorise(cov({{"f.c", "1c 2c 3c 4c 5u"}}), cov({{"f.c", "1c 2c 3u 4u 5c 6u 7u 9u"}}),
                      changed({{"f.c", {"f.c", false, {Hunk{5, 0, 6, 2}}}}}));
  REQUIRE(r.files.size() == 1);
  CHECK(r.files[0].lbc == Ranges{{3, 4}});
  CHECK(r.files[0].unc == Ranges{{6, 7}});
  CHECK(r.files[0].uic == Ranges{{9, 9}});
  CHECK(r.files[0].counts.budgeted() == 5);
  CHECK(r.files[0].counts[Category::GBC] == 1);
}

TEST_CASE("categorise: the baseline path of a renamed file and of a new one", "[differential]") {
  auto r = categorise(cov({{"a.c", "1c"}}), cov({{"b.c", "1c"}, {"n.c", "1c"}}),
                      changed({{"b.c", {"a.c", false, {}}}, {"n.c", {"", true, {}}}}));
  REQUIRE(r.files.size() == 2);
  CHECK(r.files[0].baseline_path == "a.c");
  CHECK(r.files[1].baseline_path.empty());
}

TEST_CASE("line map: old <-> new line numbers around hunks", "[differential]") {
  // -2,1 +2,3 (line 2 replaced by three), -5,2 +6,0 (old 5-6 deleted after new 6)
  std::vector<Hunk> h = {{2, 1, 2, 3}, {5, 2, 6, 0}};
  CHECK(linemap::old_line_of(h, 1) == 1u);
  CHECK(!linemap::old_line_of(h, 2));
  CHECK(!linemap::old_line_of(h, 4));
  CHECK(linemap::old_line_of(h, 5) == 3u);
  CHECK(linemap::old_line_of(h, 6) == 4u);
  CHECK(linemap::old_line_of(h, 7) == 7u);
  CHECK(linemap::old_line_of(h, 8) == 8u);
  CHECK(linemap::new_line_of(h, 1) == 1u);
  CHECK(!linemap::new_line_of(h, 2));
  CHECK(linemap::new_line_of(h, 3) == 5u);
  CHECK(linemap::new_line_of(h, 4) == 6u);
  CHECK(!linemap::new_line_of(h, 5));
  CHECK(!linemap::new_line_of(h, 6));
  CHECK(linemap::new_line_of(h, 7) == 7u);
}

TEST_CASE("categorise: the 64-lines-a-step walk agrees with the line-by-line one on random files", "[differential]") {
  // A line past the dense limit on both sides sends a file down the line-by-line path; it adds one
  // CBC and nothing else, so the two paths must agree on everything else.
  uint64_t seed = 12345;
  auto rnd = [&](uint64_t n) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return (seed >> 33) % n;
  };
  for (int round = 0; round < 300; ++round) {
    coverage::Coverage base, head;
    auto& b = base.file("f.c").lines;
    auto& h = head.file("f.c").lines;
    uint32_t n = static_cast<uint32_t>(1 + rnd(300));
    for (uint32_t l = 1; l <= n; ++l) {
      if (rnd(3)) b.add(l, rnd(2));
      if (rnd(3)) h.add(l, rnd(2));
    }
    std::vector<Hunk> hunks;
    uint32_t old_at = 0, new_at = 0;
    while (hunks.size() < 6) {
      uint32_t gap = static_cast<uint32_t>(1 + rnd(60));
      uint32_t del = static_cast<uint32_t>(rnd(4)), ins = static_cast<uint32_t>(rnd(4));
      if (del == 0 && ins == 0) ins = 1;
      old_at += gap, new_at += gap;
      Hunk k{del ? old_at : old_at - 1, del, ins ? new_at : new_at - 1, ins};
      hunks.push_back(k);
      old_at += del ? del - 1 : 0;
      new_at += ins ? ins - 1 : 0;
      if (!del) --old_at;
      if (!ins) --new_at;
      if (old_at > n || new_at > n) break;
    }
    LineMap m = changed({{"f.c", {"f.c", false, hunks}}});
    auto fast = categorise(base, head, m);
    int64_t d = 0;
    for (const auto& k : hunks) d += static_cast<int64_t>(k.new_lines) - static_cast<int64_t>(k.old_lines);
    const uint32_t far = 5'000'000;
    b.add(static_cast<uint32_t>(far - d), true);
    h.add(far, true);
    auto slow = categorise(base, head, m);
    INFO("round " << round);
    REQUIRE(fast.files.size() == 1);
    REQUIRE(slow.files.size() == 1);
    Counts want = fast.files[0].counts;
    ++want[Category::CBC];
    CHECK(show(slow.files[0].counts) == show(want));
    CHECK(slow.files[0].unc == fast.files[0].unc);
    CHECK(slow.files[0].lbc == fast.files[0].lbc);
    CHECK(slow.files[0].uic == fast.files[0].uic);
  }
}
