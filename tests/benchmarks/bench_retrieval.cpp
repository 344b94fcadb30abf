// Benchmark 5 of issue #9: gallery search with FAISS (training/eval
// GalleryIndex) against brute force as a matmul (LibTorch: blocks of queries
// times the gallery's transpose, then top-k), 10,000 queries x 100,000 gallery
// vectors of 256-d by default. The top-10 ids of both must be identical, and
// for the first --checked queries also those of the scalar reference
// (training/eval BruteForceSearch); mismatches are printed (and fail the run).
//
//   bench_retrieval [--quick] [--queries 10000] [--gallery 100000] [--dim 256] [--checked 200]

#include <cmath>
#include <cstdio>
#include <random>

#include <torch/torch.h>

#include "BenchCommon.h"
#include "model/runtime/IntraOpThreads.h"
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

// Exact top-k by matrix products: what a researcher would write without FAISS.
SearchResult matmulTopK(const EmbeddingMatrix& queries, const EmbeddingMatrix& gallery, std::size_t k) {
  const auto q =
      torch::from_blob(const_cast<float*>(queries.data.data()), {int64_t(queries.rows), int64_t(queries.dim)});
  const auto g =
      torch::from_blob(const_cast<float*>(gallery.data.data()), {int64_t(gallery.rows), int64_t(gallery.dim)});
  SearchResult out;
  out.queries = queries.rows;
  out.k = k;
  out.indices.resize(out.queries * k);
  out.scores.resize(out.queries * k);
  constexpr int64_t kBlock = 1024;  // 1024 x 100,000 scores = 400 MB at most
  for (int64_t b = 0; b < int64_t(queries.rows); b += kBlock) {
    const int64_t n = std::min<int64_t>(kBlock, int64_t(queries.rows) - b);
    const auto [values, ids] = torch::mm(q.narrow(0, b, n), g.t()).topk(int64_t(k), 1, true, true);
    const auto v = values.contiguous(), i = ids.contiguous();
    std::copy_n(v.data_ptr<float>(), n * int64_t(k), out.scores.begin() + b * int64_t(k));
    std::copy_n(i.data_ptr<int64_t>(), n * int64_t(k), out.indices.begin() + b * int64_t(k));
  }
  return out;
}

// Ids of two results that differ, as sets per query (ties may swap places).
std::size_t mismatchedIds(const SearchResult& a, const SearchResult& b, std::size_t queries) {
  std::size_t mismatches = 0;
  for (std::size_t q = 0; q < queries; ++q)
    for (std::size_t j = 0; j < a.k; ++j) {
      bool found = false;
      for (std::size_t m = 0; m < b.k && !found; ++m) found = a.index(q, j) == b.index(q, m);
      mismatches += !found;
    }
  return mismatches;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = hasFlag(argc, argv, "--quick");
  const auto Q = static_cast<std::size_t>(std::stoul(option(argc, argv, "--queries", quick ? "100" : "10000")));
  const auto G = static_cast<std::size_t>(std::stoul(option(argc, argv, "--gallery", quick ? "5000" : "100000")));
  const auto D = static_cast<std::size_t>(std::stoul(option(argc, argv, "--dim", "256")));
  const std::size_t k = 10;
  const auto queries = randomUnitRows(Q, D, 1), gallery = randomUnitRows(G, D, 2);

  const auto checked = std::min<std::size_t>(Q, std::stoul(option(argc, argv, "--checked", quick ? "100" : "200")));
  torch::set_num_threads(std::stoi(option(argc, argv, "--threads", std::to_string(defaultIntraOpThreads()))));

  double t0 = now();
  const GalleryIndex index(gallery);
  const auto fast = index.search(queries, k);
  const double tFaiss = now() - t0;
  t0 = now();
  const auto matmul = matmulTopK(queries, gallery, k);
  const double tMatmul = now() - t0;
  EmbeddingMatrix head(checked, D, std::vector<float>(queries.data.begin(), queries.data.begin() + checked * D));
  const auto scalar = searchTopKBruteForce(head, gallery, k);

  const std::size_t mismatches = mismatchedIds(fast, matmul, Q) + mismatchedIds(fast, scalar, checked);
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "%zu queries x %zu gallery x %zu-d: FAISS %.2f s (index build included), matmul + top-k %.2f s; "
                "top-10 ids differing from matmul / scalar reference (first %zu queries): %zu",
                Q, G, D, tFaiss, tMatmul, checked, mismatches);
  printRatio("retrieval_faiss_vs_matmul", tMatmul / tFaiss, 1.0, buf);
  return mismatches == 0 ? 0 : 1;
}
