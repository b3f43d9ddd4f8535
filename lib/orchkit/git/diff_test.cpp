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
