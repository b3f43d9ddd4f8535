// A scratch directory for a unit test: fresh under the system temp dir, named for the test and
// this process, removed with everything in it when the test ends.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace orchkit::testing {

struct TempDir {
  explicit TempDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() / ("orchkit-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string operator/(const std::string& name) const { return (path / name).string(); }
  // Writes `content` to `name` in the directory and returns its path (an exception — a failed
  // test — when it cannot).
  std::string write(const std::string& name, const std::string& content) const {
    std::string p = *this / name;
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    if (!(out << content) || !out.flush()) throw std::runtime_error("cannot write " + p);
    return p;
  }

  std::filesystem::path path;
};

}  // namespace orchkit::testing
