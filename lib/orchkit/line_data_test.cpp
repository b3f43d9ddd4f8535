#include "orchkit/line_data.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "orchkit/state/open.hpp"
#include "orchkit/util/gzip.hpp"
#include "orchkit/util/sha256.hpp"

using namespace orchkit;

namespace {

coverage::Coverage sample() {
  coverage::Coverage c;
  auto& a = c.file("src/a.c").lines;
  for (uint32_t l : {1u, 2u, 3u}) a.add(l, true);
  a.add(6, false);
  a.add(7, true);
  a.add(5'000'000, false);  // beyond the dense limit
  c.file("odd\tname\\x.c").lines.add(1, false);
  c.file("empty.c");  // no measured line: not written
  return c;
}

void same_lines(const coverage::Coverage& a, const coverage::Coverage& b) {
  for (const auto& [path, fc] : a.files) {
    if (fc.lines.empty()) continue;
    auto it = b.files.find(path);
    REQUIRE(it != b.files.end());
    std::vector<std::pair<uint32_t, bool>> x, y;
    fc.lines.for_each([&](uint32_t l, bool c) { x.emplace_back(l, c); });
    it->second.lines.for_each([&](uint32_t l, bool c) { y.emplace_back(l, c); });
    CHECK(x == y);
  }
}

}  // namespace

TEST_CASE("line data: runs of covered and uncovered lines, escaped paths, round trip", "[line_data]") {
  auto c = sample();
  std::string text = line_data::to_text(c);
  CHECK(text.find("src/a.c\t0+3c 2+1u 0+1c 4999992+1u\n") != std::string::npos);
  CHECK(text.find("odd\\tname\\\\x.c\t0+1u\n") != std::string::npos);
  CHECK(text.find("empty.c") == std::string::npos);
  auto gz = line_data::encode(c);
  REQUIRE(gz);
  auto back = line_data::decode(*gz, "x.lines.gz");
  REQUIRE(back);
  CHECK(back->files.size() == 2);
  same_lines(c, *back);
  CHECK(back->totals() == coverage::Tally{4, 7});
}

// The runs as the format defines them, a line at a time: the oracle for to_text's word-level scan.
std::string runs_by_line(const coverage::LineSet& lines) {
  std::string out;
  uint64_t next = 1, start = 0, len = 0;
  bool state = false;
  auto emit = [&] {
    out += std::to_string(start - next) + "+" + std::to_string(len) + (state ? "c " : "u ");
    next = start + len;
  };
  lines.for_each([&](uint32_t line, bool covered) {
    if (len > 0 && line == start + len && covered == state) {
      ++len;
      return;
    }
    if (len > 0) emit();
    start = line, len = 1, state = covered;
  });
  if (len > 0) emit();
  if (!out.empty()) out.back() = '\n';
  return out;
}

TEST_CASE("line data: the word-level run scan writes what a line-by-line scan writes", "[line_data]") {
  std::mt19937 rng(11);
  for (int round = 0; round < 300; ++round) {
    coverage::Coverage c;
    auto& ls = c.file("f.c").lines;
    const uint32_t span = 1 + rng() % (round < 100 ? 70 : 5000);
    const int density = 1 + static_cast<int>(rng() % 10);  // of 10: how many lines are measured
    const int flips = 1 + static_cast<int>(rng() % 10);    // of 10: how often the state changes
    bool state = rng() % 2;
    for (uint32_t l = 1; l <= span; ++l) {
      if (static_cast<int>(rng() % 10) >= density) continue;
      if (static_cast<int>(rng() % 10) < flips) state = !state;
      ls.add(l, state);
    }
    if (round % 7 == 0) ls.add(4'194'304 + rng() % 1000, rng() % 2);  // a sparse line too
    if (ls.empty()) continue;
    std::string text = line_data::to_text(c);
    INFO("round " << round << "\n" << text);
    CHECK(text == std::string("orchkit-lines 1\nf.c\t") + runs_by_line(ls));
  }
}

TEST_CASE("line data: malformed input is an error naming the line", "[line_data]") {
  CHECK_FALSE(line_data::from_text("", "f"));
  CHECK_FALSE(line_data::from_text("orchkit-lines 2\n", "f"));
  auto e = line_data::from_text("orchkit-lines 1\na.c\t0+3x\n", "f");
  REQUIRE_FALSE(e);
  CHECK_THAT(e.error().message, Catch::Contains("f:2"));
  CHECK_FALSE(line_data::from_text("orchkit-lines 1\na.c 0+3c\n", "f"));              // no tab
  CHECK_FALSE(line_data::from_text("orchkit-lines 1\na.c\t0+0c\n", "f"));             // empty run
  CHECK_FALSE(line_data::from_text("orchkit-lines 1\na.c\t4294967295+2c\n", "f"));    // past 32 bits
  CHECK_FALSE(line_data::from_text("orchkit-lines 1\na.c\t0+1c\na.c\t3+1c\n", "f"));  // a file twice
  CHECK_FALSE(line_data::from_text("orchkit-lines 1\na.c\t4194300+100c\n", "f"));     // a long run past 4 Mi
  CHECK(line_data::from_text("orchkit-lines 1\na.c\t4194300+60c\n", "f"));
  CHECK_FALSE(line_data::from_text("orchkit-lines 1\na.c\t0+10c\nb.c\t0+10c\n", "f", 15));  // over the budget
  CHECK(line_data::from_text("orchkit-lines 1\na.c\t0+10c\nb.c\t0+10c\n", "f", 20));
  CHECK_FALSE(line_data::decode("not gzip at all", "f"));
  auto gz = line_data::encode(sample());
  REQUIRE(gz);
  CHECK_FALSE(line_data::decode(gz->substr(0, gz->size() / 2), "f"));  // truncated
}

TEST_CASE("line data version 2: the bitsets copied, read back as version 1 reads its runs", "[line_data]") {
  auto c = sample();
  std::string words = line_data::to_words(c);
  CHECK(words.rfind("orchkit-lines 2\n", 0) == 0);
  CHECK(words.find("src/a.c\t1\t4999999+1u\n") != std::string::npos);  // one word, the sparse line as a run
  CHECK(words.find("odd\\tname\\\\x.c\t1\t\n") != std::string::npos);
  CHECK(words.find("empty.c") == std::string::npos);
  auto back = line_data::from_words(words, "w");
  REQUIRE(back);
  CHECK(back->files.size() == 2);
  same_lines(c, *back);
  // A gzip of version 1, as earlier builds stored it, still decodes.
  auto v1 = gzip_compress(line_data::to_text(c));
  REQUIRE(v1);
  auto old = line_data::decode(*v1, "old.lines.gz");
  REQUIRE(old);
  same_lines(c, *old);
  // The same lines in both forms, for random sets (version 1 the oracle).
  std::mt19937 rng(5);
  for (int round = 0; round < 200; ++round) {
    coverage::Coverage r;
    for (int f = 0; f < 3; ++f) {
      auto& ls = r.file("f" + std::to_string(f) + ".c").lines;
      const uint32_t span = 1 + rng() % (round < 50 ? 130 : 9000);
      for (uint32_t l = 1; l <= span; ++l)
        if (rng() % 3 == 0) ls.add(l, rng() % 2);
      if (round % 5 == 0) ls.add(4'194'304 + rng() % 100, rng() % 2);
    }
    auto w = line_data::from_words(line_data::to_words(r), "w");
    REQUIRE(w);
    CHECK(line_data::to_text(*w) == line_data::to_text(r));
  }
}

TEST_CASE("line data version 2: malformed input is an error naming the byte", "[line_data]") {
  auto word = [](uint64_t v) { return std::string(reinterpret_cast<const char*>(&v), 8); };
  const std::string head = "orchkit-lines 2\n";
  auto err = [](std::string_view data, uint64_t max = uint64_t{1} << 34) {
    auto r = line_data::from_words(data, "f", max);
    REQUIRE_FALSE(r);
    return r.error().message;
  };
  CHECK(line_data::from_words(head + "a.c\t1\t\n" + word(6) + word(2), "f"));  // lines 1, 2; 1 covered
  CHECK_THAT(err(""), Catch::Contains("expected 'orchkit-lines 2'"));
  CHECK_THAT(err(head + "a.c\t1\t\n" + word(6)), Catch::Contains("f: byte 16: the words of a.c are cut short"));
  CHECK_THAT(err(head + "a.c\t1\t\n" + word(6) + word(9)), Catch::Contains("not measured"));
  CHECK_THAT(err(head + "a.c\t1\t\n" + word(1) + word(0)), Catch::Contains("line 0"));
  CHECK_THAT(err(head + "a.c\t0\t\n"), Catch::Contains("no measured line"));
  CHECK_THAT(err(head + "a.c\tx\t\n"), Catch::Contains("word count"));
  CHECK_THAT(err(head + "a.c\t65537\t\n"), Catch::Contains("word count"));
  CHECK_THAT(err(head + "a.c\t1\n" + word(2) + word(2)), Catch::Contains("word count"));
  CHECK_THAT(err(head + "a.c 1\n"), Catch::Contains("expected <path>"));
  CHECK_THAT(err(head + "bad\\q\t1\t\n" + word(2) + word(2)), Catch::Contains("a bad path"));
  CHECK_THAT(err(head + "a.c\t1\t\n" + word(2) + word(2) + "a.c\t1\t\n" + word(2) + word(2)),
             Catch::Contains("the file a.c twice"));
  CHECK_THAT(err(head + "a.c\t1\t0+0c\n" + word(2) + word(2)), Catch::Contains("a bad run"));
  CHECK_THAT(err(head + "a.c\t1\t\n" + word(~uint64_t{1}) + word(0), 10), Catch::Contains("more lines"));
  CHECK_FALSE(line_data::decode(*gzip_compress(head + "a.c\t1\t\n" + word(6)), "f"));
}

TEST_CASE("line data: the file beside an artefact", "[line_data]") {
  CHECK(line_data::path_beside("/r/docs/ORCH-1/18-coverage-report.md") == "/r/docs/ORCH-1/18-coverage-report.lines.gz");
  CHECK(line_data::path_beside("/tmp/gate.out") == "/tmp/gate.out.lines.gz");
}

TEST_CASE("state: baseline line data stored, replaced and read back whole (binary-safe)", "[line_data][state]") {
  char tmpl[] = "/tmp/orchkit-lines-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  std::string path = std::string(tmpl) + "/state.db";
  {
    auto st = state::State::open(path, true);
    REQUIRE(st);
    auto none = st->lines("o/r", "main");
    REQUIRE(none);
    CHECK(!*none);
    auto gz = line_data::encode(sample());
    REQUIRE(gz);
    CHECK(gz->find('\0') != std::string::npos);
    REQUIRE(st->store_lines("o/r", "main", {std::string(40, 'a'), "h1", *gz, {}}));
    REQUIRE(st->store_lines("o/r", "main", {std::string(40, 'b'), "h2", *gz, {}}));
    auto got = st->lines("o/r", "main");
    REQUIRE(got);
    REQUIRE(*got);
    CHECK((*got)->commit == std::string(40, 'b'));
    CHECK((*got)->sha256 == "h2");
    CHECK((*got)->data == *gz);
    auto other = st->lines("o/r", "dev");
    REQUIRE(other);
    CHECK(!*other);
  }
  std::filesystem::remove_all(tmpl);
}
