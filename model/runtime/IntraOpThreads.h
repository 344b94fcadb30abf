#pragma once

// LibTorch's intra-op thread count, chosen once per process. The header names
// no Torch type so Qt code (the workbench's main) can call it.
//
// Why a policy: Debian's LibTorch has no MKL; its GEMMs run on OpenBLAS's own
// thread pool, while LibTorch's OpenMP workers spin-wait between operations.
// With two OpenMP threads on two cores the spinning workers take the cores the
// BLAS threads need, and a tiny training step and trace decoding run about 2x
// slower than with one (bench_train, bench_generation; PERFORMANCE.md).

namespace moon {

// The count used when the user asks for none: 1 without MKL (the BLAS is
// threaded on its own), else LibTorch's default.
int defaultIntraOpThreads();

// Sets `requested` threads when > 0, else defaultIntraOpThreads(). Returns
// the count now in effect.
int applyIntraOpThreads(int requested);

}  // namespace moon
