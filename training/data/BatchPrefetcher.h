#pragma once

// Runs a pure `index -> batch` function on worker threads ahead of the
// consumer and hands results out strictly in index order. At most `prefetch`
// batches are made beyond the one being consumed. Because each batch depends
// only on its index, the sequence is the same for any number of workers.
//
// With 0 workers, next() builds the batch in the caller's thread.

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace moon {

template <class T>
class BatchPrefetcher {
 public:
  using Producer = std::function<T(int64_t index)>;

  // Produces indices start, start+1, ... up to (excluding) `end`.
  BatchPrefetcher(Producer produce, int workers, int prefetch, int64_t start = 0,
                  int64_t end = std::numeric_limits<int64_t>::max())
      : produce_(std::move(produce)),
        prefetch_(prefetch < 1 ? 1 : prefetch),
        end_(end),
        nextToSchedule_(start),
        nextToDeliver_(start) {
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
  }

  ~BatchPrefetcher() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

  BatchPrefetcher(const BatchPrefetcher&) = delete;
  BatchPrefetcher& operator=(const BatchPrefetcher&) = delete;

  bool atEnd() const {
    std::lock_guard lock(mutex_);
    return nextToDeliver_ >= end_;
  }

  // The batch at position(); rethrows what the producer threw for it. Either
  // way the position moves on by one. Must not be called at the end.
  T next() {
    std::unique_lock lock(mutex_);
    const int64_t index = nextToDeliver_++;
    if (threads_.empty()) {
      lock.unlock();
      return produce_(index);
    }
    changed_.wait(lock, [&] { return ready_.count(index) > 0; });
    Result result = std::move(ready_.at(index));
    ready_.erase(index);
    lock.unlock();
    changed_.notify_all();  // a prefetch slot is free
    if (result.error) std::rethrow_exception(result.error);
    return std::move(*result.value);
  }

  int64_t position() const {
    std::lock_guard lock(mutex_);
    return nextToDeliver_;
  }

  // Drops everything prepared and continues from `index`.
  void seek(int64_t index) {
    {
      std::lock_guard lock(mutex_);
      ++generation_;
      ready_.clear();
      nextToSchedule_ = nextToDeliver_ = index;
    }
    changed_.notify_all();
  }

 private:
  struct Result {
    std::optional<T> value;
    std::exception_ptr error;
  };

  void work() {
    std::unique_lock lock(mutex_);
    for (;;) {
      changed_.wait(lock,
                    [&] { return stop_ || (nextToSchedule_ < end_ && nextToSchedule_ < nextToDeliver_ + prefetch_); });
      if (stop_) return;
      const int64_t index = nextToSchedule_++;
      const uint64_t generation = generation_;
      lock.unlock();
      Result result;
      try {
        result.value.emplace(produce_(index));
      } catch (...) {
        result.error = std::current_exception();
      }
      lock.lock();
      if (generation == generation_) {  // not made stale by a seek meanwhile
        ready_.emplace(index, std::move(result));
        changed_.notify_all();
      }
    }
  }

  const Producer produce_;
  const int prefetch_;
  const int64_t end_;
  std::vector<std::thread> threads_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;  // any of the fields below changed
  int64_t nextToSchedule_;           // guarded by mutex_
  int64_t nextToDeliver_;            // guarded by mutex_
  uint64_t generation_ = 0;          // guarded by mutex_; bumped by seek()
  std::map<int64_t, Result> ready_;  // guarded by mutex_
  bool stop_ = false;                // guarded by mutex_
};

}  // namespace moon
