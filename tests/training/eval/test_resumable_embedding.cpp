// training/eval/ResumableEmbedding: an embedding interrupted after some chunks
// resumes from the chunks on disk and gives the rows a single run gives;
// other inputs start over; a damaged chunk is named.

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "EvalFixture.h"
#include "core/base/Logging.h"
#include "training/eval/ResumableEmbedding.h"

using namespace moon;
using eval_fixture::loaderWithBatch;

class TestResumableEmbedding : public QObject {
  Q_OBJECT
  std::unique_ptr<EvalFixture> fx;
  TrainConfig cfg;
  MoonModel model{nullptr};

 private Q_SLOTS:
  void initTestCase() {
    setStderrLogLevel(spdlog::level::warn);
    torch::set_num_threads(1);
    fx = std::make_unique<EvalFixture>(40);
    cfg = fx->microConfig();
    model = fx->makeModel(cfg);
  }

  void anInterruptedEmbeddingResumesFromItsChunks() {
    const auto& products = fx->dataset.products();
    GalleryEmbedder embedder(loaderWithBatch(cfg, 4), fx->dataDir, fx->tokenizer);
    const EmbeddedItems whole = embedder.embed(*model, products, {});

    QTemporaryDir dir;
    ResumableEmbedOptions r;
    r.folder = dir.filePath("out.partial").toStdString();
    r.fingerprint = "checkpoint A";
    r.chunkItems = 6;  // rounded up to 8, two batches of 4

    // Interrupted once two chunks (16 products) are done.
    std::atomic<bool> cancel{false};
    EmbedOptions stopping;
    stopping.cancel = &cancel;
    stopping.progress = [&](std::size_t done, std::size_t) {
      if (done >= 16) cancel = true;
    };
    QVERIFY_THROWS_EXCEPTION(Cancelled, embedResumable(embedder, *model, products, stopping, r));
    QVERIFY(std::filesystem::exists(r.folder + "/chunk-000001.safetensors"));
    QVERIFY(!std::filesystem::exists(r.folder + "/chunk-000002.safetensors"));

    const ResumableEmbedResult resumed = embedResumable(embedder, *model, products, {}, r);
    QCOMPARE(resumed.chunks, (products.size() + 7) / 8);
    QCOMPARE(resumed.resumedChunks, std::size_t(2));
    QCOMPARE(resumed.items.ids, whole.ids);
    QCOMPARE(resumed.items.itemIndex, whole.itemIndex);
    QCOMPARE(resumed.items.skipped, whole.skipped);
    QCOMPARE(resumed.items.embeddings.rows, whole.embeddings.rows);
    QCOMPARE(resumed.items.embeddings.dim, whole.embeddings.dim);
    // The same batches as one run: the same numbers.
    QCOMPARE(resumed.items.embeddings.data, whole.embeddings.data);

    // Everything is on disk now: a third run computes nothing.
    QCOMPARE(embedResumable(embedder, *model, products, {}, r).resumedChunks, resumed.chunks);

    // Other inputs (another checkpoint) start over.
    r.fingerprint = "checkpoint B";
    QCOMPARE(embedResumable(embedder, *model, products, {}, r).resumedChunks, std::size_t(0));
  }

  void aDamagedChunkIsNamed() {
    const auto& products = fx->dataset.products();
    GalleryEmbedder embedder(loaderWithBatch(cfg, 4), fx->dataDir, fx->tokenizer);
    QTemporaryDir dir;
    ResumableEmbedOptions r;
    r.folder = dir.filePath("out.partial").toStdString();
    r.fingerprint = "checkpoint A";
    r.chunkItems = 8;
    (void)embedResumable(embedder, *model, products, {}, r);
    std::ofstream(r.folder + "/chunk-000001.safetensors", std::ios::trunc) << "not a chunk";
    try {
      (void)embedResumable(embedder, *model, products, {}, r);
      QFAIL("a damaged chunk was accepted");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("chunk-000001.safetensors"), e.what());
    }
  }
};

QTEST_GUILESS_MAIN(TestResumableEmbedding)
#include "test_resumable_embedding.moc"
