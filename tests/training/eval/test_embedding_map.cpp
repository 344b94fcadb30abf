// The Embeddings view's data: PCA, exact t-SNE and Procrustes on planted
// points, and a micro checkpoint's products embedded, projected and cached
// next to the checkpoint (a second call reads the cache; new weights do not).

#include <QtTest>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <random>

#include "CompareFixture.h"
#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "training/eval/CheckpointEvaluation.h"
#include "training/eval/EmbeddingMap.h"
#include "training/eval/GalleryEmbedder.h"
#include "training/eval/Projection.h"

using namespace moon;
namespace fs = std::filesystem;

namespace {

// `clusters` Gaussian blobs of `per` points in `dim` dimensions, far apart.
EmbeddingMatrix blobs(int clusters, int per, int dim, std::vector<int>* labels, unsigned seed = 5) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 0.3f);
  EmbeddingMatrix m(std::size_t(clusters * per), std::size_t(dim));
  for (int c = 0; c < clusters; ++c)
    for (int i = 0; i < per; ++i) {
      const std::size_t r = std::size_t(c * per + i);
      for (int d = 0; d < dim; ++d) m.at(r, std::size_t(d)) = (d == c ? 6.0f : 0.0f) + noise(rng);
      labels->push_back(c);
    }
  return m;
}

// Share of points whose nearest other point in the 2-D map has their label.
double neighbourAgreement(const std::vector<float>& xy, const std::vector<int>& labels) {
  const std::size_t n = labels.size();
  std::size_t agree = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double best = INFINITY;
    std::size_t nearest = i;
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      const double dx = xy[2 * i] - xy[2 * j], dy = xy[2 * i + 1] - xy[2 * j + 1];
      if (dx * dx + dy * dy < best) best = dx * dx + dy * dy, nearest = j;
    }
    agree += labels[nearest] == labels[i];
  }
  return double(agree) / double(n);
}

}  // namespace

class TestEmbeddingMap : public QObject {
  Q_OBJECT
  std::unique_ptr<test::CompareFixture> fx_;

 private Q_SLOTS:
  void initTestCase() {
    setStderrLogLevel(spdlog::level::warn);
    torch::set_num_threads(1);
    fx_ = std::make_unique<test::CompareFixture>();
  }

  void pcaFindsTheSpreadAndIsDeterministic() {
    // Points on a line along (1, 2, 0) plus tiny noise in the third axis.
    EmbeddingMatrix m(50, 3);
    for (std::size_t r = 0; r < 50; ++r) {
      const float t = float(r) - 25.0f;
      m.at(r, 0) = t;
      m.at(r, 1) = 2.0f * t;
      m.at(r, 2) = 0.01f * float(r % 3);
    }
    const std::vector<float> xy = pcaProjection(m);
    QCOMPARE(xy.size(), std::size_t(100));
    double var0 = 0, var1 = 0;
    for (std::size_t r = 0; r < 50; ++r) var0 += xy[2 * r] * xy[2 * r], var1 += xy[2 * r + 1] * xy[2 * r + 1];
    QVERIFY(var0 > 1e4 * var1);
    // The first coordinate is the signed distance along the line (|(1,2)| = √5 per step).
    QVERIFY(std::abs(std::abs(xy[2 * 49] - xy[0]) - 49.0 * std::sqrt(5.0)) < 1e-2);
    QCOMPARE(pcaProjection(m), xy);
    EmbeddingMatrix flipped = m;
    for (float& v : flipped.data) v = -v;
    const std::vector<float> f = pcaProjection(flipped);
    for (std::size_t i = 0; i < 100; i += 2) QVERIFY(std::abs(f[i] + xy[i]) < 1e-3);  // signs are fixed by the loadings
  }

  void tsneSeparatesPlantedClustersAndIsSeeded() {
    std::vector<int> labels;
    const EmbeddingMatrix m = blobs(4, 30, 12, &labels);
    TsneOptions o;
    o.iterations = 300;
    o.perplexity = 15;
    double last = -1;
    o.progress = [&](double f) {
      QVERIFY(f >= last);
      last = f;
    };
    const std::vector<float> a = tsneProjection(m, o);
    QCOMPARE(last, 1.0);
    QCOMPARE(a.size(), std::size_t(2 * 120));
    for (float v : a) QVERIFY(std::isfinite(v));
    QVERIFY2(neighbourAgreement(a, labels) >= 0.98, qPrintable(QString::number(neighbourAgreement(a, labels))));
    o.progress = nullptr;
    QCOMPARE(tsneProjection(m, o), a);
    o.seed = 2;
    QVERIFY(tsneProjection(m, o) != a);

    std::atomic<bool> cancel{true};
    o.cancel = &cancel;
    QVERIFY_EXCEPTION_THROWN(tsneProjection(m, o), Cancelled);
    QVERIFY_EXCEPTION_THROWN(tsneProjection(EmbeddingMatrix(kMaxTsnePoints + 1, 2), TsneOptions{}), ConfigError);
  }

  void procrustesUndoesRotationScaleShiftAndReflection() {
    std::vector<float> ref;
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> u(-5, 5);
    for (int i = 0; i < 40; ++i) ref.push_back(u(rng));
    for (bool reflect : {false, true}) {
      const double angle = 1.1, scale = 3.5;
      std::vector<float> moved;
      for (std::size_t i = 0; i < ref.size(); i += 2) {
        const double x = ref[i], y = reflect ? -ref[i + 1] : ref[i + 1];
        moved.push_back(float(scale * (std::cos(angle) * x - std::sin(angle) * y) + 7.0));
        moved.push_back(float(scale * (std::sin(angle) * x + std::cos(angle) * y) - 2.0));
      }
      const std::vector<float> back = procrustesAlign(moved, ref);
      for (std::size_t i = 0; i < ref.size(); ++i) QVERIFY(std::abs(back[i] - ref[i]) < 1e-3);
    }
    QVERIFY_EXCEPTION_THROWN(procrustesAlign({1, 2}, {1, 2, 3, 4}), FormatError);
  }

  void groupsAndNeighbours() {
    DatasetOptions d;
    d.requiredSplits = {};
    d.logReport = false;
    const Dataset ds = Dataset::load(fx_->dataset(), d);
    std::vector<std::string> ids;
    for (const auto& p : ds.products()) ids.push_back(p.id);
    const std::vector<std::size_t> groups = nearDuplicateGroups(ds, ids);
    QCOMPARE(groups.size(), ids.size());
    QCOMPARE(groups.front(), std::size_t(0));
    for (const auto& name : ds.splitNames())
      for (const Triplet& t : ds.split(name)) {
        const auto a = std::find(ids.begin(), ids.end(), t.positiveId) - ids.begin();
        const auto b = std::find(ids.begin(), ids.end(), t.negativeId) - ids.begin();
        QCOMPARE(groups[std::size_t(a)], groups[std::size_t(b)]);
      }
    QVERIFY(*std::max_element(groups.begin(), groups.end()) > 0);  // more than one group

    const EmbeddingMatrix m = EmbeddingMatrix::fromRows({{1, 0}, {0.8f, 0.6f}, {0, 1}, {-1, 0}});
    const auto near = nearestRows(m, 0, 2);
    QCOMPARE(near.size(), std::size_t(2));
    QCOMPARE(near[0].first, std::size_t(1));
    QCOMPARE(near[1].first, std::size_t(2));
    QVERIFY(std::abs(near[0].second - 0.8f) < 1e-6);
  }

  void checkpointMapIsCachedUntilTheWeightsChange() {
    const fs::path dir = fx_->modelCheckpoint();
    EmbeddingMapOptions o;
    o.embedding = MapEmbedding::Disc;
    o.dataDir = fx_->dataset();
    const EmbeddingMap first = computeEmbeddingMap(dir, o);
    QVERIFY(!first.embeddingsFromCache && !first.projectionFromCache);
    QCOMPARE(first.ids.size(), mapProducts(loadDatasetForSplit(fx_->dataset(), "all", false), "all").size());
    QCOMPARE(first.xy.size(), 2 * first.ids.size());
    for (std::size_t r = 0; r < first.embeddings.rows; ++r)
      QVERIFY(std::abs(l2Norm(first.embeddings.row(r), first.embeddings.dim) - 1.0) < 1e-4);
    QVERIFY(fs::is_regular_file(dir / "maps" / "all-disc.safetensors"));

    const EmbeddingMap second = computeEmbeddingMap(dir, o);
    QVERIFY(second.embeddingsFromCache && second.projectionFromCache);
    QCOMPARE(second.ids, first.ids);
    QCOMPARE(second.xy, first.xy);
    QCOMPARE(second.embeddings.data, first.embeddings.data);

    // Another projection of the cached embeddings: embeddings from the cache, projection computed.
    o.projection = MapProjection::Tsne;
    o.iterations = 60;
    const EmbeddingMap tsne = computeEmbeddingMap(dir, o);
    QVERIFY(tsne.embeddingsFromCache && !tsne.projectionFromCache);
    QVERIFY(computeEmbeddingMap(dir, o).projectionFromCache);

    // New weights (a later save of the same folder) make both caches stale.
    const fs::path weights = dir / kModelWeightsFile;
    fs::last_write_time(weights, fs::last_write_time(weights) + std::chrono::seconds(5));
    o.projection = MapProjection::Pca;
    const EmbeddingMap again = computeEmbeddingMap(dir, o);
    QVERIFY(!again.embeddingsFromCache && !again.projectionFromCache);

    // Reasoned embeddings carry the trace each product was embedded after.
    o.embedding = MapEmbedding::Reasoned;
    o.split = fx_->tripletSplit();
    const EmbeddingMap reasoned = computeEmbeddingMap(dir, o);
    QCOMPARE(reasoned.traces.size(), reasoned.ids.size());
    QVERIFY(reasoned.ids.size() < first.ids.size());  // one split's products
    const EmbeddingMap cachedReasoned = computeEmbeddingMap(dir, o);
    QVERIFY(cachedReasoned.embeddingsFromCache);
    QCOMPARE(cachedReasoned.traces, reasoned.traces);
  }

  void badInputNamesTheProblem() {
    EmbeddingMapOptions o;
    o.dataDir = fx_->dataset();
    try {
      computeEmbeddingMap(fx_->path("no-such-checkpoint"), o);
      QFAIL("no error for a missing checkpoint");
    } catch (const Error& e) {
      QVERIFY2(std::string(e.what()).find("no-such-checkpoint") != std::string::npos, e.what());
    }
    o.split = "nosuch";
    try {
      computeEmbeddingMap(fx_->modelCheckpoint(), o);
      QFAIL("no error for an unknown split");
    } catch (const ConfigError& e) {
      QVERIFY2(std::string(e.what()).find("nosuch") != std::string::npos, e.what());
    }
    std::atomic<bool> cancel{true};
    o.split = "all";
    o.useCache = false;
    o.cancel = &cancel;
    QVERIFY_EXCEPTION_THROWN(computeEmbeddingMap(fx_->modelCheckpoint(), o), Cancelled);
  }
};

QTEST_APPLESS_MAIN(TestEmbeddingMap)
#include "test_embedding_map.moc"
