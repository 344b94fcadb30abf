// Issue #16: retrieval at catalogue scale. A synthetic clustered gallery of
// 1,000,000 unit vectors × 256 (2,000 centres, what product embeddings look
// like) and 1,000 queries from the same distribution:
//  - the exact FAISS search (GalleryIndex, what evaluation uses) is the reference;
//  - the approximate IVF index (ApproximateIndex) at growing probe counts:
//    recall@10 against exact and the speed-up over it; the ratio line is the
//    speed-up at the fewest probes with recall@10 ≥ 0.98;
//  - figures: building (k-means + adding), saving and reading the index.
//
//   bench_ann [--quick] [--gallery 1000000] [--queries 1000] [--dim 256]

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include <unistd.h>

#include "BenchCommon.h"
#include "training/eval/ApproximateIndex.h"
#include "training/eval/GalleryIndex.h"

using namespace moon;
using namespace moon::bench;

namespace {

EmbeddingMatrix clustered(std::size_t n, std::size_t dim, const EmbeddingMatrix& centres, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 1.0f);
  std::uniform_int_distribution<std::size_t> pick(0, centres.rows - 1);
  EmbeddingMatrix m(n, dim);
  for (std::size_t r = 0; r < n; ++r) {
    const std::size_t k = pick(rng);
    for (std::size_t d = 0; d < dim; ++d) m.at(r, d) = centres.at(k, d) + 0.35f * g(rng);
  }
  l2NormalizeRows(m);
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t galleryRows = 1'000'000, queryRows = 1000, dim = 256;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--quick")
      galleryRows = 20'000, queryRows = 200, dim = 64;
    else if (a == "--gallery" && i + 1 < argc)
      galleryRows = std::size_t(std::atol(argv[++i]));
    else if (a == "--queries" && i + 1 < argc)
      queryRows = std::size_t(std::atol(argv[++i]));
    else if (a == "--dim" && i + 1 < argc)
      dim = std::size_t(std::atol(argv[++i]));
  }
  std::mt19937 rng(11);
  std::normal_distribution<float> g(0.0f, 1.0f);
  EmbeddingMatrix centres(2000, dim);
  for (float& v : centres.data) v = g(rng);
  const EmbeddingMatrix gallery = clustered(galleryRows, dim, centres, 1);
  const EmbeddingMatrix queries = clustered(queryRows, dim, centres, 2);
  std::printf("INFO ann | gallery %zu x %zu, %zu queries, synthetic clustered (2,000 centres)\n", galleryRows, dim,
              queryRows);

  double t0 = now();
  const GalleryIndex exactIndex(gallery);
  printFigure("ann.exact_build_s", now() - t0, "GalleryIndex (FAISS flat IP): copying the gallery in");
  t0 = now();
  const SearchResult exact = exactIndex.search(queries, 10);
  const double exactSeconds = now() - t0;
  printFigure("ann.exact_search_s", exactSeconds, "top 10 of every query, exact");

  t0 = now();
  ApproximateGalleryIndex index(gallery);
  printFigure("ann.build_s", now() - t0,
              std::to_string(index.lists()) + " cells (k-means on <= 64 points per cell, then adding every row)");
  double chosen = 0, chosenRecall = 0;
  std::size_t chosenProbes = 0;
  for (std::size_t probes = 1; probes <= index.lists(); probes *= 2) {
    index.setProbes(probes);
    t0 = now();
    const SearchResult approx = index.search(queries, 10);
    const double seconds = now() - t0;
    const double recall = recallAtK(approx, exact, 10);
    std::printf("INFO ann | probes %4zu of %zu: recall@10 %.4f, %.3f s, %.1fx exact\n", probes, index.lists(), recall,
                seconds, exactSeconds / seconds);
    if (recall >= 0.98 && chosenProbes == 0) {
      chosenProbes = probes;
      chosen = exactSeconds / seconds;
      chosenRecall = recall;
      break;
    }
  }
  if (chosenProbes == 0) {
    std::printf("ERROR ann | no probe count reached recall@10 0.98\n");
    return 1;
  }
  printRatio("ann.speedup_at_recall_0.98", chosen, 1.0,
             "IVF with " + std::to_string(chosenProbes) + "/" + std::to_string(index.lists()) +
                 " cells probed, recall@10 " + std::to_string(chosenRecall) + " vs exact search");

  const std::string path =
      (std::filesystem::temp_directory_path() / ("bench_ann_" + std::to_string(::getpid()) + ".ivf")).string();
  t0 = now();
  index.save(path);
  printFigure("ann.save_s", now() - t0, "write_index, renamed into place");
  t0 = now();
  const ApproximateGalleryIndex read = ApproximateGalleryIndex::load(path);
  printFigure("ann.load_s", now() - t0, std::to_string(read.size()) + " rows read back");
  std::filesystem::remove(path);
  std::printf("INFO ann | peak RSS %.0f MiB\n", peakRssMiB());
  return 0;
}
