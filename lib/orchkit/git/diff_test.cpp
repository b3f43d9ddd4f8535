#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "orchkit/git/repo.hpp"

using namespace orchkit;
namespace fs = std::filesystem;

namespace {

struct TempRepo {
  fs::path path = fs::temp_directory_path() / ("orchkit-git-diff-test-" + std::to_string(::getpid()));
  TempRepo() {
    fs::remove_all(path);
    fs::create_directories(path);
    git("init -q -b main");
  }
  ~TempRepo() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  void git(const std::string& args) const {
    std::string cmd = "cd '" + path.string() +
                      "' && GIT_CONFIG_NOSYSTEM=1 HOME=/nonexistent git -c user.name=t -c user.email=t@t.invalid " +
                      args + " >/dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
  }
  void write(const std::string& name, const std::string& content) const {
    fs::create_directories((path / name).parent_path());
    std::ofstream(path / name, std::ios::binary) << content;
  }
  std::string head() const {
    auto repo = git::Repo::discover(path.string());
    REQUIRE(repo);
    auto c = repo->head();
    REQUIRE(c);
    return c->sha;
  }
};

std::string numbered(int from, int to, const std::string& tag = "") {
  std::string s;
  for (int i = from; i <= to; ++i) s += "line " + std::to_string(i) + tag + "\n";
  return s;
}

// A change with a modified file, a renamed-and-edited one, a new one, a binary one and a deletion.
std::pair<std::string, std::string> sample_change(const TempRepo& r) {
  r.write("src/a.c", numbered(1, 20));
  r.write("src/old.c", numbered(1, 30));
  r.write("gone.c", numbered(1, 5));
  r.write("data.bin", std::string("\0\1\2 old", 8));
  r.git("add -A");
  r.git("commit -q -m base");
  std::string base = r.head();
  r.write("src/a.c", numbered(1, 10) + "new 11\n" + numbered(12, 20) + "new 21\n");
  r.git("rm -q src/old.c");
  r.write("src/lib/new.c", numbered(1, 29) + "changed 30\n");
  r.write("src/fresh.c", "x\ny\n");
  r.write("data.bin", std::string("\0\1\2 new", 8));
  r.git("rm -q gone.c");
  r.git("add -A");
  r.git("commit -q -m change");
  return {base, r.head()};
}

}  // namespace

TEST_CASE("changed_lines: added lines, renames and deletions, with or without attribute files") {
  TempRepo r;
  auto [base, head] = sample_change(r);
  auto repo = git::Repo::discover(r.path.string());
  REQUIRE(repo);
  auto got = repo->changed_lines(base, head);  // no .gitattributes anywhere: the blob path
  REQUIRE(got);
  using Lines = std::vector<uint32_t>;
  CHECK(got->files.at("src/a.c") == Lines{11, 21});
  CHECK(got->files.at("src/lib/new.c") == Lines{30});
  CHECK(got->files.at("src/fresh.c") == Lines{1, 2});
  CHECK(got->files.count("data.bin") == 0);  // binary: no lines
  CHECK(got->deleted == std::vector<std::string>{"gone.c"});
  REQUIRE(got->renamed.size() == 1);
  CHECK(got->renamed[0] == std::pair<std::string, std::string>{"src/old.c", "src/lib/new.c"});

  // An untracked .gitattributes in the worktree applies (libgit2 reads it): the walked diff,
  // identical when it changes nothing, and honoured when it does.
  r.write(".gitattributes", "*.txt text\n");
  auto same = repo->changed_lines(base, head);
  REQUIRE(same);
  CHECK(same->files == got->files);
  CHECK(same->renamed == got->renamed);
  CHECK(same->deleted == got->deleted);
  r.write("src/.gitattributes", "a.c -diff\n");
  auto attr = repo->changed_lines(base, head);
  REQUIRE(attr);
  CHECK(attr->files.count("src/a.c") == 0);  // -diff: binary, as git diff treats it
  CHECK(attr->files.at("src/fresh.c") == Lines{1, 2});
}

TEST_CASE("changed_lines: a change of many files is diffed on every core, the same as the walk") {
  TempRepo r;
  // 300 pairs (well over the parallel threshold): edits, additions, a rename, binary files, only
  // removals; then the walked diff (an attributes file changing nothing) is the oracle.
  for (int i = 0; i < 300; ++i) r.write("d" + std::to_string(i % 7) + "/f" + std::to_string(i) + ".c", numbered(1, 40));
  r.write("bin/b.dat", std::string("\0\1 old", 6));
  r.git("add -A");
  r.git("commit -q -m base");
  std::string base = r.head();
  for (int i = 0; i < 300; ++i) {
    std::string name = "d" + std::to_string(i % 7) + "/f" + std::to_string(i) + ".c";
    if (i % 10 == 3) r.write(name, numbered(1, 20));  // only removed lines: no entry
    else r.write(name, numbered(1, i % 40) + "new\n" + numbered(i % 40 + 1, 40, i % 2 ? " x" : ""));
  }
  r.write("added/new.c", numbered(1, 3));
  r.write("bin/b.dat", std::string("\0\1 new", 6));
  r.git("add -A");
  r.git("commit -q -m change");
  std::string head = r.head();
  auto repo = git::Repo::discover(r.path.string());
  REQUIRE(repo);
  auto got = repo->changed_lines(base, head);
  REQUIRE(got);
  CHECK(got->files.size() == 300 - 30 + 1);
  CHECK(got->files.at("added/new.c") == std::vector<uint32_t>{1, 2, 3});
  CHECK(got->files.at("d4/f11.c").front() == 12);  // "new" inserted after line 11, then every changed line
  CHECK(got->files.count("d3/f3.c") == 0);
  CHECK(got->files.count("bin/b.dat") == 0);
  r.write(".gitattributes", "*.txt text\n");
  auto walked = repo->changed_lines(base, head);
  REQUIRE(walked);
  CHECK(walked->files == got->files);
}

TEST_CASE("changed_lines: a blob missing from the objects fails naming its file, on every core or not") {
  TempRepo r;
  for (int i = 0; i < 100; ++i) r.write("f" + std::to_string(i) + ".c", numbered(1, 5, " " + std::to_string(i)));
  r.git("add -A");
  r.git("commit -q -m base");
  std::string base = r.head();
  for (int i = 0; i < 100; ++i) r.write("f" + std::to_string(i) + ".c", numbered(1, 5, " v2 " + std::to_string(i)));
  r.git("add -A");
  r.git("commit -q -m change");
  std::string head = r.head();
  // The new blob of f57.c (each file's content is its own) removed from the loose objects (a
  // fresh commit's objects are loose).
  std::string cmd = "cd '" + r.path.string() + "' && git rev-parse HEAD:f57.c";
  std::FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p);
  char sha[64] = {};
  REQUIRE(std::fgets(sha, sizeof sha, p));
  ::pclose(p);
  std::string hex(sha, 40);
  REQUIRE(fs::remove(r.path / ".git/objects" / hex.substr(0, 2) / hex.substr(2)));
  auto repo = git::Repo::discover(r.path.string());
  REQUIRE(repo);
  auto got = repo->changed_lines(base, head);
  REQUIRE_FALSE(got);
  CHECK(got.error().exit == Exit::error);
  INFO(got.error().message);
  CHECK(got.error().message.rfind("cannot read f57.c: ", 0) == 0);
}
