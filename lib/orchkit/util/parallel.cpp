#include "orchkit/util/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <system_error>
#include <thread>
#include <vector>

namespace orchkit {

size_t parallel_workers() { return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8); }

bool run_parallel(size_t n, const std::function<void(size_t i, size_t worker)>& job) {
  std::atomic<size_t> next{0};
  auto work = [&](size_t worker) {
    for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < n;) job(i, worker);
  };
  try {
    std::vector<std::jthread> others;  // joined on every way out
    for (size_t w = 1; w < std::min(parallel_workers(), n); ++w) others.emplace_back(work, w);
    work(0);
  } catch (const std::system_error&) {
    return false;
  }
  return true;
}

}  // namespace orchkit
