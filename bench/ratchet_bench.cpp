// ratchet-bench: baseline ratchets per second under concurrent processes on one state file
// (PERF.md: >= 500 commits/s under 16 processes, 0 busy errors). Not a test: bench/run.sh runs it.
//
//   ratchet-bench [--procs N] [--commits N] [--file PATH] [--seed N]
//
// Forks N processes (default 16); each opens the state file itself (a SQLite connection never
// crosses a fork), waits at a common start line, then calls orchkit::state::State::ratchet
// --commits times (default 200) with random proposals. Prints one line of key=value pairs:
// commits, seconds (from the start line to the last process done), commits_per_s, errors, busy
// (the errors that were SQLITE_BUSY), and the checks made afterwards on the file: integrity
// (PRAGMA integrity_check), history (rows = successful ratchets) and final (baseline = the
// highest proposal, as exact ratios). Exit 0 when every check passes and there was no error.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "orchkit/state/db.hpp"
#include "orchkit/state/state.hpp"

namespace {

struct Options {
  int procs = 16;
  int commits = 200;
  std::string file = {};
  uint64_t seed = 1;
};

// What one child reports through its pipe.
struct ChildResult {
  uint64_t ok = 0;
  uint64_t errors = 0;
  uint64_t busy = 0;
  uint64_t best_covered = 0;  // the highest proposal this child made
  uint64_t best_total = 1;
  char first_error[200] = {};
};

bool greater(uint64_t c1, uint64_t t1, uint64_t c2, uint64_t t2) {
  // totals stay below 2^31: the cross products fit in 64 bits
  return c1 * t2 > c2 * t1;
}

bool write_all(int fd, const void* data, size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool read_all(int fd, void* data, size_t n) {
  char* p = static_cast<char*>(data);
  while (n > 0) {
    ssize_t r = ::read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

[[noreturn]] void child(const Options& o, int index, int start_fd, int result_fd) {
  ChildResult res;
  auto st = orchkit::state::State::open(o.file, true);
  char go = 0;
  bool started = read_all(start_fd, &go, 1);  // the start line: every child opened its connection
  if (!st || !started) {
    res.errors = static_cast<uint64_t>(o.commits);
    std::snprintf(res.first_error, sizeof res.first_error, "%s", st ? "no start signal" : st.error().message.c_str());
    (void)write_all(result_fd, &res, sizeof res);
    std::_Exit(1);
  }
  std::mt19937_64 rng(o.seed * 1000003u + static_cast<uint64_t>(index));
  std::string task = "BENCH-" + std::to_string(index);
  for (int i = 0; i < o.commits; ++i) {
    uint64_t total = 1000 + rng() % 99000;
    // drifting upwards, so that ratchets keep happening beside the kept ones
    uint64_t covered =
        total * (static_cast<uint64_t>(i) * 100 + rng() % 4000) / (static_cast<uint64_t>(o.commits) * 100 + 4000);
    if (greater(covered, total, res.best_covered, res.best_total)) {
      res.best_covered = covered;
      res.best_total = total;
    }
    auto out = st->ratchet("bench/repo", "main", covered, total, std::string(40, 'a'), task, "bench");
    if (out) {
      ++res.ok;
      continue;
    }
    ++res.errors;
    const std::string& m = out.error().message;
    if (m.find("busy") != std::string::npos || m.find("locked") != std::string::npos ||
        m.find("holds the state file") != std::string::npos)
      ++res.busy;
    if (!res.first_error[0]) std::snprintf(res.first_error, sizeof res.first_error, "%s", m.c_str());
  }
  (void)write_all(result_fd, &res, sizeof res);
  std::_Exit(0);
}

int usage() {
  std::fputs("usage: ratchet-bench [--procs N] [--commits N per process] [--file PATH] [--seed N]\n", stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) return usage();
    std::string v = argv[++i];
    if (a == "--procs") o.procs = std::atoi(v.c_str());
    else if (a == "--commits") o.commits = std::atoi(v.c_str());
    else if (a == "--file") o.file = v;
    else if (a == "--seed") o.seed = std::strtoull(v.c_str(), nullptr, 10);
    else return usage();
  }
  if (o.procs < 1 || o.commits < 1) return usage();

  std::string tmpdir;
  if (o.file.empty()) {
    char tmpl[] = "/tmp/orchkit-ratchet-bench.XXXXXX";
    if (!::mkdtemp(tmpl)) {
      std::perror("ratchet-bench: mkdtemp");
      return 3;
    }
    tmpdir = tmpl;
    o.file = tmpdir + "/state.db";
  }
  {
    // the schema first, as any real state file has it by the time merges run
    auto st = orchkit::state::State::open(o.file, true);
    if (!st) {
      std::fprintf(stderr, "ratchet-bench: %s\n", st.error().message.c_str());
      return 3;
    }
  }

  int start[2], results[2];
  if (::pipe(start) != 0 || ::pipe(results) != 0) {
    std::perror("ratchet-bench: pipe");
    return 3;
  }
  std::vector<pid_t> kids;
  for (int i = 0; i < o.procs; ++i) {
    pid_t pid = ::fork();
    if (pid < 0) {
      std::perror("ratchet-bench: fork");
      return 3;
    }
    if (pid == 0) {
      ::close(start[1]);
      ::close(results[0]);
      child(o, i, start[0], results[1]);
    }
    kids.push_back(pid);
  }
  ::close(start[0]);
  ::close(results[1]);
  // Let the children open their connections, then release them all at once.
  ::usleep(200'000);
  auto t0 = std::chrono::steady_clock::now();
  std::string go(static_cast<size_t>(o.procs), 'g');
  if (!write_all(start[1], go.data(), go.size())) return 3;
  ::close(start[1]);

  ChildResult total;
  std::string first_error;
  for (int i = 0; i < o.procs; ++i) {
    ChildResult r;
    if (!read_all(results[0], &r, sizeof r)) {
      ++total.errors;
      if (first_error.empty()) first_error = "a process died without a result";
      continue;
    }
    total.ok += r.ok;
    total.errors += r.errors;
    total.busy += r.busy;
    if (greater(r.best_covered, r.best_total, total.best_covered, total.best_total)) {
      total.best_covered = r.best_covered;
      total.best_total = r.best_total;
    }
    if (first_error.empty() && r.first_error[0]) first_error = r.first_error;
  }
  auto t1 = std::chrono::steady_clock::now();
  for (pid_t k : kids) ::waitpid(k, nullptr, 0);
  double secs = std::chrono::duration<double>(t1 - t0).count();

  // The checks: integrity, one history row per successful ratchet, final = the highest proposal.
  std::string integrity = "?";
  bool history_ok = false, final_ok = false;
  if (auto conn = orchkit::db::Connection::open(o.file, false))
    if (auto rows = conn->query("PRAGMA integrity_check"); rows && !rows->empty())
      integrity = orchkit::db::as_text((*rows)[0][0]).value_or("?");
  if (auto st = orchkit::state::State::open(o.file, false)) {
    if (auto h = st->history("bench/repo", "main")) history_ok = h->size() == total.ok;
    if (auto b = st->baseline("bench/repo", "main"); b && *b)
      final_ok = (*b)->covered * total.best_total == total.best_covered * (*b)->total;
  }
  std::printf(
      "ratchet-bench: procs=%d per_proc=%d commits=%llu seconds=%.3f commits_per_s=%.0f errors=%llu busy=%llu "
      "integrity=%s history=%s final=%s\n",
      o.procs, o.commits, static_cast<unsigned long long>(total.ok), secs,
      secs > 0 ? static_cast<double>(total.ok) / secs : 0.0, static_cast<unsigned long long>(total.errors),
      static_cast<unsigned long long>(total.busy), integrity.c_str(), history_ok ? "ok" : "WRONG",
      final_ok ? "max" : "WRONG");
  if (!first_error.empty()) std::fprintf(stderr, "ratchet-bench: first error: %s\n", first_error.c_str());
  if (!tmpdir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(tmpdir, ec);
  }
  return total.errors == 0 && integrity == "ok" && history_ok && final_ok ? 0 : 1;
}
