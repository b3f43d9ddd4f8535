#include "orchkit/util/file.hpp"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "support/temp_dir.hpp"

using namespace orchkit;
namespace fs = std::filesystem;

namespace {

struct TempDir : testing::TempDir {
  TempDir() : testing::TempDir("file-test") {}
  size_t entries() const { return static_cast<size_t>(std::distance(fs::directory_iterator(path), {})); }
};

mode_t type_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & S_IFMT;
}

}  // namespace

TEST_CASE("write_file_atomic: a new file, then a regular file replaced", "[file]") {
  TempDir d;
  const std::string p = d / "sub/out.md";
  REQUIRE(write_file_atomic(p, "one"));
  CHECK(*read_file(p) == "one");
  REQUIRE(write_file_atomic(p, "two"));
  CHECK(*read_file(p) == "two");
  CHECK(type_of(p) == S_IFREG);
  CHECK(*output_kind(p) == OutputKind::regular);
  CHECK(*output_kind(d / "missing") == OutputKind::absent);
}

TEST_CASE("write_file_atomic: a FIFO is refused, never opened nor replaced", "[file]") {
  TempDir d;
  const std::string p = d / "fifo";
  REQUIRE(::mkfifo(p.c_str(), 0644) == 0);
  auto w = write_file_atomic(p, "report");  // opening it would block: lstat sees it first
  REQUIRE_FALSE(w);
  CHECK(w.error().exit == Exit::refused);
  CHECK_THAT(w.error().message, Catch::Contains(p) && Catch::Contains("FIFO"));
  CHECK(type_of(p) == S_IFIFO);
  CHECK(d.entries() == 1);  // no temporary file left beside it
}

TEST_CASE("write_file_atomic: a directory is refused and nothing is written into it", "[file]") {
  TempDir d;
  const std::string p = d / "chart.svg";
  fs::create_directories(p);
  auto w = write_file_atomic(p, "<svg/>");
  REQUIRE_FALSE(w);
  CHECK(w.error().exit == Exit::refused);
  CHECK_THAT(w.error().message, Catch::Contains(p) && Catch::Contains("directory"));
  CHECK(type_of(p) == S_IFDIR);
  CHECK(fs::is_empty(p));
  CHECK(d.entries() == 1);
}

TEST_CASE("write_file_atomic: a symbolic link is neither followed nor replaced", "[file]") {
  TempDir d;
  const std::string target = d / "precious", link = d / "out.md";
  REQUIRE(write_file_atomic(target, "keep"));
  fs::create_symlink(target, link);
  auto w = write_file_atomic(link, "overwrite");
  REQUIRE_FALSE(w);
  CHECK(w.error().exit == Exit::refused);
  CHECK_THAT(w.error().message, Catch::Contains("symbolic link"));
  CHECK(type_of(link) == S_IFLNK);
  CHECK(*read_file(target) == "keep");
  fs::create_symlink(d / "nowhere", d / "dangling");
  CHECK_FALSE(write_file_atomic(d / "dangling", "x"));
  CHECK_FALSE(fs::exists(d / "nowhere"));
}

TEST_CASE("write_file_atomic: /dev/null is written in place and stays a character device", "[file]") {
  REQUIRE(type_of("/dev/null") == S_IFCHR);
  REQUIRE(write_file_atomic("/dev/null", "discarded"));
  CHECK(type_of("/dev/null") == S_IFCHR);
  CHECK(*output_kind("/dev/null") == OutputKind::char_device);
}

TEST_CASE("write_file_atomic: a character device of our own (mknod c 1 3) stays a device", "[file]") {
  TempDir d;
  const std::string p = d / "null";
  if (::mknod(p.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) {
    WARN("mknod not permitted here (not root or no CAP_MKNOD): case skipped");
    return;
  }
  REQUIRE(write_file_atomic(p, "discarded"));
  CHECK(type_of(p) == S_IFCHR);
  CHECK(d.entries() == 1);
}
