#include "core/data/ParallelFor.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace moon {

bool forEachParallel(size_t count, int threads, const std::function<void(size_t)>& fn,
                     const std::function<bool(size_t, size_t)>& progress) {
  if (count == 0) return !progress || progress(0, 0);
  size_t workers = threads > 0 ? size_t(threads) : std::max(1u, std::thread::hardware_concurrency());
  workers = std::min(workers, count);

  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable changed;
  size_t done = 0;           // guarded by mutex
  size_t running = workers;  // guarded by mutex
  std::exception_ptr error;  // guarded by mutex

  auto work = [&] {
    while (!stop.load()) {
      const size_t i = next.fetch_add(1);
      if (i >= count) break;
      try {
        fn(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!error) error = std::current_exception();
        stop = true;
      }
      std::lock_guard<std::mutex> lock(mutex);
      ++done;
      changed.notify_one();
    }
    std::lock_guard<std::mutex> lock(mutex);
    --running;
    changed.notify_one();
  };

  std::vector<std::thread> pool;
  pool.reserve(workers);
  for (size_t t = 0; t < workers; ++t) pool.emplace_back(work);

  bool cancelled = false;
  size_t reported = 0;
  {
    std::unique_lock<std::mutex> lock(mutex);
    while (running > 0) {
      changed.wait(lock);
      if (progress && done != reported && !cancelled) {
        reported = done;
        const size_t snapshot = done;
        lock.unlock();
        const bool goOn = progress(snapshot, count);
        lock.lock();
        if (!goOn) {
          cancelled = true;
          stop = true;
        }
      }
    }
  }
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  if (cancelled) return false;
  if (progress && reported != count) return progress(count, count);
  return true;
}

}  // namespace moon
