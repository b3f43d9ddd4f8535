// Hashing while reading: a SHA-256 computed on a worker thread over bytes the caller has already
// read (a mapped report, or each chunk of a streamed one right after the parser took it), so the
// digest costs no second pass over the file and, with a second core free, no time on the parse
// path. The bytes of each add() must stay valid and unchanged until wait() for its ticket (or
// finish()) returns. Without a thread (creation failed) add() hashes in place: same digest.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "orchkit/util/sha256.hpp"

namespace orchkit {

class Sha256Pipe {
 public:
  Sha256Pipe();
  ~Sha256Pipe();
  Sha256Pipe(const Sha256Pipe&) = delete;
  Sha256Pipe& operator=(const Sha256Pipe&) = delete;

  // Queues `bytes` after everything given before; returns its ticket (1, 2, ...).
  uint64_t add(std::string_view bytes);
  // Returns once the bytes of `ticket` (and all before them) are hashed; 0 returns at once.
  void wait(uint64_t ticket);
  // Waits for everything, then the lower-case hex digest. Once.
  std::string finish();

 private:
  void run();

  Sha256 sha_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string_view> queue_;
  uint64_t added_ = 0;
  uint64_t hashed_ = 0;
  bool stop_ = false;
  std::thread worker_;
};

}  // namespace orchkit
