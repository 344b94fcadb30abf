#pragma once

// A small deterministic random source for data loading. Each sample gets its
// own generator seeded from (seed, epoch, index, stream), so what a sample
// looks like does not depend on which thread made it or in what order.
// Distributions are written out here because the standard library's are
// implementation-defined.

#include <cmath>
#include <cstdint>
#include <initializer_list>

namespace moon {

class SampleRng {
 public:
  explicit SampleRng(std::initializer_list<uint64_t> keys) {
    for (uint64_t k : keys) state_ = mix(state_ ^ mix(k + 0x9E3779B97F4A7C15ull));
  }

  uint64_t next() {
    state_ += 0x9E3779B97F4A7C15ull;  // SplitMix64
    return mix(state_);
  }

  double uniform() { return double(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  uint64_t below(uint64_t n) { return uint64_t((unsigned __int128)next() * n >> 64); }  // [0, n)
  bool chance(double p) { return uniform() < p; }

 private:
  static uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  uint64_t state_ = 0x6A09E667F3BCC908ull;
};

}  // namespace moon
