// The batched embedding path (GalleryEmbedder) and the Evaluator on a random
// micro model: batching does not change the rows, progress and cancellation
// work, and an evaluation fills every section it should.

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>

#include "EvalFixture.h"
#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "training/eval/Evaluator.h"
#include "training/eval/GalleryEmbedder.h"

using namespace moon;
using eval_fixture::loaderWithBatch;

namespace {

// Largest |a-b| / max(|b|) over two matrices of the same shape.
double relativeDifference(const EmbeddingMatrix& a, const EmbeddingMatrix& b) {
  double worst = 0, scale = 1e-12;
  for (std::size_t i = 0; i < b.data.size(); ++i) {
    worst = std::max(worst, double(std::abs(a.data[i] - b.data[i])));
    scale = std::max(scale, double(std::abs(b.data[i])));
  }
  return worst / scale;
}

}  // namespace

class TestEvalEmbedder : public QObject {
  Q_OBJECT
  std::unique_ptr<EvalFixture> fx;
  TrainConfig cfg;
  MoonModel model{nullptr};

 private Q_SLOTS:
  void initTestCase() {
    setStderrLogLevel(spdlog::level::warn);
    torch::set_num_threads(1);
    fx = std::make_unique<EvalFixture>(24);
    cfg = fx->microConfig();
    model = fx->makeModel(cfg);
  }

  void batchingGivesTheSameRows_data() {
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("modality");
    QTest::newRow("none mm") << int(TraceMode::None) << int(Modality::Multimodal);
    QTest::newRow("target text") << int(TraceMode::Target) << int(Modality::Text);
    QTest::newRow("greedy image") << int(TraceMode::Greedy) << int(Modality::Image);
    QTest::newRow("greedy mm") << int(TraceMode::Greedy) << int(Modality::Multimodal);
  }

  void batchingGivesTheSameRows() {
    QFETCH(int, mode);
    QFETCH(int, modality);
    const auto& products = fx->dataset.products();
    EmbedOptions o;
    o.traces = TraceMode(mode);
    o.modality = Modality(modality);
    GalleryEmbedder small(loaderWithBatch(cfg, 3), fx->dataDir, fx->tokenizer);
    GalleryEmbedder big(loaderWithBatch(cfg, 1000), fx->dataDir, fx->tokenizer);
    const EmbeddedItems a = small.embed(*model, products, o);
    const EmbeddedItems b = big.embed(*model, products, o);
    QCOMPARE(a.embeddings.rows, products.size());
    QCOMPARE(a.embeddings.dim, std::size_t(cfg.model.embed_dim));
    QCOMPARE(a.ids, b.ids);
    QCOMPARE(a.ids.front(), products.front().id);
    QCOMPARE(a.traceMode, TraceMode(mode));
    QVERIFY2(relativeDifference(a.embeddings, b.embeddings) < 1e-4,
             qPrintable(QString::number(relativeDifference(a.embeddings, b.embeddings))));
    QCOMPARE(a.discEmbeddings.rows, products.size());
    QVERIFY(relativeDifference(a.discEmbeddings, b.discEmbeddings) < 1e-4);
    if (TraceMode(mode) == TraceMode::Greedy) {
      QCOMPARE(a.traces.size(), products.size());
      QCOMPARE(a.traces, b.traces);
    } else {
      QVERIFY(a.traces.empty());
    }
    // Rows are L2-normalised.
    for (std::size_t r = 0; r < a.embeddings.rows; ++r)
      QVERIFY(std::abs(l2Norm(a.embeddings.row(r), a.embeddings.dim) - 1.0) < 1e-4);
  }

  void tracesChangeTheEmbedding() {
    // Different trace modes give different embeddings (the path really uses them).
    GalleryEmbedder e(loaderWithBatch(cfg, 8), fx->dataDir, fx->tokenizer);
    EmbedOptions none, target;
    target.traces = TraceMode::Target;
    const auto a = e.embed(*model, fx->dataset.products(), none);
    const auto b = e.embed(*model, fx->dataset.products(), target);
    QVERIFY(relativeDifference(a.embeddings, b.embeddings) > 1e-3);
  }

  void progressIsReportedAndModeRestored() {
    GalleryEmbedder e(loaderWithBatch(cfg, 5), fx->dataDir, fx->tokenizer);
    std::vector<std::pair<std::size_t, std::size_t>> calls;
    EmbedOptions o;
    o.progress = [&](std::size_t done, std::size_t total) { calls.emplace_back(done, total); };
    model->train();
    const auto out = e.embed(*model, fx->dataset.products(), o);
    QVERIFY(model->is_training());
    model->eval();
    const std::size_t n = fx->dataset.products().size();
    QCOMPARE(calls.size(), 1 + (n + 4) / 5);
    QCOMPARE(calls.front(), std::make_pair(std::size_t(0), n));
    QCOMPARE(calls.back(), std::make_pair(n, n));
    for (std::size_t i = 1; i < calls.size(); ++i) QVERIFY(calls[i].first > calls[i - 1].first);
    QCOMPARE(out.embeddings.rows, n);
  }

  void cancellationStopsEarly() {
    GalleryEmbedder e(loaderWithBatch(cfg, 4), fx->dataDir, fx->tokenizer);
    std::atomic<bool> cancel{false};
    std::size_t batches = 0;
    EmbedOptions o;
    o.traces = TraceMode::Greedy;
    o.cancel = &cancel;
    o.progress = [&](std::size_t done, std::size_t) {
      if (done > 0 && ++batches == 2) cancel = true;
    };
    QVERIFY_EXCEPTION_THROWN(e.embed(*model, fx->dataset.products(), o), Cancelled);
    QCOMPARE(batches, std::size_t(2));
    // Raised before the start: nothing is embedded.
    batches = 0;
    QVERIFY_EXCEPTION_THROWN(e.embed(*model, fx->dataset.products(), o), Cancelled);
    QCOMPARE(batches, std::size_t(0));
  }

  void itemsWithoutTheViewAreSkipped() {
    std::vector<Product> items(fx->dataset.products().begin(), fx->dataset.products().begin() + 4);
    items[1].title.clear();
    items[2].imagePath = "images/does-not-exist.jpg";
    GalleryEmbedder e(loaderWithBatch(cfg, 3), fx->dataDir, fx->tokenizer);
    EmbedOptions text;
    text.modality = Modality::Text;
    const auto t = e.embed(*model, items, text);
    QCOMPARE(t.skipped, std::size_t(1));
    QCOMPARE(t.ids, (std::vector<std::string>{items[0].id, items[2].id, items[3].id}));
    QCOMPARE(t.itemIndex, (std::vector<std::size_t>{0, 2, 3}));
    QCOMPARE(t.rowOf(items[1].id), std::int64_t(-1));
    EmbedOptions image;
    image.modality = Modality::Image;
    const auto i = e.embed(*model, items, image);
    QCOMPARE(i.ids, (std::vector<std::string>{items[0].id, items[1].id, items[3].id}));
  }

  void reasoningOffNeverGenerates() {
    const TrainConfig off = fx->microConfig({"model.reasoning=false"});
    MoonModel m = fx->makeModel(off);
    GalleryEmbedder e(loaderWithBatch(off, 8), fx->dataDir, fx->tokenizer);
    EmbedOptions o;
    o.traces = TraceMode::Greedy;
    const auto out = e.embed(*m, fx->dataset.products(), o);
    QCOMPARE(out.traceMode, TraceMode::None);
    QVERIFY(out.traces.empty());
    QCOMPARE(out.embeddings.rows, fx->dataset.products().size());
  }

  void queryItemsCarryTheQuery() {
    const auto& test = fx->dataset.split("test");
    QVERIFY(!test.empty());
    const auto items = queryItems(test, "q");
    QCOMPARE(items.size(), test.size());
    QCOMPARE(items[0].id, std::string("q0"));
    QCOMPARE(items[0].title, test[0].query.title.value_or(""));
    QCOMPARE(items[0].allAttributes(), test[0].query.attributes);
    const auto gallery = productsOf(test, fx->dataset.products());
    QVERIFY(!gallery.empty());
    for (const auto& t : test) {
      QVERIFY(std::any_of(gallery.begin(), gallery.end(), [&](const Product& p) { return p.id == t.positiveId; }));
      QVERIFY(std::any_of(gallery.begin(), gallery.end(), [&](const Product& p) { return p.id == t.negativeId; }));
    }
  }

  void evaluatorFillsEverySection() {
    Evaluator evaluator(fx->dataset, fx->tokenizer, loaderWithBatch(cfg, 8));
    EvaluatorOptions o;
    std::vector<std::string> stages;
    o.progress = [&](const std::string& stage, std::size_t done, std::size_t) {
      if (done == 0) stages.push_back(stage);
    };
    const EvaluationOutcome out = evaluator.evaluate(*model, o);
    const auto& r = out.result;
    QCOMPARE(r.retrieval.size(), kRetrievalDirections.size());
    for (std::size_t i = 0; i < r.retrieval.size(); ++i) {
      QCOMPARE(r.retrieval[i].name, std::string(kRetrievalDirections[i]));
      QVERIFY(r.retrieval[i].queries > 0);
      QVERIFY(r.retrieval[i].recallAt1 <= r.retrieval[i].recallAt5);
      QVERIFY(r.retrieval[i].recallAt5 <= r.retrieval[i].recallAt10);
    }
    const auto gallery = productsOf(fx->dataset.split("test"), fx->dataset.products());
    QCOMPARE(out.galleryItems, gallery.size());
    QCOMPARE(out.queries, fx->dataset.split("test").size());
    QCOMPARE(r.findRetrieval("t->i")->queries, gallery.size());
    QVERIFY(r.nearDuplicate && r.nearDuplicate->triplets == fx->dataset.split("test").size());
    QVERIFY(r.coarseCategory && r.coarseCategory->items == gallery.size());
    QVERIFY(r.fineCategory && r.fineCategory->classes > 0);
    QVERIFY(r.attributes && r.attributes->items == out.queries);
    QCOMPARE(out.queryTraces, TraceMode::Greedy);
    QVERIFY(out.timing.totalSeconds > 0);
    QVERIFY(std::find(stages.begin(), stages.end(), "gallery mm") != stages.end());
    // What the run store keeps reads back.
    const auto back = EvaluationResult::fromJson(out.toJson());
    QCOMPARE(back.retrieval.size(), r.retrieval.size());
    QCOMPARE(back.retrieval[0].mrr, r.retrieval[0].mrr);
    QCOMPARE(out.toJson()["split"].get<std::string>(), std::string("test"));

    // Same model, max 2 queries per direction.
    o.maxQueries = 2;
    o.queryTraces = TraceMode::Target;
    const auto few = evaluator.evaluate(*model, o);
    for (const auto& d : few.result.retrieval) QVERIFY(d.queries <= 2);
    QVERIFY(!few.result.attributes);  // target traces are not predictions
  }

  void evaluatorRejectsUnknownSplitAndCancels() {
    Evaluator evaluator(fx->dataset, fx->tokenizer, loaderWithBatch(cfg, 8));
    EvaluatorOptions o;
    o.split = "nosuch";
    try {
      evaluator.evaluate(*model, o);
      QFAIL("no error for an unknown split");
    } catch (const ConfigError& e) {
      QVERIFY(std::string(e.what()).find("nosuch") != std::string::npos);
    }
    std::atomic<bool> cancel{true};
    EvaluatorOptions c;
    c.cancel = &cancel;
    QVERIFY_EXCEPTION_THROWN(evaluator.evaluate(*model, c), Cancelled);
  }

  void traceModeNames() {
    for (TraceMode m : {TraceMode::None, TraceMode::Target, TraceMode::Greedy})
      QCOMPARE(parseTraceMode(traceModeName(m), "x"), m);
    QVERIFY_EXCEPTION_THROWN(parseTraceMode("sampled", "--traces"), ConfigError);
  }
};

QTEST_GUILESS_MAIN(TestEvalEmbedder)
#include "test_eval_embedder.moc"
