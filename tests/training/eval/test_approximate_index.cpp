// The approximate (IVF) gallery index: with every cell probed it is the exact
// search, row for row; with few cells it keeps most of the exact top 10 on
// clustered data; saved and read back it answers the same; a file that is
// not an index is named in the error.

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/base/Error.h"
#include "training/eval/ApproximateIndex.h"
#include "training/eval/GalleryIndex.h"

using namespace moon;

namespace {

// `n` unit vectors around `centres` random centres (what embeddings look like: clustered).
EmbeddingMatrix clustered(std::size_t n, std::size_t dim, std::size_t centres, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 1.0f);
  EmbeddingMatrix c(centres, dim), m(n, dim);
  for (float& v : c.data) v = g(rng);
  std::uniform_int_distribution<std::size_t> pick(0, centres - 1);
  for (std::size_t r = 0; r < n; ++r) {
    const std::size_t k = pick(rng);
    for (std::size_t d = 0; d < dim; ++d) m.at(r, d) = c.at(k, d) + 0.35f * g(rng);
  }
  l2NormalizeRows(m);
  return m;
}

}  // namespace

class TestApproximateIndex : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

 private Q_SLOTS:
  void everyCellProbedIsTheExactSearch() {
    const EmbeddingMatrix gallery = clustered(4000, 24, 60, 1), queries = clustered(100, 24, 60, 2);
    ApproximateIndexOptions o;
    o.lists = 50;
    ApproximateGalleryIndex index(gallery, o);
    QCOMPARE(index.size(), std::size_t(4000));
    QCOMPARE(index.lists(), std::size_t(50));
    index.setProbes(1000);
    QCOMPARE(index.probes(), std::size_t(50));  // clamped
    const SearchResult approx = index.search(queries, 10), exact = GalleryIndex(gallery).search(queries, 10);
    QCOMPARE(approx.indices, exact.indices);
    QCOMPARE(approx.scores, exact.scores);
    QCOMPARE(recallAtK(approx, exact, 10), 1.0);
  }

  void fewCellsKeepMostOfTheTopTen() {
    const EmbeddingMatrix gallery = clustered(6000, 32, 80, 3), queries = clustered(200, 32, 80, 4);
    ApproximateGalleryIndex index(gallery);  // 4·√6000 = 309 → capped at 6000/39 = 153 cells, 9 probed
    QVERIFY(index.lists() > 1 && index.probes() < index.lists());
    const SearchResult exact = GalleryIndex(gallery).search(queries, 10);
    const double recall = recallAtK(index.search(queries, 10), exact, 10);
    QVERIFY2(recall > 0.8 && recall <= 1.0, qPrintable(QString::number(recall)));
    index.setProbes(1);
    QVERIFY(recallAtK(index.search(queries, 10), exact, 10) <= recall);  // fewer cells, fewer found
  }

  void savedAndReadBackAnswersTheSame() {
    const EmbeddingMatrix gallery = clustered(3000, 16, 40, 5), queries = clustered(50, 16, 40, 6);
    ApproximateGalleryIndex index(gallery);
    index.setProbes(3);
    const std::string path = dir_.filePath(QStringLiteral("gallery.ivf")).toStdString();
    index.save(path);
    QVERIFY(!std::filesystem::exists(path + ".tmp"));
    ApproximateGalleryIndex read = ApproximateGalleryIndex::load(path);
    QCOMPARE(read.size(), index.size());
    QCOMPARE(read.probes(), std::size_t(3));
    QCOMPARE(read.search(queries, 7).indices, index.search(queries, 7).indices);
  }

  void badFilesAndInputsAreNamed() {
    const std::string junk = dir_.filePath(QStringLiteral("junk.ivf")).toStdString();
    std::ofstream(junk) << "not an index at all";
    try {
      ApproximateGalleryIndex::load(junk);
      QFAIL("no error for a junk file");
    } catch (const FormatError& e) {
      QVERIFY2(std::string(e.what()).find("junk.ivf") != std::string::npos, e.what());
    }
    QVERIFY_EXCEPTION_THROWN(ApproximateGalleryIndex::load(dir_.filePath(QStringLiteral("none")).toStdString()),
                             IoError);
    QVERIFY_EXCEPTION_THROWN(ApproximateGalleryIndex(EmbeddingMatrix{}), ConfigError);
    EmbeddingMatrix nan(50, 4);
    nan.at(3, 1) = NAN;
    QVERIFY_EXCEPTION_THROWN(ApproximateGalleryIndex{nan}, FormatError);
    ApproximateGalleryIndex index(clustered(200, 8, 5, 7));
    QVERIFY_EXCEPTION_THROWN(index.search(EmbeddingMatrix(2, 9), 3), FormatError);
  }
};

QTEST_APPLESS_MAIN(TestApproximateIndex)
#include "test_approximate_index.moc"
