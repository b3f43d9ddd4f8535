// Independent jobs on every core: job(i, worker) for each i in [0, n), each thread (this one
// among them, worker 0; the others 1 .. parallel_workers() - 1) taking the next index, so a core
// that is busy with something else simply takes fewer.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace orchkit {

// Below this a report is read in one pass: starting threads costs more than they save.
inline constexpr size_t kParallelMinBytes = size_t{16} << 20;

// How many threads a parallel read uses: the cores, at most 8; 1 means "read in one pass".
size_t parallel_workers();

// Runs every job and returns true; false when a thread could not be started (then some jobs may
// not have run: the caller does the work another way). `job` must not throw.
bool run_parallel(size_t n, const std::function<void(size_t i, size_t worker)>& job);

// Items handed to workers as they are produced: this thread push()es them in order while the
// other workers run job(item, worker) on each; finish() says there are no more, runs what is
// left on this thread too (worker 0) and waits. The items keep their addresses (a deque) and
// their order, for the caller to read once finish() returned. `job` must not throw.
template <class T>
class Feed {
 public:
  using Job = std::function<void(T& item, size_t worker)>;

  explicit Feed(Job job) : job_(std::move(job)) {
    try {
      for (size_t w = 1; w < parallel_workers(); ++w) threads_.emplace_back([this, w] { work(w); });
    } catch (const std::system_error&) {  // fewer threads: this one does the rest in finish()
    }
  }
  ~Feed() { finish(); }
  Feed(const Feed&) = delete;
  Feed& operator=(const Feed&) = delete;

  void push(T item) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      items_.push_back(std::move(item));
    }
    ready_.notify_one();
  }

  std::deque<T>& finish() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    ready_.notify_all();
    work(0);
    threads_.clear();  // joins
    return items_;
  }

 private:
  void work(size_t worker) {
    for (;;) {
      T* item = nullptr;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [&] { return next_ < items_.size() || done_; });
        if (next_ == items_.size()) return;  // done, and nothing left
        item = &items_[next_++];
      }
      job_(*item, worker);
    }
  }

  Job job_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<T> items_;
  size_t next_ = 0;
  bool done_ = false;
  std::vector<std::jthread> threads_;  // last: joined before the rest goes
};

}  // namespace orchkit
