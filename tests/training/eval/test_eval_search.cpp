// FAISS search (GalleryIndex) against the brute-force reference: same indices,
// same scores, same tie order; and the rank of the positive on a hand example.

#include <QtTest>

#include <algorithm>
#include <random>

#include "core/base/Error.h"
#include "training/eval/BruteForceSearch.h"
#include "training/eval/GalleryIndex.h"
#include "training/eval/RetrievalMetrics.h"

using namespace moon;

namespace {

EmbeddingMatrix randomMatrix(std::size_t rows, std::size_t dim, std::mt19937& rng, bool normalise = true) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  EmbeddingMatrix m(rows, dim);
  for (float& v : m.data) v = normal(rng);
  if (normalise) l2NormalizeRows(m);
  return m;
}

// Rows drawn from a few distinct vectors, so that most scores are exact ties.
EmbeddingMatrix tiedMatrix(std::size_t rows, std::size_t dim, std::size_t distinct, std::mt19937& rng) {
  EmbeddingMatrix base = randomMatrix(distinct, dim, rng);
  std::uniform_int_distribution<std::size_t> pick(0, distinct - 1);
  EmbeddingMatrix m(rows, dim);
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t b = pick(rng);
    std::copy(base.row(b), base.row(b) + dim, m.row(r));
  }
  return m;
}

void expectSameResults(const SearchResult& faiss, const SearchResult& brute) {
  QCOMPARE(faiss.queries, brute.queries);
  QCOMPARE(faiss.k, brute.k);
  for (std::size_t q = 0; q < brute.queries; ++q) {
    for (std::size_t j = 0; j < brute.k; ++j) {
      if (faiss.index(q, j) != brute.index(q, j))
        QFAIL(qPrintable(QString("query %1 rank %2: faiss row %3 (%4), brute force row %5 (%6)")
                             .arg(q)
                             .arg(j)
                             .arg(faiss.index(q, j))
                             .arg(double(faiss.score(q, j)), 0, 'g', 9)
                             .arg(brute.index(q, j))
                             .arg(double(brute.score(q, j)), 0, 'g', 9)));
      QVERIFY(std::abs(faiss.score(q, j) - brute.score(q, j)) <= 1e-6f);
    }
  }
}

void expectOrdered(const SearchResult& r) {
  for (std::size_t q = 0; q < r.queries; ++q)
    for (std::size_t j = 1; j < r.k; ++j)
      QVERIFY(ranksBefore(r.score(q, j - 1), r.index(q, j - 1), r.score(q, j), r.index(q, j)));
}

// Gallery of the hand example (d = 2):
//   g0 (1,0)  g1 (0,1)  g2 (1,0)  g3 (-1,0)  g4 (0.6,0.8)  g5..g16 = 12 x (0.8,0.6)
EmbeddingMatrix handGallery() {
  std::vector<std::vector<float>> rows = {{1, 0}, {0, 1}, {1, 0}, {-1, 0}, {0.6f, 0.8f}};
  for (int i = 0; i < 12; ++i) rows.push_back({0.8f, 0.6f});
  return EmbeddingMatrix::fromRows(rows);
}

}  // namespace

class TestEvalSearch : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void bruteForceOrdersByScoreThenIndex() {
    const EmbeddingMatrix gallery = handGallery();
    const EmbeddingMatrix query = EmbeddingMatrix::fromRows({{1, 0}});
    const SearchResult r = searchTopKBruteForce(query, gallery, 4);
    QCOMPARE(r.k, std::size_t(4));
    // g0 and g2 tie at 1: lower index first; then the fillers tie at 0.8.
    QCOMPARE(r.index(0, 0), std::int64_t(0));
    QCOMPARE(r.index(0, 1), std::int64_t(2));
    QCOMPARE(r.index(0, 2), std::int64_t(5));
    QCOMPARE(r.index(0, 3), std::int64_t(6));
    QCOMPARE(r.score(0, 0), 1.0f);
    QVERIFY(std::abs(r.score(0, 2) - 0.8f) < 1e-7f);
  }

  void faissMatchesHandExample() {
    const EmbeddingMatrix gallery = handGallery();
    const EmbeddingMatrix queries = EmbeddingMatrix::fromRows({{1, 0}, {0, 1}, {0.6f, 0.8f}, {-1, 0}});
    for (std::size_t k : {1, 2, 3, 7, 17})
      expectSameResults(searchTopK(queries, gallery, k), searchTopKBruteForce(queries, gallery, k));
  }

  void faissAgreesWithBruteForceOnRandomData_data() {
    QTest::addColumn<int>("queries");
    QTest::addColumn<int>("gallery");
    QTest::addColumn<int>("dim");
    QTest::addColumn<int>("k");
    // FAISS takes its per-query SIMD path below 20 queries and BLAS above.
    QTest::newRow("few queries") << 7 << 300 << 16 << 10;
    QTest::newRow("blas path") << 200 << 1000 << 64 << 10;
    QTest::newRow("k above the gallery") << 30 << 12 << 8 << 50;
    QTest::newRow("k = 1") << 50 << 400 << 32 << 1;
  }
  void faissAgreesWithBruteForceOnRandomData() {
    QFETCH(int, queries);
    QFETCH(int, gallery);
    QFETCH(int, dim);
    QFETCH(int, k);
    std::mt19937 rng(1234);
    const EmbeddingMatrix q = randomMatrix(queries, dim, rng);
    const EmbeddingMatrix g = randomMatrix(gallery, dim, rng);
    const SearchResult brute = searchTopKBruteForce(q, g, k);
    const SearchResult faiss = searchTopK(q, g, k);
    QCOMPARE(faiss.k, std::min<std::size_t>(k, gallery));
    expectOrdered(brute);
    expectSameResults(faiss, brute);
  }

  void faissAgreesWithBruteForceOnTies_data() {
    QTest::addColumn<int>("distinct");
    QTest::addColumn<int>("k");
    QTest::newRow("groups of ~10, k inside a group") << 20 << 15;
    QTest::newRow("groups of ~50, k = 10") << 4 << 10;
    QTest::newRow("every row identical") << 1 << 25;
  }
  void faissAgreesWithBruteForceOnTies() {
    QFETCH(int, distinct);
    QFETCH(int, k);
    std::mt19937 rng(99);
    const EmbeddingMatrix g = tiedMatrix(200, 24, distinct, rng);
    // Queries equal to gallery rows plus random ones; 40 queries use the BLAS path.
    EmbeddingMatrix q = randomMatrix(40, 24, rng);
    for (std::size_t i = 0; i < 20; ++i) std::copy(g.row(i * 7), g.row(i * 7) + 24, q.row(i));
    const SearchResult brute = searchTopKBruteForce(q, g, k);
    expectSameResults(searchTopK(q, g, k), brute);
    // The tie order really is by index: within equal scores the indices rise.
    std::size_t tiesSeen = 0;
    for (std::size_t i = 0; i < brute.queries; ++i)
      for (std::size_t j = 1; j < brute.k; ++j)
        if (brute.score(i, j) == brute.score(i, j - 1)) {
          ++tiesSeen;
          QVERIFY(brute.index(i, j) > brute.index(i, j - 1));
        }
    QVERIFY(tiesSeen > 0);
  }

  void nearTiesBelowFloatPrecision() {
    // Rows that differ from the query direction by ~1e-7: their exact scores
    // differ by about one float ulp, so FAISS's float accumulation orders them
    // differently from the exact scores. Many more such rows than FAISS's first
    // candidate batch forces the widening search.
    std::mt19937 rng(17);
    const std::size_t dim = 64;
    EmbeddingMatrix base = randomMatrix(1, dim, rng);
    std::normal_distribution<float> noise(0.0f, 3e-7f);
    EmbeddingMatrix g(400, dim);
    for (std::size_t r = 0; r < g.rows; ++r)
      for (std::size_t c = 0; c < dim; ++c) g.at(r, c) = base.at(0, c) + noise(rng);
    EmbeddingMatrix q(30, dim);
    for (std::size_t r = 0; r < q.rows; ++r)
      for (std::size_t c = 0; c < dim; ++c) q.at(r, c) = base.at(0, c) + (r == 0 ? 0.0f : noise(rng));
    for (std::size_t k : {1, 10, 60}) expectSameResults(searchTopK(q, g, k), searchTopKBruteForce(q, g, k));
  }

  void integerValuedTiesWithUnnormalisedRows() {
    // Small integer vectors: many exact ties, rows of different norms.
    std::mt19937 rng(5);
    std::uniform_int_distribution<int> value(-2, 2);
    EmbeddingMatrix g(300, 6), q(25, 6);
    for (float& v : g.data) v = float(value(rng));
    for (float& v : q.data) v = float(value(rng));
    for (std::size_t k : {5, 10, 40}) expectSameResults(searchTopK(q, g, k), searchTopKBruteForce(q, g, k));
  }

  void indexIsReusable() {
    std::mt19937 rng(7);
    const EmbeddingMatrix g = randomMatrix(100, 8, rng);
    const GalleryIndex index(g);
    QCOMPARE(index.size(), std::size_t(100));
    QCOMPARE(index.dim(), std::size_t(8));
    QCOMPARE(index.row(42)[3], g.at(42, 3));
    for (int round = 0; round < 3; ++round) {
      const EmbeddingMatrix q = randomMatrix(5, 8, rng);
      expectSameResults(index.search(q, 10), searchTopKBruteForce(q, g, 10));
    }
  }

  void emptyInputs() {
    const EmbeddingMatrix g = handGallery();
    const SearchResult none = searchTopK(EmbeddingMatrix(0, 2), g, 10);
    QCOMPARE(none.queries, std::size_t(0));
    const SearchResult emptyGallery = searchTopK(EmbeddingMatrix::fromRows({{1, 0}}), EmbeddingMatrix(0, 2), 10);
    QCOMPARE(emptyGallery.queries, std::size_t(1));
    QCOMPARE(emptyGallery.k, std::size_t(0));
    QCOMPARE(searchTopKBruteForce(EmbeddingMatrix::fromRows({{1, 0}}), EmbeddingMatrix(0, 2), 10).k, std::size_t(0));
  }

  void badInputThrows() {
    const EmbeddingMatrix g = handGallery();
    const EmbeddingMatrix wrongDim = EmbeddingMatrix::fromRows({{1, 0, 0}});
    QVERIFY_THROWS_EXCEPTION(FormatError, searchTopK(wrongDim, g, 3));
    QVERIFY_THROWS_EXCEPTION(FormatError, searchTopKBruteForce(wrongDim, g, 3));
    EmbeddingMatrix nan = EmbeddingMatrix::fromRows({{1, 0}});
    nan.at(0, 1) = std::numeric_limits<float>::quiet_NaN();
    QVERIFY_THROWS_EXCEPTION(FormatError, searchTopK(nan, g, 3));
    QVERIFY_THROWS_EXCEPTION(FormatError, GalleryIndex{nan});
    QVERIFY_THROWS_EXCEPTION(FormatError, EmbeddingMatrix(2, 3, std::vector<float>(5)));
    QVERIFY_THROWS_EXCEPTION(FormatError, EmbeddingMatrix::fromRows({{1, 2}, {3}}));
  }

  // Ranks on the hand gallery, worked out by hand (rank = 1 + rows scoring
  // strictly higher than the positive):
  //   q0 (1,0)     pos g2:  g0 ties at 1, nothing higher                   -> 1
  //   q1 (0,1)     pos g4 (0.8): g1 (1) higher                             -> 2
  //   q2 (1,0)     pos g4 (0.6): g0, g2 (1) and 12 fillers (0.8) higher     -> 15
  //   q3 (1,0)     pos g3 (-1): all 16 other rows higher                    -> 17
  //   q4 (0,1)     positive missing                                         -> 0
  //   q5 (0,1)     pos g5 (0.6, tied with 11 fillers): g1, g4 higher        -> 3
  //   q6 (.6,.8)   pos g16 (0.96, 11 tied fillers sort before it, so it is
  //                outside the top 10): only g4 (1) higher                  -> 2
  void positiveRanksOnHandExample() {
    const EmbeddingMatrix g = handGallery();
    const EmbeddingMatrix q = EmbeddingMatrix::fromRows({{1, 0}, {0, 1}, {1, 0}, {1, 0}, {0, 1}, {0, 1}, {0.6f, 0.8f}});
    const std::vector<std::int64_t> positives = {2, 4, 4, 3, -1, 5, 16};
    const std::vector<std::size_t> expected = {1, 2, 15, 17, 0, 3, 2};
    QCOMPARE(positiveRanksBruteForce(q, g, positives), expected);
    QCOMPARE(positiveRanks(q, GalleryIndex(g), positives), expected);
    QCOMPARE(positiveRanks(q, GalleryIndex(g), positives, 1), expected);

    const RetrievalReport r = evaluateRetrieval("t->mm", q, GalleryIndex(g), positives);
    QCOMPARE(r.name, std::string("t->mm"));
    QCOMPARE(r.queries, std::size_t(7));
    QCOMPARE(r.missing, std::size_t(1));
    QCOMPARE(r.galleryItems, std::size_t(17));
    QCOMPARE(r.recallAt1, 1.0 / 7);
    QCOMPARE(r.recallAt5, 4.0 / 7);
    QCOMPARE(r.recallAt10, 4.0 / 7);
    QVERIFY(std::abs(r.mrr - (1 + 1.0 / 2 + 1.0 / 15 + 1.0 / 17 + 0 + 1.0 / 3 + 1.0 / 2) / 7) < 1e-12);
  }

  void positiveRanksAgreeOnRandomData() {
    std::mt19937 rng(2024);
    const EmbeddingMatrix g = randomMatrix(500, 16, rng);
    const EmbeddingMatrix q = randomMatrix(120, 16, rng);
    std::vector<std::int64_t> positives(q.rows);
    std::uniform_int_distribution<std::int64_t> pick(-1, std::int64_t(g.rows) - 1);
    for (auto& p : positives) p = pick(rng);
    const auto brute = positiveRanksBruteForce(q, g, positives);
    QCOMPARE(positiveRanks(q, GalleryIndex(g), positives), brute);
    // Random positives mostly rank far below 10: the exact counting path is exercised.
    QVERIFY(std::count_if(brute.begin(), brute.end(), [](std::size_t r) { return r > 10; }) > 50);
  }

  void positiveOutOfRangeThrows() {
    const EmbeddingMatrix g = handGallery();
    const EmbeddingMatrix q = EmbeddingMatrix::fromRows({{1, 0}});
    QVERIFY_THROWS_EXCEPTION(FormatError, positiveRanks(q, GalleryIndex(g), {17}));
    QVERIFY_THROWS_EXCEPTION(FormatError, positiveRanksBruteForce(q, g, {17}));
    QVERIFY_THROWS_EXCEPTION(FormatError, positiveRanks(q, GalleryIndex(g), {0, 1}));
  }
};

QTEST_GUILESS_MAIN(TestEvalSearch)
#include "test_eval_search.moc"
