// state-git-bench: the git state store's update latency and throughput under racing clones,
// and the cost of a read on a long state branch (PERF goals in docs/state.md: a read <= 100 ms,
// an uncontended update <= 150 ms, >= 20 successful updates/s under 24-way contention, every
// racer done within 30 s). Not a test: bench/state_bench.sh makes the clones and runs it.
//
//   state-git-bench race DIR...              one racer per clone DIR (forked), --updates N each
//   state-git-bench fill DIR --events N --tombstones N    import a long state into DIR's remote
//   state-git-bench read DIR [--runs N]      open + baseline + tombstoned, N times
//
// race prints: racers, updates, errors, seconds, updates_per_s, p50_ms, p99_ms, slowest_racer_s,
// final=max|WRONG (the baseline is the highest proposal). read prints first_ms (the first read
// of a clone: fetch and the check of the whole chain) and p50_ms/p99_ms of the reads after.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "orchkit/state/open.hpp"
#include "orchkit/workspace.hpp"

namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5))];
}

orchkit::Result<orchkit::state::State> open(const std::string& dir, orchkit::state::Access a) {
  ORCHKIT_TRY(ws, orchkit::open_workspace(dir, std::nullopt, true));
  ORCHKIT_TRY(st, orchkit::state::open_state(ws, a));
  if (!st) return orchkit::fail(orchkit::Exit::error, dir + ": no state yet");
  return std::move(*st);
}

// One racer: `updates` ratchets of random proposals; latencies (ms) and the best proposal out.
int racer(const std::string& dir, int updates, uint64_t seed, int fd) {
  std::mt19937_64 rng(seed);
  auto st = open(dir, orchkit::state::Access::write);
  std::vector<double> out;
  uint64_t best = 0;
  double errors = 0;
  for (int i = 0; i < updates && st; ++i) {
    uint64_t covered = 500 + rng() % 500;
    auto t = Clock::now();
    auto r = st->ratchet("bench/repo", "main", covered, 1000, std::string(40, 'b'), "B-1", "bench");
    if (!r) {
      ++errors;
      std::fprintf(stderr, "state-git-bench: %s\n", r.error().message.c_str());
      continue;
    }
    out.push_back(ms_since(t));
    best = std::max(best, covered);
  }
  if (!st) {
    std::fprintf(stderr, "state-git-bench: %s\n", st.error().message.c_str());
    errors = updates;
  }
  out.push_back(errors);
  out.push_back(static_cast<double>(best));
  size_t n = out.size();
  if (::write(fd, &n, sizeof n) != sizeof n ||
      ::write(fd, out.data(), n * sizeof(double)) != static_cast<ssize_t>(n * sizeof(double)))
    return 1;
  return 0;
}

int race(const std::vector<std::string>& dirs, int updates) {
  std::vector<std::pair<pid_t, int>> kids;
  auto t0 = Clock::now();
  for (size_t i = 0; i < dirs.size(); ++i) {
    int p[2];
    if (::pipe(p) != 0) return 2;
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(p[0]);
      ::_exit(racer(dirs[i], updates, 1000 + i, p[1]));
    }
    ::close(p[1]);
    kids.push_back({pid, p[0]});
  }
  std::vector<double> lat;
  double errors = 0, best = 0, slowest = 0;
  for (auto& [pid, fd] : kids) {
    size_t n = 0;
    std::vector<double> v;
    if (::read(fd, &n, sizeof n) == sizeof n) {
      v.resize(n);
      size_t got = 0;
      while (got < n * sizeof(double)) {
        ssize_t r = ::read(fd, reinterpret_cast<char*>(v.data()) + got, n * sizeof(double) - got);
        if (r <= 0) break;
        got += static_cast<size_t>(r);
      }
    }
    ::close(fd);
    ::waitpid(pid, nullptr, 0);
    slowest = std::max(slowest, ms_since(t0) / 1000);
    if (v.size() < 2) {
      errors += updates;
      continue;
    }
    best = std::max(best, v.back());
    errors += v[v.size() - 2];
    lat.insert(lat.end(), v.begin(), v.end() - 2);
  }
  double secs = ms_since(t0) / 1000;
  bool final_ok = false;
  if (auto st = open(dirs.front(), orchkit::state::Access::read))
    if (auto b = st->baseline("bench/repo", "main"); b && *b) final_ok = static_cast<double>((*b)->covered) >= best;
  std::printf(
      "racers=%zu updates=%zu errors=%.0f seconds=%.2f updates_per_s=%.1f p50_ms=%.1f p99_ms=%.1f "
      "slowest_racer_s=%.2f final=%s\n",
      dirs.size(), lat.size(), errors, secs, secs > 0 ? static_cast<double>(lat.size()) / secs : 0,
      percentile(lat, 0.5), percentile(lat, 0.99), slowest, final_ok ? "max" : "WRONG");
  return errors == 0 && final_ok ? 0 : 1;
}

int fill(const std::string& dir, int events, int tombs) {
  orchkit::state::Snapshot s;
  for (int i = 1; i <= events; ++i) {
    orchkit::state::HistoryRow h;
    h.id = i;
    h.repo = "bench/repo";
    h.branch = "main";
    h.event = i == 1 ? "bootstrap" : "kept";
    h.after = orchkit::state::Baseline{500, 1000, {}, {}};
    h.commit = std::string(40, 'c');
    h.task = "F-" + std::to_string(i);
    h.actor = "bench";
    h.at = "2026-01-01T00:00:00Z";
    s.history.push_back(std::move(h));
  }
  s.baselines.push_back({"bench/repo", "main", {500, 1000, std::string(40, 'c'), "2026-01-01T00:00:00Z"}});
  for (int i = 1; i <= tombs; ++i)
    s.tombstones.push_back(
        {"task", "T-" + std::to_string(i), 1, "T-" + std::to_string(i), "bench", "2026-01-01T00:00:00Z"});
  std::sort(s.tombstones.begin(), s.tombstones.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  auto st = open(dir, orchkit::state::Access::write);
  auto t = Clock::now();
  auto ok = st ? st->store().load(s) : orchkit::Result<void>(orchkit::fail(std::move(st).error()));
  if (!ok) {
    std::fprintf(stderr, "state-git-bench: %s\n", ok.error().message.c_str());
    return 1;
  }
  std::printf("filled events=%d tombstones=%d ms=%.0f\n", events, tombs, ms_since(t));
  return 0;
}

int read(const std::string& dir, int runs) {
  std::vector<double> lat;
  double first = 0;
  for (int i = 0; i <= runs; ++i) {
    auto t = Clock::now();
    auto st = open(dir, orchkit::state::Access::read);
    if (!st) {
      std::fprintf(stderr, "state-git-bench: %s\n", st.error().message.c_str());
      return 1;
    }
    auto b = st->baseline("bench/repo", "main");
    auto dead = st->tombstoned(orchkit::state::TombstoneKind::task, "T-" + std::to_string(1 + i % 100), 1);
    if (!b || !*b || !dead || !*dead) {
      std::fprintf(stderr, "state-git-bench: the read did not find the filled state\n");
      return 1;
    }
    (i == 0 ? first : lat.emplace_back()) = ms_since(t);
  }
  std::printf("reads=%d first_ms=%.1f p50_ms=%.1f p99_ms=%.1f\n", runs, first, percentile(lat, 0.5),
              percentile(lat, 0.99));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto flag = [&](const char* name, int def) {
    for (size_t i = 0; i + 1 < args.size(); ++i)
      if (args[i] == name) {
        int v = std::atoi(args[i + 1].c_str());
        args.erase(args.begin() + static_cast<long>(i), args.begin() + static_cast<long>(i) + 2);
        return v;
      }
    return def;
  };
  if (args.size() < 2) {
    std::fprintf(stderr,
                 "usage: state-git-bench race DIR... [--updates N] | fill DIR --events N --tombstones N | "
                 "read DIR [--runs N]\n");
    return 2;
  }
  const std::string mode = args[0];
  if (mode == "race") {
    int updates = flag("--updates", 5);
    return race({args.begin() + 1, args.end()}, updates);
  }
  if (mode == "fill") {
    int events = flag("--events", 10000), tombs = flag("--tombstones", 10000);
    return fill(args[1], events, tombs);
  }
  if (mode == "read") return read(args[1], flag("--runs", 20));
  std::fprintf(stderr, "state-git-bench: unknown mode %s\n", mode.c_str());
  return 2;
}
