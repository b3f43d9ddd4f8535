#include "orchkit/coverage/paths.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "support/temp_dir.hpp"

using namespace orchkit::coverage;

namespace {

// A repository that holds exactly `files` (repository-relative), and a record of what was asked.
struct FakeRepo {
  std::set<std::string> files;
  std::vector<std::string> asked = {};
  PathExists exists() {
    return [this](const std::string& n) {
      asked.push_back(n);
      return files.count(n) == 1;
    };
  }
};

Coverage one_file(std::string key, std::vector<std::string> alternatives, uint32_t line = 1) {
  Coverage cov;
  FileCoverage& fc = cov.file(key);
  fc.lines.add(line, true);
  fc.alternatives = std::move(alternatives);
  return cov;
}

}  // namespace

TEST_CASE("paths: normalize_path strips, folds and makes paths repository-relative") {
  PathRules rules{"/home/ci/repo", {"build/"}};
  CHECK(normalize_path("/home/ci/repo/src/a.c", rules) == "src/a.c");
  CHECK(normalize_path("file:///home/ci/repo/./src/x/../a.c", rules) == "src/a.c");
  CHECK(normalize_path("build/src\\a.c", rules) == "src/a.c");
  CHECK(normalize_path("/home/ci/repository/a.c", rules) == "/home/ci/repository/a.c");
  CHECK(normalize_path("/elsewhere/a.c", rules) == "/elsewhere/a.c");
}

TEST_CASE("paths: a path already normal is kept as the full fold would give it") {
  // Every path over a small alphabet, normalised as given (most skip the fold) and with a "./"
  // put in front of it (which always takes the fold): the same answer, root stripped or not.
  PathRules rules{"/r/a", {}};
  const char alphabet[] = {'a', '/', '.', 'r'};
  size_t checked = 0;
  for (size_t len = 1; len <= 7; ++len) {
    size_t total = 1;
    for (size_t k = 0; k < len; ++k) total *= 4;
    for (size_t code = 0; code < total; ++code) {
      std::string p;
      for (size_t c = code, k = 0; k < len; ++k, c /= 4) p += alphabet[c % 4];
      std::string folded = p[0] == '/' ? "/." + p : "./" + p;
      INFO(p);
      CHECK(normalize_path(p, rules) == normalize_path(folded, rules));
      ++checked;
    }
  }
  CHECK(checked == 21844);
  CHECK(normalize_path("/r/a/src/b.c", rules) == "src/b.c");
  CHECK(normalize_path("/r/a/", rules) == "/r/a");
  CHECK(normalize_path("src//b.c/", rules) == "src/b.c");
  CHECK(normalize_path("../b.c", rules) == "../b.c");
}

TEST_CASE("paths: an ambiguous file takes the first of its names that exists in the repository") {
  PathRules rules{"/p", {}};
  struct Row {
    const char* what;
    std::set<std::string> files;
    std::string want;
  };
  std::vector<std::string> alternatives{"/p/tests/t.py", "/p/tools/t.py"};
  for (const Row& row : {
           Row{"the key exists: it wins", {"pkg/t.py", "tests/t.py"}, "pkg/t.py"},
           Row{"only the second source holds it", {"tests/t.py"}, "tests/t.py"},
           Row{"the second and third hold it: the second wins", {"tests/t.py", "tools/t.py"}, "tests/t.py"},
           Row{"only the third holds it", {"tools/t.py"}, "tools/t.py"},
           Row{"none holds it: the key (the first source)", {}, "pkg/t.py"},
       }) {
    INFO(row.what);
    FakeRepo repo{row.files};
    Coverage out = normalize_paths(one_file("/p/pkg/t.py", alternatives), rules, repo.exists());
    REQUIRE(out.files.size() == 1);
    CHECK(out.files.begin()->first == row.want);
    CHECK(out.files.begin()->second.alternatives.empty());
  }
}

TEST_CASE("paths: files without alternatives never touch the filesystem") {
  FakeRepo repo{{}};
  Coverage cov = one_file("/p/a.c", {});
  cov.file("/p/b.c").lines.add(3, false);
  Coverage out = normalize_paths(std::move(cov), PathRules{"/p", {}}, repo.exists());
  CHECK(out.files.size() == 2);
  CHECK(out.files.count("a.c") == 1);
  CHECK(repo.asked.empty());
}

TEST_CASE("paths: alternatives are normalised (strip, fold) before they are looked up") {
  FakeRepo repo{{"tests/t.py"}};
  Coverage out =
      normalize_paths(one_file("/ci/pkg/t.py", {"/ci/x/../tests/t.py"}), PathRules{"/p", {"/ci/"}}, repo.exists());
  REQUIRE(out.files.count("tests/t.py") == 1);
  CHECK(repo.asked == std::vector<std::string>{"pkg/t.py", "tests/t.py"});
}

TEST_CASE("paths: two report names that resolve to one file merge by line") {
  FakeRepo repo{{"tests/t.py"}};
  Coverage cov = one_file("/p/pkg/t.py", {"/p/tests/t.py"}, 1);
  cov.file("/p/tests/t.py").lines.add(2, false);
  Coverage out = normalize_paths(std::move(cov), PathRules{"/p", {}}, repo.exists());
  REQUIRE(out.files.size() == 1);
  CHECK(out.files.at("tests/t.py").totals() == Tally{1, 2});
}

TEST_CASE("paths: files_under_root finds regular files in the repository only") {
  namespace fs = std::filesystem;
  orchkit::testing::TempDir scratch("paths");
  const fs::path& root = scratch.path;
  fs::create_directories(root / "tests" / "dir.py");
  std::ofstream(root / "tests" / "t.py") << "x = 1\n";
  PathExists exists = files_under_root(PathRules{root.string(), {}});
  CHECK(exists("tests/t.py"));
  CHECK_FALSE(exists("pkg/t.py"));
  CHECK_FALSE(exists("tests/dir.py"));                      // a directory is not the file
  CHECK_FALSE(exists((root / "tests" / "t.py").string()));  // absolute: outside the root once normalised
  CHECK_FALSE(exists(""));
  Coverage out = normalize_paths(one_file(root.string() + "/pkg/t.py", {root.string() + "/tests/t.py"}),
                                 PathRules{root.string(), {}});
  CHECK(out.files.count("tests/t.py") == 1);
}
