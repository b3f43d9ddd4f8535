// Repo::line_map against real repositories made with the git CLI.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "orchkit/git/repo.hpp"

using namespace orchkit;

namespace {

struct TempRepo {
  std::string dir;
  TempRepo() {
    char tmpl[] = "/tmp/orchkit-linemap-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    dir = tmpl;
    git("init -q -b main");
  }
  ~TempRepo() { std::filesystem::remove_all(dir); }
  void git(const std::string& args) const {
    std::string cmd =
        "git -C '" + dir + "' -c user.name=t -c user.email=t@e -c core.autocrlf=false " + args + " >/dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
  }
  void write(const std::string& path, const std::string& text) const {
    std::filesystem::create_directories(std::filesystem::path(dir + "/" + path).parent_path());
    std::ofstream(dir + "/" + path, std::ios::binary) << text;
  }
  std::string commit(const std::string& msg) const {
    git("add -A");
    git("commit -q -m '" + msg + "'");
    auto repo = git::Repo::discover(dir);
    REQUIRE(repo);
    auto head = repo->head();
    REQUIRE(head);
    return head->sha;
  }
};

std::string lines(int from, int to, const char* eol = "\n") {
  std::string s;
  for (int i = from; i <= to; ++i) s += "line " + std::to_string(i) + " of some text long enough" + eol;
  return s;
}

}  // namespace

TEST_CASE("line map: edits, a rename, an added and a deleted file", "[differential][git]") {
  TempRepo t;
  t.write("src/a.c", lines(1, 10));
  t.write("src/gone.c", lines(1, 3));
  t.write("src/old.c", lines(1, 20));
  std::string base = t.commit("base");
  t.write("src/a.c", lines(1, 2) + "inserted\n" + lines(3, 4) + lines(7, 10));  // +1 after 2, -5,6
  std::filesystem::remove(t.dir + "/src/gone.c");
  std::filesystem::remove(t.dir + "/src/old.c");
  t.write("src/new.c", lines(1, 20));
  t.write("src/added.c", "int x;\n");
  std::string head = t.commit("head");
  auto repo = git::Repo::discover(t.dir);
  REQUIRE(repo);
  auto map = repo->line_map(base, head);
  REQUIRE(map);
  CHECK(map->deleted == std::set<std::string, std::less<>>{"src/gone.c"});
  REQUIRE(map->changed.count("src/added.c"));
  CHECK(map->changed.at("src/added.c").added);
  REQUIRE(map->changed.count("src/new.c"));
  CHECK(map->changed.at("src/new.c").old_path == "src/old.c");
  CHECK(map->changed.at("src/new.c").hunks.empty());
  const auto& a = map->changed.at("src/a.c");
  CHECK(a.old_path == "src/a.c");
  CHECK(!linemap::old_line_of(a.hunks, 3));       // the inserted line
  CHECK(linemap::old_line_of(a.hunks, 4) == 3u);  // shifted down by one
  CHECK(linemap::old_line_of(a.hunks, 6) == 7u);  // after the deletion
  CHECK(!linemap::new_line_of(a.hunks, 5));       // deleted
  CHECK(linemap::new_line_of(a.hunks, 10) == 9u);
}

TEST_CASE("line map: a line moved within a file; CRLF endings; a change of line endings alone", "[differential][git]") {
  TempRepo t;
  t.write("m.c", lines(1, 6));
  t.write("crlf.c", lines(1, 6, "\r\n"));
  t.write("eol.c", lines(1, 6));
  std::string base = t.commit("base");
  t.write("m.c", lines(2, 6) + lines(1, 1));                                     // line 1 moved to the end
  t.write("crlf.c", lines(1, 2, "\r\n") + "changed\r\n" + lines(4, 6, "\r\n"));  // line 3 changed
  t.write("eol.c", lines(1, 6, "\r\n"));                                         // only the line endings
  std::string head = t.commit("head");
  auto repo = git::Repo::discover(t.dir);
  REQUIRE(repo);
  auto map = repo->line_map(base, head);
  REQUIRE(map);
  const auto& m = map->changed.at("m.c");
  CHECK(!linemap::new_line_of(m.hunks, 1));
  CHECK(linemap::old_line_of(m.hunks, 1) == 2u);
  CHECK(!linemap::old_line_of(m.hunks, 6));
  const auto& c = map->changed.at("crlf.c");
  CHECK(linemap::old_line_of(c.hunks, 2) == 2u);
  CHECK(!linemap::old_line_of(c.hunks, 3));
  CHECK(linemap::old_line_of(c.hunks, 4) == 4u);
  // a file whose line endings alone changed has no changed line
  auto e = map->changed.find("eol.c");
  CHECK((e == map->changed.end() || e->second.hunks.empty()));
}
