// The Qt-free comparison behind the Compare view: checkpoints of both kinds,
// a triplet run end to end on a micro model, the similarity matrix and
// margins, attention heat maps and overlays, bad input, and the JSON export.

#include <QtTest/QtTest>

#include <cmath>
#include <fstream>

#include <opencv2/imgproc.hpp>

#include "CompareFixture.h"
#include "core/base/Error.h"
#include "core/data/Dataset.h"
#include "core/image/AttentionHeatmap.h"
#include "core/image/ImageIo.h"
#include "model/checkpoint/CheckpointLoader.h"
#include "model/compare/AttentionOverlay.h"
#include "model/compare/CompareRunner.h"
#include "model/inference/InferenceContext.h"

using namespace moon;
namespace fs = std::filesystem;

class TestCompareCore : public QObject {
  Q_OBJECT

  std::unique_ptr<test::CompareFixture> fx_;
  std::optional<Dataset> dataset_;
  LoadedCheckpoint ckpt_;
  std::optional<ComparisonResult> result_;  // greedy, on triplet 0: shared by the read-only checks

  std::array<CompareInput, kCompareSlots> tripletInputs(int index = 0) {
    std::string split;
    for (const auto& name : dataset_->splitNames())
      if (!dataset_->split(name).empty()) split = name;
    const Triplet& t = dataset_->split(split).at(size_t(index));
    std::array<CompareInput, kCompareSlots> in;
    in[0].title = t.query.title.value_or("");
    if (t.query.imagePath) in[0].image = readImageChecked(dataset_->imageFile(*t.query.imagePath));
    in[0].truth = t.query.attributes;
    const std::string ids[] = {t.positiveId, t.negativeId};
    for (int s = 1; s < 3; ++s) {
      const Product* p = dataset_->findProduct(ids[s - 1]);
      in[size_t(s)].id = p->id;
      in[size_t(s)].title = p->title;
      in[size_t(s)].image = readImageChecked(dataset_->imageFile(p->imagePath));
      in[size_t(s)].truth = p->allAttributes();
    }
    // Every modality present in the query, so the matrix is full.
    if (in[0].image.empty()) in[0].image = in[1].image.clone();
    if (in[0].title.empty()) in[0].title = in[1].title;
    return in;
  }

 private Q_SLOTS:
  void initTestCase() {
    torch::set_num_threads(2);
    fx_ = std::make_unique<test::CompareFixture>();
    DatasetOptions o;
    o.requiredSplits = {};
    o.logReport = false;
    dataset_ = Dataset::load(fx_->dataset(), o);
    ckpt_ = loadCheckpoint(fx_->modelCheckpoint());
    result_ = runComparison(*ckpt_.context, tripletInputs(), {});
    QVERIFY(result_);
  }

  void loadsBothCheckpointKinds() {
    QCOMPARE(ckpt_.kind, CheckpointKind::Model);
    QVERIFY(ckpt_.context);
    QVERIFY(!ckpt_.tokenizerPath.empty());
    const auto training = loadCheckpoint(fx_->trainingCheckpoint());
    QCOMPARE(training.kind, CheckpointKind::Training);
    QCOMPARE(fs::path(training.datasetDir), fs::path(fx_->dataset()));
    QVERIFY(!training.tokenizerPath.empty());
    // Same weights: the same input gives the same embedding through either kind.
    const auto in = tripletInputs();
    CompareOptions o;
    o.maxTokens = 4;
    const auto a = runComparison(*ckpt_.context, in, o);
    const auto b = runComparison(*training.context, in, o);
    QVERIFY(a && b);
    QVERIFY(std::abs(cosineSimilarity(a->slots[1].multimodal.embedding, b->slots[1].multimodal.embedding) - 1.0f) <
            1e-5f);
  }

  void comparesATripletEndToEnd() {
    const auto in = tripletInputs();
    std::vector<double> seen;
    const auto r = runComparison(*ckpt_.context, in, {}, [&](double f) {
      seen.push_back(f);
      return true;
    });
    QVERIFY(r.has_value());
    QVERIFY(!seen.empty() && seen.front() == 0.0 && std::abs(seen.back() - 1.0) < 1e-9);
    for (const auto& slot : r->slots) {
      QVERIFY(!slot.multimodal.traceTokens.empty());
      QVERIFY(!slot.multimodal.traceText.empty());
      QCOMPARE(int(slot.multimodal.embedding.size()), fx_->config().embed_dim);
      QVERIFY(!slot.text.embedding.empty());
      QVERIFY(!slot.image.embedding.empty());
      QCOMPARE(slot.multimodal.gateHeads, fx_->config().mmf.heads);
      const auto& a = slot.multimodal.attention;
      QCOMPARE(a.queries, int(slot.multimodal.traceTokens.size()) + 2);  // trace, </think>, <emb>
      QCOMPARE(a.gridSide, fx_->config().mergedGridSize());
      QCOMPARE(int(a.queryLabels.size()), a.queries);
      QVERIFY(slot.text.attention.empty());  // only the shown view keeps attention
    }
    const auto& s = r->similarity;
    QCOMPARE(s.size, 9);
    QCOMPARE(int(s.labels.size()), 9);
    for (int i = 0; i < 9; ++i) {
      QCOMPARE(s.at(i, i), 1.0f);
      for (int j = 0; j < 9; ++j) {
        QVERIFY(std::isfinite(s.at(i, j)));
        QCOMPARE(s.at(i, j), s.at(j, i));
        QVERIFY(s.at(i, j) <= 1.0f + 1e-5f && s.at(i, j) >= -1.0f - 1e-5f);
      }
    }
    // Embeddings of different products differ.
    QVERIFY(s.at(SimilarityMatrix::index(1, Modality::Multimodal), SimilarityMatrix::index(2, Modality::Multimodal)) <
            0.99999f);
    const CompareMargin* mm = r->margin(Modality::Multimodal);
    QVERIFY(mm && mm->valid());
    const int q = SimilarityMatrix::index(0, Modality::Multimodal);
    QCOMPARE(mm->positive, s.at(q, SimilarityMatrix::index(1, Modality::Multimodal)));
    QCOMPARE(mm->negative, s.at(q, SimilarityMatrix::index(2, Modality::Multimodal)));
    QVERIFY(std::abs(mm->margin - (mm->positive - mm->negative)) < 1e-6f);
    QCOMPARE(int(r->margins.size()), 3);
    // <disc_emb> on both sides (the fixture's model has it): its own cosines, not <emb>'s.
    QVERIFY(mm->discValid());
    const auto cosine = [](const std::vector<float>& a, const std::vector<float>& b) {
      double dot = 0, na = 0, nb = 0;
      for (size_t i = 0; i < a.size(); ++i) dot += a[i] * b[i], na += a[i] * a[i], nb += b[i] * b[i];
      return float(dot / std::sqrt(na * nb));
    };
    const auto& dq = r->slots[0].multimodal.discEmbedding;
    QCOMPARE(dq.size(), r->slots[0].multimodal.embedding.size());
    QVERIFY(std::abs(mm->discPositive - cosine(dq, r->slots[1].multimodal.discEmbedding)) < 1e-5f);
    QVERIFY(std::abs(mm->discNegative - cosine(dq, r->slots[2].multimodal.discEmbedding)) < 1e-5f);
    QVERIFY(std::abs(mm->discMargin - (mm->discPositive - mm->discNegative)) < 1e-6f);
    QVERIFY(std::abs(mm->discPositive - mm->positive) > 1e-6f);

    // Attribute rows: a candidate "differs" exactly when both predict the key with other values.
    for (const auto& row : attributeRows(*r)) {
      QVERIFY(!row.differs[0]);
      for (size_t c = 1; c < 3; ++c)
        QCOMPARE(row.differs[c], row.predicted[0] && row.predicted[c] && *row.predicted[0] != *row.predicted[c]);
      // Known attributes come from the inputs.
      for (size_t c = 0; c < 3; ++c)
        if (row.truth[c]) QCOMPARE(*row.truth[c], in[c].truth->at(row.key));
    }
  }

  void samplingIsSeededAndGreedyIsDeterministic() {
    const auto in = tripletInputs();
    CompareOptions o;
    o.maxTokens = 4;
    const auto g1 = runComparison(*ckpt_.context, in, o), g2 = runComparison(*ckpt_.context, in, o);
    QCOMPARE(g1->slots[0].multimodal.traceTokens, g2->slots[0].multimodal.traceTokens);
    o.greedy = false;
    o.temperature = 1.5;
    o.seed = 7;
    const auto s1 = runComparison(*ckpt_.context, in, o), s2 = runComparison(*ckpt_.context, in, o);
    QCOMPARE(s1->slots[0].multimodal.traceTokens, s2->slots[0].multimodal.traceTokens);
    o.seed = 8;
    const auto s3 = runComparison(*ckpt_.context, in, o);
    bool anyDiffers = false;
    for (size_t k = 0; k < 3; ++k)
      anyDiffers |= s3->slots[k].multimodal.traceTokens != s1->slots[k].multimodal.traceTokens;
    QVERIFY(anyDiffers);
  }

  void emptySlotsAndCancel() {
    auto in = tripletInputs();
    in[2] = {};
    CompareOptions shortTraces;
    shortTraces.maxTokens = 4;
    const auto r = runComparison(*ckpt_.context, in, shortTraces);
    QVERIFY(r);
    QVERIFY(r->slots[2].multimodal.embedding.empty());
    QVERIFY(std::isnan(r->similarity.at(0, SimilarityMatrix::index(2, Modality::Multimodal))));
    QVERIFY(!r->margin(Modality::Multimodal)->valid());
    QCOMPARE(r->similarity.at(2, 2), 1.0f);

    int calls = 0;
    const auto canceled = runComparison(*ckpt_.context, tripletInputs(), {}, [&](double) { return ++calls < 2; });
    QVERIFY(!canceled.has_value());
    QCOMPARE(calls, 2);
    QVERIFY_THROWS_EXCEPTION(Error, runComparison(*ckpt_.context, {}, {}));
  }

  void heatmapIsTheImageSizeAndFollowsTheGrid() {
    std::vector<float> grid(16, 0.01f);
    grid[1 * 4 + 3] = 0.5f;  // row 1, column 3
    const cv::Mat heat = attentionHeatmap(grid, 4, cv::Size(80, 60), {true, false});
    QCOMPARE(heat.cols, 80);
    QCOMPARE(heat.rows, 60);
    QCOMPARE(heat.type(), CV_32F);
    double lo = 0, hi = 0;
    cv::Point at;
    cv::minMaxLoc(heat, &lo, &hi, nullptr, &at);
    QCOMPARE(hi, 1.0);
    QCOMPARE(lo, 0.0);  // min..max stretched to 0..1
    const cv::Mat flat = attentionHeatmap(std::vector<float>(16, 0.25f), 4, cv::Size(8, 8));
    QCOMPARE(cv::countNonZero(flat), 0);
    QVERIFY(at.x >= 60 && at.y >= 15 && at.y < 30);  // inside the hot patch's block
    QVERIFY_THROWS_EXCEPTION(FormatError, attentionHeatmap(grid, 5, cv::Size(8, 8)));
    QVERIFY_THROWS_EXCEPTION(FormatError, attentionHeatmap(grid, 4, cv::Size(0, 8)));

    cv::Mat image(60, 80, CV_8UC3, cv::Scalar(40, 80, 120));
    QVERIFY(cv::norm(overlayHeatmap(image, heat, 0.0, cv::COLORMAP_JET), image, cv::NORM_INF) == 0);
    const cv::Mat half = overlayHeatmap(image, heat, 0.5, cv::COLORMAP_JET);
    QCOMPARE(half.size(), image.size());
    QCOMPARE(half.type(), CV_8UC3);
    QVERIFY(cv::norm(half, image, cv::NORM_INF) > 20);
    QVERIFY(cv::norm(half, overlayHeatmap(image, heat, 0.5, cv::COLORMAP_VIRIDIS), cv::NORM_INF) > 0);
  }

  void attentionOverlayDependsOnTheToken() {
    const auto& slot = result_->slots[1];
    const cv::Size size(96, 96);
    const cv::Mat a = attentionOverlay(slot, {0, 0, 0}, size, 0.6, cv::COLORMAP_JET);
    const cv::Mat b = attentionOverlay(slot, {0, 0, 1}, size, 0.6, cv::COLORMAP_JET);
    QCOMPARE(a.size(), size);
    QVERIFY(cv::norm(a, b, cv::NORM_L1) > 0);
    // Mean over heads/layers is the mean of the grids.
    const auto& maps = slot.multimodal.attention;
    const auto mean = attentionGrid(maps, {-1, -1, 2});
    std::vector<float> expect(mean.size(), 0.0f);
    for (int l = 0; l < maps.layers; ++l)
      for (int h = 0; h < maps.heads; ++h) {
        const auto m = maps.imageMap(l, h, 2);
        for (size_t i = 0; i < m.size(); ++i) expect[i] += m[i] / float(maps.layers * maps.heads);
      }
    for (size_t i = 0; i < mean.size(); ++i) QVERIFY(std::abs(mean[i] - expect[i]) < 1e-6f);
    // -1 token is <emb>, the last row.
    QCOMPARE(attentionGrid(maps, {0, 0, -1}), attentionGrid(maps, {0, 0, maps.queries - 1}));
  }

  void badCheckpointsAreClearErrors() {
    // Truncated weights.
    const fs::path bad = fx_->path("truncated");
    fs::copy(fx_->modelCheckpoint(), bad, fs::copy_options::recursive);
    const fs::path weights = bad / "model.safetensors";
    fs::resize_file(weights, fs::file_size(weights) / 2);
    try {
      loadCheckpoint(bad.string());
      QFAIL("a truncated checkpoint loaded");
    } catch (const Error& e) {
      QVERIFY2(std::string(e.what()).find("model.safetensors") != std::string::npos, e.what());
    }
    QVERIFY_THROWS_EXCEPTION(IoError, loadCheckpoint(fx_->path("nowhere")));
    QVERIFY_THROWS_EXCEPTION(IoError, loadCheckpoint(fx_->dataset()));  // a folder, not a checkpoint
    // Corrupt image bytes.
    const std::string junk = fx_->path("junk.jpg");
    std::ofstream(junk) << "\xff\xd8\xff\xe0 not really a jpeg";
    QVERIFY_THROWS_EXCEPTION(FormatError, readImageChecked(junk));
  }

  void jsonHasTheNumbers() {
    const auto& r = result_;
    const auto j = nlohmann::json::parse(comparisonJsonText(*r));
    for (const char* key : {"checkpoint", "options", "slots", "attributes", "similarity", "margins"})
      QVERIFY2(j.contains(key), key);
    for (const char* slot : {"query", "ground_truth", "near_duplicate"}) {
      QVERIFY(j["slots"].contains(slot));
      QVERIFY(j["slots"][slot]["trace"].is_string());
      QVERIFY(j["slots"][slot]["gates"].contains("reasoning"));
    }
    // Traces survive the export (bytes that are not UTF-8 become U+FFFD).
    QCOMPARE(nlohmann::json(j["slots"]["query"]["trace"].get<std::string>()).dump(),
             nlohmann::json(r->slots[0].multimodal.traceText)
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    QCOMPARE(j["similarity"]["matrix"].size(), size_t(9));
    QCOMPARE(j["similarity"]["matrix"][3][3].get<float>(), 1.0f);
    QCOMPARE(j["margins"]["mm->mm"]["margin"].get<float>(), r->margin(Modality::Multimodal)->margin);
    QCOMPARE(j["margins"]["mm->mm"]["disc_margin"].get<float>(), r->margin(Modality::Multimodal)->discMargin);
  }
};

QTEST_GUILESS_MAIN(TestCompareCore)
#include "test_compare_core.moc"
