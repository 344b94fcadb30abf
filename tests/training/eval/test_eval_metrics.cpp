// Metrics against hand-computed values: recall/MRR from ranks, near-duplicate
// discrimination, prototype classification, attribute accuracy.

#include <QtTest>

#include <cmath>

#include "core/base/Error.h"
#include "training/eval/AttributeAccuracy.h"
#include "training/eval/NearDuplicate.h"
#include "training/eval/PrototypeClassifier.h"
#include "training/eval/RetrievalMetrics.h"

using namespace moon;

namespace {
bool near(double a, double b, double tol = 1e-9) { return std::abs(a - b) <= tol; }
}  // namespace

class TestEvalMetrics : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void recallAndMrrFromRanks() {
    // Ranks 1, 2, 6, 11, missing, 1.
    const std::vector<std::size_t> ranks = {1, 2, 6, 11, 0, 1};
    QVERIFY(near(recallAtK(ranks, 1), 2.0 / 6));
    QVERIFY(near(recallAtK(ranks, 5), 3.0 / 6));
    QVERIFY(near(recallAtK(ranks, 10), 4.0 / 6));
    QVERIFY(near(recallAtK(ranks, 11), 5.0 / 6));
    QVERIFY(near(meanReciprocalRank(ranks), (1 + 0.5 + 1.0 / 6 + 1.0 / 11 + 0 + 1) / 6));

    const RetrievalReport r = retrievalReportFromRanks("i->t", ranks, 40);
    QCOMPARE(r.name, std::string("i->t"));
    QCOMPARE(r.queries, std::size_t(6));
    QCOMPARE(r.missing, std::size_t(1));
    QCOMPARE(r.galleryItems, std::size_t(40));
    QVERIFY(near(r.recallAt1, 2.0 / 6));
    QVERIFY(near(r.recallAt5, 3.0 / 6));
    QVERIFY(near(r.recallAt10, 4.0 / 6));
    QVERIFY(near(r.mrr, (1 + 0.5 + 1.0 / 6 + 1.0 / 11 + 1) / 6));
  }

  void allMissingAndNoQueries() {
    const RetrievalReport allMissing = retrievalReportFromRanks("t->i", {0, 0}, 5);
    QCOMPARE(allMissing.missing, std::size_t(2));
    QCOMPARE(allMissing.recallAt10, 0.0);
    QCOMPARE(allMissing.mrr, 0.0);
    const RetrievalReport none = retrievalReportFromRanks("t->i", {}, 5);
    QCOMPARE(none.queries, std::size_t(0));
    QCOMPARE(none.recallAt1, 0.0);
    QCOMPARE(none.mrr, 0.0);
  }

  void retrievalTieDoesNotDependOnGalleryOrder() {
    // The positive ties with another row: rank 1 wherever the two sit.
    const EmbeddingMatrix query = EmbeddingMatrix::fromRows({{1, 0}});
    const EmbeddingMatrix before = EmbeddingMatrix::fromRows({{1, 0}, {0, 1}, {1, 0}});
    const EmbeddingMatrix after = EmbeddingMatrix::fromRows({{1, 0}, {0, 1}, {0.5f, 0.5f}});
    QCOMPARE(positiveRanks(query, GalleryIndex(before), {2}), std::vector<std::size_t>{1});
    QCOMPARE(positiveRanks(query, GalleryIndex(before), {0}), std::vector<std::size_t>{1});
    QCOMPARE(positiveRanks(query, GalleryIndex(after), {2}), std::vector<std::size_t>{2});
  }

  // Triplets on 2-D vectors, cosines by hand:
  //   t0 q (1,0)  p (2,0) cos 1     n (0,1) cos 0       win,  margin  1
  //   t1 q (0,1)  p (1,0) cos 0     n (1,1) cos 1/√2    loss, margin -1/√2
  //   t2 q (1,1)  p = n = (1,2)                         tie = loss, margin 0
  //   t3 q (1,0)  negative missing                      skipped
  //   t4 q (0,0)  zero query: both cosines 0            loss, margin 0
  void nearDuplicateByHand() {
    const EmbeddingMatrix gallery = EmbeddingMatrix::fromRows({{2, 0}, {0, 1}, {1, 0}, {1, 1}, {1, 2}});
    const EmbeddingMatrix queries = EmbeddingMatrix::fromRows({{1, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}});
    const NearDuplicateReport r = nearDuplicateDiscrimination(queries, gallery, {0, 2, 4, 0, 0}, {1, 3, 4, -1, 1});
    QCOMPARE(r.triplets, std::size_t(4));
    QCOMPARE(r.skipped, std::size_t(1));
    QCOMPARE(r.wins, std::size_t(1));
    QVERIFY(near(r.accuracy, 0.25));
    QVERIFY(near(r.meanMargin, (1.0 - 1.0 / std::sqrt(2.0) + 0.0 + 0.0) / 4, 1e-7));
    // Per triplet, in input order; the skipped one has none.
    QCOMPARE(r.margins.size(), std::size_t(5));
    QVERIFY(std::isnan(r.margins[3]));
    double sum = 0;
    for (std::size_t t : {0, 1, 2, 4}) sum += r.margins[t];
    QVERIFY(near(sum / 4, r.meanMargin, 1e-12));
  }

  void nearDuplicateRejectsBadInput() {
    const EmbeddingMatrix gallery = EmbeddingMatrix::fromRows({{1, 0}});
    const EmbeddingMatrix queries = EmbeddingMatrix::fromRows({{1, 0}});
    QVERIFY_THROWS_EXCEPTION(FormatError, nearDuplicateDiscrimination(queries, gallery, {0}, {}));
    QVERIFY_THROWS_EXCEPTION(FormatError, nearDuplicateDiscrimination(queries, gallery, {0}, {1}));
    const NearDuplicateReport empty = nearDuplicateDiscrimination(EmbeddingMatrix(0, 2), gallery, {}, {});
    QCOMPARE(empty.triplets, std::size_t(0));
    QCOMPARE(empty.accuracy, 0.0);
  }

  void prototypesAverageNormalisedEmbeddings() {
    // Class "a": (10,0) and (0,1) -> normalised mean (0.5,0.5) -> (1/√2, 1/√2).
    // (Without normalising first, the long vector would dominate: ~(0.995, 0.0995).)
    // Class "b": (0,3) -> (0,1). The unlabelled row is ignored.
    const EmbeddingMatrix fit = EmbeddingMatrix::fromRows({{0, 3}, {10, 0}, {5, 5}, {0, 1}});
    const PrototypeClassifier c(fit, {"b", "a", "", "a"});
    QCOMPARE(c.classes(), (std::vector<std::string>{"a", "b"}));
    const double h = 1.0 / std::sqrt(2.0);
    QVERIFY(near(c.prototypes().at(0, 0), h, 1e-6));
    QVERIFY(near(c.prototypes().at(0, 1), h, 1e-6));
    QVERIFY(near(c.prototypes().at(1, 0), 0.0, 1e-7));
    QVERIFY(near(c.prototypes().at(1, 1), 1.0, 1e-7));

    // (1,0.2): cos to a = 1.2/(√2·√1.04) ≈ 0.832, to b ≈ 0.196 -> a.
    // (0.1,1): cos to a ≈ 0.774, to b ≈ 0.995 -> b.
    const auto predicted = c.predict(EmbeddingMatrix::fromRows({{1, 0.2f}, {0.1f, 1}}));
    QCOMPARE(predicted, (std::vector<std::string>{"a", "b"}));
  }

  void prototypeTieGoesToFirstClassName() {
    // Prototypes (1,0) for "zebra" and (0,1) for "apple": (1,1) is equally close to both.
    const PrototypeClassifier c(EmbeddingMatrix::fromRows({{1, 0}, {0, 1}}), {"zebra", "apple"});
    QCOMPARE(c.predict(EmbeddingMatrix::fromRows({{1, 1}})), std::vector<std::string>{"apple"});
    QCOMPARE(PrototypeClassifier().predict(EmbeddingMatrix::fromRows({{1, 1}})), std::vector<std::string>{""});
  }

  void classificationAccuracyByHand() {
    // Fit: coarse classes "shoes" (x axis) and "bags" (y axis).
    const EmbeddingMatrix fit = EmbeddingMatrix::fromRows({{1, 0}, {0.9f, 0.1f}, {0, 1}, {0.2f, 0.8f}});
    const std::vector<std::string> fitLabels = {"shoes", "shoes", "bags", "bags"};
    // Test: right, right, wrong, unseen class "hats" (always wrong), unlabelled (ignored).
    const EmbeddingMatrix test = EmbeddingMatrix::fromRows({{1, 0.1f}, {0.1f, 1}, {1, 0}, {0, 1}, {1, 1}});
    const std::vector<std::string> testLabels = {"shoes", "bags", "bags", "hats", ""};
    const ClassificationReport r = evaluatePrototypeClassification("coarse", fit, fitLabels, test, testLabels);
    QCOMPARE(r.name, std::string("coarse"));
    QCOMPARE(r.items, std::size_t(4));
    QCOMPARE(r.correct, std::size_t(2));
    QCOMPARE(r.unseen, std::size_t(1));
    QCOMPARE(r.classes, std::size_t(2));
    QVERIFY(near(r.accuracy, 0.5));
    QVERIFY_THROWS_EXCEPTION(FormatError, PrototypeClassifier(fit, {"shoes"}));
    QVERIFY_THROWS_EXCEPTION(FormatError, classificationAccuracy("fine", {"a"}, {"a", "b"}, {}));
  }

  // item 0: color right after trimming/case folding, pattern wrong, brand predicted but unlabelled
  // item 1: prediction missing entirely -> color wrong
  // item 2: both right
  // per key: color 2/3, pattern 0/1, sleeve 1/1; micro 3/5; macro (2/3 + 0 + 1)/3.
  void attributeAccuracyByHand() {
    const std::vector<Attributes> labelled = {
        {{"color", "red"}, {"pattern", "striped"}}, {{"color", "blue"}}, {{"color", "green"}, {"sleeve", "short"}}};
    const std::vector<Attributes> predicted = {
        {{"color", " Red "}, {"pattern", "plain"}, {"brand", "acme"}}, {}, {{"color", "green"}, {"sleeve", "short"}}};
    const AttributeReport r = attributeAccuracy(predicted, labelled);
    QCOMPARE(r.items, std::size_t(3));
    QCOMPARE(r.labelled, std::size_t(5));
    QCOMPARE(r.correct, std::size_t(3));
    QCOMPARE(r.unlabelledPredictions, std::size_t(1));
    QVERIFY(near(r.microAccuracy, 0.6));
    QVERIFY(near(r.macroAccuracy, (2.0 / 3 + 0 + 1) / 3));
    QCOMPARE(r.perKey.size(), std::size_t(3));
    QCOMPARE(r.perKey[0].key, std::string("color"));
    QCOMPARE(r.perKey[0].labelled, std::size_t(3));
    QCOMPARE(r.perKey[0].correct, std::size_t(2));
    QVERIFY(near(r.perKey[0].accuracy, 2.0 / 3));
    QCOMPARE(r.perKey[1].key, std::string("pattern"));
    QCOMPARE(r.perKey[1].correct, std::size_t(0));
    QCOMPARE(r.perKey[2].key, std::string("sleeve"));
    QVERIFY(near(r.perKey[2].accuracy, 1.0));
  }

  void attributeEdgeCases() {
    QCOMPARE(normalizeAttributeValue("  Navy Blue\t"), std::string("navy blue"));
    QCOMPARE(normalizeAttributeValue("   "), std::string());
    const AttributeReport none = attributeAccuracy({{}}, {{}});
    QCOMPARE(none.labelled, std::size_t(0));
    QCOMPARE(none.microAccuracy, 0.0);
    QVERIFY(none.perKey.empty());
    QVERIFY_THROWS_EXCEPTION(FormatError, attributeAccuracy({}, {{}}));
  }
};

QTEST_GUILESS_MAIN(TestEvalMetrics)
#include "test_eval_metrics.moc"
