#pragma once

// What the CPU computes natively, for choices that depend on it (bf16
// autocast is only faster where bf16 arithmetic is not emulated).

namespace moon {

// AVX-512 BF16 (the dot-product instructions oneDNN's bf16 GEMMs use).
bool cpuHasNativeBf16();

}  // namespace moon
