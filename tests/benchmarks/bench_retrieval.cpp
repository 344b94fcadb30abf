// Benchmark 5 of issue #9: gallery search with FAISS (training/eval
// GalleryIndex) against brute force (training/eval BruteForceSearch), 10,000
// queries x 100,000 gallery vectors of 256-d by default. The top-10 ids must
// be identical; the mismatch count is printed (and fails the run if non-zero).
//
//   bench_retrieval [--quick] [--queries 10000] [--gallery 100000] [--dim 256]

#include <cmath>
#include <cstdio>
#include <random>

#include "BenchCommon.h"
#include "training/eval/BruteForceSearch.h"
#include "training/eval/GalleryIndex.h"

using namespace moon;
using namespace moon::bench;

namespace {

EmbeddingMatrix randomUnitRows(std::size_t rows, std::size_t dim, unsigned seed) {
  EmbeddingMatrix m(rows, dim);
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  for (std::size_t r = 0; r < rows; ++r) {
    double n = 0;
    for (std::size_t c = 0; c < dim; ++c) {
      m.at(r, c) = normal(rng);
      n += static_cast<double>(m.at(r, c)) * m.at(r, c);
    }
    const float inv = static_cast<float>(1.0 / std::sqrt(n));
    for (std::size_t c = 0; c < dim; ++c) m.at(r, c) *= inv;
  }
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = hasFlag(argc, argv, "--quick");
  const auto Q = static_cast<std::size_t>(std::stoul(option(argc, argv, "--queries", quick ? "100" : "10000")));
  const auto G = static_cast<std::size_t>(std::stoul(option(argc, argv, "--gallery", quick ? "5000" : "100000")));
  const auto D = static_cast<std::size_t>(std::stoul(option(argc, argv, "--dim", "256")));
  const std::size_t k = 10;
  const auto queries = randomUnitRows(Q, D, 1), gallery = randomUnitRows(G, D, 2);

  double t0 = now();
  const GalleryIndex index(gallery);
  const auto fast = index.search(queries, k);
  const double tFaiss = now() - t0;
  t0 = now();
  const auto slow = searchTopKBruteForce(queries, gallery, k);
  const double tBrute = now() - t0;

  std::size_t mismatches = 0;
  for (std::size_t q = 0; q < Q; ++q)
    for (std::size_t j = 0; j < k; ++j)
      if (fast.index(q, j) != slow.index(q, j)) ++mismatches;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%zu queries x %zu gallery x %zu-d: FAISS %.2f s (index build included), brute %.2f s; "
                "top-10 id mismatches %zu of %zu",
                Q, G, D, tFaiss, tBrute, mismatches, Q * k);
  printRatio("retrieval_faiss_vs_brute", tBrute / tFaiss, 1.0, buf);
  return mismatches == 0 ? 0 : 1;
}
