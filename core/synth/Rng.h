#pragma once

// The generator's own random numbers: xoshiro256** seeded through
// splitmix64, with integer and float mappings written out here. std::
// distributions are implementation-defined, and the catalogue must be
// byte-identical for a seed on every standard library.

#include <cstdint>
#include <utility>
#include <vector>

namespace moon::synth {

inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// An independent seed for item `index` of stream `stream` (e.g. the query
// image of triplet 17), so work can run in any order on any thread.
inline uint64_t deriveSeed(uint64_t seed, uint64_t stream, uint64_t index) {
  uint64_t s = seed ^ (stream * 0xD1B54A32D192ED03ull);
  splitmix64(s);
  s ^= index * 0x8CB92BA72F3D8DD7ull;
  return splitmix64(s);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t s = seed;
    for (auto& word : state_) word = splitmix64(s);
  }

  uint64_t next() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n), n > 0; unbiased (Lemire's multiply-and-reject).
  uint32_t below(uint32_t n) {
    uint64_t m = uint64_t(uint32_t(next() >> 32)) * n;
    uint32_t low = uint32_t(m);
    if (low < n) {
      const uint32_t threshold = uint32_t(-n) % n;
      while (low < threshold) {
        m = uint64_t(uint32_t(next() >> 32)) * n;
        low = uint32_t(m);
      }
    }
    return uint32_t(m >> 32);
  }

  // Uniform integer in [lo, hi].
  int range(int lo, int hi) { return lo + int(below(uint32_t(hi - lo + 1))); }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  bool chance(double p) { return uniform() < p; }

  // Approximately standard normal (Irwin-Hall: sum of 4 uniforms), cheap
  // and fully defined here.
  double gaussian() { return (uniform() + uniform() + uniform() + uniform() - 2.0) * 1.7320508075688772; }

  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[below(uint32_t(items.size()))];
  }

  template <class T>
  void shuffle(std::vector<T>& items) {
    for (size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[below(uint32_t(i))]);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4];
};

}  // namespace moon::synth
