// Sha256Pipe: one worker thread, a queue of byte ranges, a counter of ranges hashed.
#include "orchkit/util/sha256_pipe.hpp"

#include <system_error>

namespace orchkit {

Sha256Pipe::Sha256Pipe() {
  try {
    worker_ = std::thread([this] { run(); });
  } catch (const std::system_error&) {
    // no thread: add() hashes in place
  }
}

Sha256Pipe::~Sha256Pipe() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  if (worker_.joinable()) worker_.join();
}

uint64_t Sha256Pipe::add(std::string_view bytes) {
  if (!worker_.joinable()) {
    sha_.update(bytes);
    hashed_ = ++added_;
    return added_;
  }
  uint64_t ticket = 0;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(bytes);
    ticket = ++added_;
  }
  changed_.notify_all();
  return ticket;
}

void Sha256Pipe::wait(uint64_t ticket) {
  if (!worker_.joinable()) return;
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return hashed_ >= ticket; });
}

std::string Sha256Pipe::finish() {
  uint64_t all = 0;
  {
    std::lock_guard lock(mutex_);
    all = added_;
  }
  wait(all);
  return sha_.hex();
}

void Sha256Pipe::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (stop_) return;  // the caller is gone: its bytes may be too
    std::string_view bytes = queue_.front();
    queue_.pop_front();
    lock.unlock();
    sha_.update(bytes);
    lock.lock();
    ++hashed_;
    changed_.notify_all();
  }
}

}  // namespace orchkit
