// For C++ tests: runs tests/fakes/fake_http.py on a free 127.0.0.1 port for the life of one
// object, lets the test switch its failure mode between calls, and reads its request log.
// Header-only; include it by relative path from a *_test.cpp. Needs ORCHKIT_SOURCE_DIR.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

extern char** environ;

namespace orchkit::testing {

class FakeHttp {
 public:
  // `args`: extra fake_http.py flags, e.g. {"--mode", "500"} or {"--gitea-token", "t0k3n"}.
  explicit FakeHttp(std::vector<std::string> args = {}) {
    char tmpl[] = "/tmp/orchkit-fake-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("FakeHttp: mkdtemp failed");
    dir_ = tmpl;
    std::vector<std::string> argv = {"python3",     std::string(ORCHKIT_SOURCE_DIR) + "/tests/fakes/fake_http.py",
                                     "--port-file", dir_ + "/port",
                                     "--log",       dir_ + "/requests.jsonl",
                                     "--control",   dir_ + "/mode"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string err = dir_ + "/stderr.txt";
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    const int rc = posix_spawnp(&pid_, "python3", &actions, nullptr, cargv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      cleanup();
      throw std::runtime_error("FakeHttp: cannot start python3");
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      std::ifstream in(dir_ + "/port");
      if (in >> port_ && port_ > 0) return;
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        const std::string why = slurp(err);
        cleanup();
        throw std::runtime_error("FakeHttp: fake_http.py exited: " + why);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    cleanup();
    throw std::runtime_error("FakeHttp: no port file after 10s");
  }
  FakeHttp(const FakeHttp&) = delete;
  FakeHttp& operator=(const FakeHttp&) = delete;
  ~FakeHttp() { cleanup(); }

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Switches the failure mode for the following requests ("ok", "500", "429-once:1", "slow:3",
  // "reset", ...). Written atomically; a rewrite of the same mode re-arms "-once".
  void set_mode(std::string_view mode) const {
    const std::string tmp = dir_ + "/mode.tmp";
    {
      std::ofstream out(tmp, std::ios::trunc);
      out << mode << "\n";
    }
    std::filesystem::rename(tmp, dir_ + "/mode");
  }

  // One JSON object per request received so far: method, path, query, headers, body, mode, status.
  std::vector<std::string> requests() const {
    std::vector<std::string> lines;
    std::ifstream in(dir_ + "/requests.jsonl");
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) lines.push_back(line);
    }
    return lines;
  }

 private:
  static std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  void cleanup() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);  // only the process this object started
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = -1;
    }
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
      dir_.clear();
    }
  }

  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace orchkit::testing
