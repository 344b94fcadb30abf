// "Why are these two close?" on a micro checkpoint: the attribution's
// teacher-forced embeddings are the ones the comparison shows, a painted
// region is where the image attribution peaks and what the faithfulness check
// finds, title and trace tokens are scored, and an edited trace re-embeds.

#include <QtTest>

#include <opencv2/imgproc.hpp>

#include <cmath>

#include "CompareFixture.h"
#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "model/checkpoint/CheckpointLoader.h"
#include "model/compare/CompareRunner.h"
#include "model/compare/SimilarityAttribution.h"
#include "model/compare/TripletInputs.h"
#include "model/inference/InferenceContext.h"

using namespace moon;

namespace {

float dot(const std::vector<float>& a, const std::vector<float>& b) {
  float s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

}  // namespace

class TestSimilarityAttribution : public QObject {
  Q_OBJECT
  std::unique_ptr<test::CompareFixture> fx_;
  LoadedCheckpoint checkpoint_;
  TripletInputs triplet_;

 private Q_SLOTS:
  void initTestCase() {
    setStderrLogLevel(spdlog::level::warn);
    torch::set_num_threads(1);
    fx_ = std::make_unique<test::CompareFixture>();
    checkpoint_ = loadCheckpoint(fx_->modelCheckpoint());
    DatasetOptions o;
    o.requiredSplits = {};
    o.logReport = false;
    const Dataset ds = Dataset::load(fx_->dataset(), o);
    // A query with both a title and a photo, so every part is attributed.
    const auto& triplets = ds.split(fx_->tripletSplit());
    for (std::size_t i = 0; i < triplets.size(); ++i)
      if (triplets[i].query.title && triplets[i].query.imagePath) {
        triplet_ = tripletInputs(ds, fx_->tripletSplit(), int(i));
        break;
      }
    QVERIFY(!triplet_.slots[0].title.empty() && !triplet_.slots[0].image.empty());
  }

  void cosineIsTheComparisonsOwn() {
    const auto compared = runComparison(*checkpoint_.context, triplet_.slots, CompareOptions{});
    QVERIFY(compared);
    for (int candidate : {1, 2}) {
      const SimilarityAttribution a =
          attributeSimilarity(*checkpoint_.context, triplet_.slots[0], triplet_.slots[std::size_t(candidate)]);
      const float shown =
          dot(compared->slots[0].multimodal.embedding, compared->slots[std::size_t(candidate)].multimodal.embedding);
      QVERIFY2(std::abs(a.cosine - shown) < 1e-4, qPrintable(QStringLiteral("%1 vs %2").arg(a.cosine).arg(shown)));
      QCOMPARE(a.queryTrace, compared->slots[0].multimodal.traceText);
      QCOMPARE(a.candidateTrace, compared->slots[std::size_t(candidate)].multimodal.traceText);
    }
  }

  void aPaintedRegionIsWhereTheAttributionPeaks() {
    const int size = fx_->config().vision.image_size;
    const int side = fx_->config().mergedGridSize();
    QVERIFY(side >= 2);
    // Mid-grey is 0 after the model's scaling to [-1, 1]: only the painted cell carries input.
    cv::Mat grey(size, size, CV_8UC3, cv::Scalar(128, 128, 128));
    cv::Mat painted = grey.clone();
    const int cell = size / side, row = side - 1, col = side / 2;
    cv::rectangle(painted, cv::Rect(col * cell, row * cell, cell, cell), cv::Scalar(255, 0, 255), cv::FILLED);
    CompareInput candidate;
    candidate.image = painted;
    const SimilarityAttribution a = attributeSimilarity(*checkpoint_.context, triplet_.slots[0], candidate);
    QCOMPARE(a.gridSide, side);
    QCOMPARE(a.patches.size(), std::size_t(side * side));
    const auto top = std::max_element(a.patches.begin(), a.patches.end()) - a.patches.begin();
    QCOMPARE(int(top), row * side + col);
    QCOMPARE(a.patches[std::size_t(top)], 1.0f);
    double others = 0;
    for (std::size_t i = 0; i < a.patches.size(); ++i)
      if (int(i) != int(top)) others = std::max(others, double(a.patches[i]));
    QVERIFY2(others < 0.2, qPrintable(QString::number(others)));
    // Removing the painted cell moves the cosine; removing grey cells barely does.
    QVERIFY2(std::abs(a.cosine - a.cosineWithoutMost) > 5 * std::abs(a.cosine - a.cosineWithoutLeast),
             qPrintable(QStringLiteral("cos %1, without most %2, without least %3")
                            .arg(a.cosine)
                            .arg(a.cosineWithoutMost)
                            .arg(a.cosineWithoutLeast)));
  }

  void titleAndTraceTokensAreScored() {
    const CompareInput& query = triplet_.slots[0];
    QVERIFY(!query.title.empty());
    const SimilarityAttribution a = attributeSimilarity(*checkpoint_.context, query, triplet_.slots[1]);
    const std::size_t titleTokens = checkpoint_.context->codec().encode(query.title).size();
    std::size_t inTitle = 0, inTrace = 0;
    for (const TokenAttribution& t : a.queryTokens) {
      QVERIFY(std::isfinite(t.score));
      QVERIFY(!t.text.empty());
      (t.inTrace ? inTrace : inTitle) += 1;
    }
    QCOMPARE(inTitle, std::min<std::size_t>(titleTokens, 64));
    QCOMPARE(inTrace, checkpoint_.context->codec().encode(a.queryTrace).size());
    QVERIFY(std::any_of(a.queryTokens.begin(), a.queryTokens.end(),
                        [](const TokenAttribution& t) { return t.score != 0; }));
  }

  void anEditedTraceReembedsTheQuery() {
    const CompareInput& query = triplet_.slots[0];
    const SimilarityAttribution a = attributeSimilarity(*checkpoint_.context, query, triplet_.slots[1]);
    const std::vector<float> same = embedAfterTrace(*checkpoint_.context, query, a.queryTrace);
    const std::vector<float> edited = embedAfterTrace(*checkpoint_.context, query, "color: blue; logo: none");
    QVERIFY(std::abs(dot(same, same) - 1.0f) < 1e-4 && std::abs(dot(edited, edited) - 1.0f) < 1e-4);
    QVERIFY(dot(same, edited) < 0.99999f);
    AttributionOptions o;
    o.queryTrace = "color: blue; logo: none";
    const SimilarityAttribution b = attributeSimilarity(*checkpoint_.context, query, triplet_.slots[1], o);
    QCOMPARE(b.queryTrace, std::string("color: blue; logo: none"));
    QVERIFY(std::abs(b.cosine - a.cosine) > 1e-7 || dot(same, edited) > 0.9999f);
    QVERIFY_EXCEPTION_THROWN(attributeSimilarity(*checkpoint_.context, query, CompareInput{}), Error);
  }
};

QTEST_APPLESS_MAIN(TestSimilarityAttribution)
#include "test_similarity_attribution.moc"
