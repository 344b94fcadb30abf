#pragma once

// A small fork-join loop for independent items (decoding a dataset's images,
// rendering a catalogue): work is handed out by an atomic counter, so results
// must not depend on which thread runs an item.

#include <cstddef>
#include <functional>

namespace moon {

// Calls fn(i) for every i in [0, count) on `threads` worker threads
// (0 = one per hardware thread). `progress(done, count)` runs on the calling
// thread after items complete; returning false cancels: items not yet started
// are skipped and the function returns false. The first exception thrown by
// fn is rethrown after all workers have stopped.
bool forEachParallel(size_t count, int threads, const std::function<void(size_t)>& fn,
                     const std::function<bool(size_t, size_t)>& progress = {});

}  // namespace moon
