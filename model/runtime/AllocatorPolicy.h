#pragma once

// How the process's allocator treats freed memory, chosen once per training
// or command-line process.
//
// Why: a training step frees and re-allocates the same few hundred MB of
// activations. glibc's malloc hands freed blocks above its (dynamic) mmap
// threshold, and free memory above its trim threshold, back to the kernel, so
// every step faulted each page in again: 60,000 page faults per `tiny` step,
// 15–20 % of its time, and the reason the C++ trainer ran slower than the
// PyTorch peer computing the same losses (perf; bench_train; PERFORMANCE.md,
// "Against PyTorch").

namespace moon {

// Serves blocks up to 32 MiB (glibc's largest mmap threshold) from the heap
// and returns heap memory to the kernel only past 1 GiB free. No-op outside
// glibc. Returns whether the settings were applied.
bool keepFreedMemoryForReuse();

// The same policy as a GLIBC_TUNABLES value, for a child process that is not
// ours (the Python peer of bench_train), so both sides run one policy.
const char* keepFreedMemoryTunables();

}  // namespace moon
