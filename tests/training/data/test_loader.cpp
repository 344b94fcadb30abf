#include <QtTest>

#include <filesystem>
#include <fstream>

#include <spdlog/sinks/ringbuffer_sink.h>
#include <opencv2/imgcodecs.hpp>

#include "LoaderFixture.h"
#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/data/TraceFormat.h"
#include "model/input/ImageTensor.h"
#include "training/data/ProductBatchBuilder.h"
#include "training/data/TripletLoader.h"

using namespace moon;

namespace {

LoaderConfig smallConfig(int workers = 0) {
  LoaderConfig c;
  c.batch_size = 4;
  c.workers = workers;
  c.image_size = 32;
  c.max_title_tokens = 6;
  c.max_trace_tokens = 64;
  c.shuffle = false;
  c.augment = false;
  c.seed = 3;
  c.prefetch = 3;
  return c;
}

TripletLoader makeLoader(const TinyDataset& d, const LoaderConfig& c, DataPosition start = {}) {
  return TripletLoader(c, d.products, d.triplets, d.root, *d.tokenizer, start);
}

std::vector<TripletBatch> take(TripletLoader& loader, int n) {
  std::vector<TripletBatch> out;
  for (int i = 0; i < n; ++i) out.push_back(loader.next());
  return out;
}

std::vector<int32_t> row(const torch::Tensor& ids, const torch::Tensor& lengths, int64_t b) {
  std::vector<int32_t> out;
  for (int64_t i = 0; i < lengths[b].item<int64_t>(); ++i) out.push_back(int32_t(ids[b][i].item<int64_t>()));
  return out;
}

void writeBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

}  // namespace

class TestLoader : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void batchShapesTypesAndPadding() {
    TinyDataset d;
    const LoaderConfig c = smallConfig();
    TripletLoader loader = makeLoader(d, c);
    QCOMPARE(loader.batchesPerEpoch(), int64_t(6));  // 22 triplets in batches of 4, last one short
    const TripletBatch b = loader.next();
    const int64_t pad = d.tokenizer->tokenId("<pad>");
    for (const ProductBatch* pb : {&b.query, &b.positive, &b.negative}) {
      QCOMPARE(pb->size(), int64_t(4));
      QCOMPARE(pb->images.sizes().vec(), (std::vector<int64_t>{4, 3, 32, 32}));
      QCOMPARE(pb->images.scalar_type(), torch::kFloat32);
      QCOMPARE(pb->hasImage.scalar_type(), torch::kBool);
      QCOMPARE(pb->titleIds.scalar_type(), torch::kInt64);
      QCOMPARE(pb->titleLengths.scalar_type(), torch::kInt64);
      QCOMPARE(pb->traceIds.scalar_type(), torch::kInt64);
      QVERIFY(pb->titleIds.size(1) <= c.max_title_tokens);
      QCOMPARE(pb->titleIds.size(1), std::max<int64_t>(1, pb->titleLengths.max().item<int64_t>()));
      QVERIFY(pb->images.min().item<float>() >= -1.0f && pb->images.max().item<float>() <= 1.0f);
      for (int64_t r = 0; r < 4; ++r) {
        for (int64_t i = pb->titleLengths[r].item<int64_t>(); i < pb->titleIds.size(1); ++i)
          QCOMPARE(pb->titleIds[r][i].item<int64_t>(), pad);
        for (int64_t i = pb->traceLengths[r].item<int64_t>(); i < pb->traceIds.size(1); ++i)
          QCOMPARE(pb->traceIds[r][i].item<int64_t>(), pad);
      }
    }
    QCOMPARE(b.queryModality.scalar_type(), torch::kInt64);
    for (int64_t r = 0; r < 4; ++r) {
      const Triplet& t = d.triplets[size_t(r)];  // no shuffling: file order
      const Product& pos = d.products[size_t(r) % d.products.size()];
      QCOMPARE(b.queryModality[r].item<int64_t>(), int64_t(t.query.modality));
      QCOMPARE(b.positive.ids[size_t(r)], t.positiveId);
      QCOMPARE(b.negative.ids[size_t(r)], t.negativeId);
      QCOMPARE(b.query.ids[size_t(r)], t.positiveId);
      QVERIFY(b.positive.hasImage[r].item<bool>());
      // Queries in their own modality.
      const bool wantsImage = t.query.modality != Modality::Text;
      QCOMPARE(b.query.hasImage[r].item<bool>(), wantsImage);
      if (!wantsImage) QCOMPARE(b.query.images[r].abs().sum().item<float>(), 0.0f);
      QCOMPARE(b.query.titleLengths[r].item<int64_t>() > 0, t.query.modality != Modality::Image);
      // Text: truncated title tokens are a prefix of the title; traces are the formatted attributes.
      const std::string title = d.tokenizer->decode(row(b.positive.titleIds, b.positive.titleLengths, r));
      QVERIFY2(pos.title.rfind(title, 0) == 0, title.c_str());
      Attributes all = pos.imageAttributes;
      all.insert(pos.textAttributes.begin(), pos.textAttributes.end());
      QCOMPARE(d.tokenizer->decode(row(b.positive.traceIds, b.positive.traceLengths, r)), formatTrace(all));
      QCOMPARE(d.tokenizer->decode(row(b.query.traceIds, b.query.traceLengths, r)), formatTrace(t.query.attributes));
    }
    // Product 0's long title is cut to max_title_tokens.
    QCOMPARE(b.positive.titleLengths[0].item<int64_t>(), int64_t(c.max_title_tokens));
    // Without augmentation the positive image is exactly the resized file.
    const cv::Mat file = cv::imread(d.imagePath(d.products[1].imagePath));
    QVERIFY(torch::equal(b.positive.images[1], imageToTensor(file, 32)));

    // The last batch of the epoch holds the remaining 2 triplets, then epoch 1 begins.
    take(loader, 4);
    QCOMPARE(loader.next().query.size(), int64_t(2));
    QCOMPARE(loader.position(), (DataPosition{1, 0}));
  }

  void sameSeedSameBatchesForAnyWorkerCount() {
    TinyDataset d;
    LoaderConfig c = smallConfig();
    c.shuffle = true;
    c.augment = true;
    TripletLoader serial = makeLoader(d, c);
    c.workers = 1;
    TripletLoader one = makeLoader(d, c);
    c.workers = 2;
    TripletLoader two = makeLoader(d, c);
    const int n = 8;  // crosses into the second epoch
    const auto a = take(serial, n), b = take(one, n), e = take(two, n);
    for (int i = 0; i < n; ++i) {
      QVERIFY2(sameBatch(a[size_t(i)], b[size_t(i)]), qPrintable(QString("batch %1, 1 worker").arg(i)));
      QVERIFY2(sameBatch(a[size_t(i)], e[size_t(i)]), qPrintable(QString("batch %1, 2 workers").arg(i)));
    }
    // Epochs are shuffled differently.
    QVERIFY(a[0].positive.ids != a[6].positive.ids);

    c.seed = 4;
    TripletLoader other = makeLoader(d, c);
    const auto o = take(other, 2);
    QVERIFY(o[0].positive.ids != a[0].positive.ids || o[1].positive.ids != a[1].positive.ids);
  }

  void augmentationOnlyWhenEnabled() {
    TinyDataset d;
    LoaderConfig c = smallConfig();
    TripletLoader plain = makeLoader(d, c);
    c.augment = true;
    TripletLoader augmented = makeLoader(d, c);
    const TripletBatch p = plain.next(), a = augmented.next();
    QCOMPARE(a.positive.ids, p.positive.ids);
    QVERIFY(!torch::equal(a.positive.images, p.positive.images));
    QVERIFY(a.positive.images.min().item<float>() >= -1.0f && a.positive.images.max().item<float>() <= 1.0f);
    // Same sample in another epoch gets another augmentation.
    c.shuffle = false;
    TripletLoader later = makeLoader(d, c, {1, 0});
    QVERIFY(!torch::equal(later.next().positive.images, a.positive.images));
  }

  void unreadableImagesAreReplacedAndCounted() {
    TinyDataset d;
    auto messages = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(256);
    ScopedLogSink capture(messages);
    const std::string missing = d.imagePath(d.products[2].imagePath);
    const std::string corrupt = d.imagePath(d.products[5].imagePath);
    const std::string empty = d.imagePath(*d.triplets[4].query.imagePath);
    std::remove(missing.c_str());
    writeBytes(corrupt, "\x89PNG\r\n\x1a\n this is not really a png");
    writeBytes(empty, "");
    // A readable image, but outside the dataset folder: never read.
    QTemporaryDir outside;
    const std::string escaping = outside.filePath("elsewhere.png").toStdString();
    QVERIFY(std::filesystem::copy_file(d.imagePath(d.products[7].imagePath), escaping));
    d.products[7].imagePath = std::filesystem::relative(escaping, d.root).string();
    QVERIFY(d.products[7].imagePath.rfind("..", 0) == 0);

    LoaderConfig c = smallConfig(2);
    c.shuffle = true;
    TripletLoader loader = makeLoader(d, c);
    std::vector<TripletBatch> epochs = take(loader, int(2 * loader.batchesPerEpoch()));
    int64_t rows = 0;
    for (const TripletBatch& b : epochs) {
      rows += b.query.size();
      for (const ProductBatch* pb : {&b.positive, &b.negative})
        for (const std::string& id : pb->ids) QVERIFY2(id != "p2" && id != "p5" && id != "p7", id.c_str());
      QVERIFY(b.positive.hasImage.all().item<bool>());
    }
    QCOMPARE(rows, int64_t(2 * d.triplets.size()));  // every slot filled
    const LoaderStats stats = loader.stats();
    QCOMPARE(stats.badImageFiles, int64_t(4));
    // p2, p5 and p7 each appear in 4 triplets, the empty query image in one of
    // those: 12 slots per epoch.
    QCOMPARE(stats.replacedSamples, int64_t(2 * 12));

    // One warning per file, naming it.
    for (const std::string& file : {missing, corrupt, empty, d.imagePath(d.products[7].imagePath)}) {
      int mentions = 0;
      for (const std::string& line : messages->last_formatted()) mentions += line.find(file) != std::string::npos;
      QVERIFY2(mentions == 1, qPrintable(QString::fromStdString(file) + ": " + QString::number(mentions)));
    }

    // Replacement is deterministic too.
    c.workers = 0;
    TripletLoader again = makeLoader(d, c);
    for (size_t i = 0; i < epochs.size(); ++i) QVERIFY(sameBatch(again.next(), epochs[i]));
    QCOMPARE(again.stats().replacedSamples, stats.replacedSamples);
  }

  void resumesAtADataPosition() {
    TinyDataset d;
    LoaderConfig c = smallConfig(2);
    c.shuffle = true;
    c.augment = true;
    TripletLoader full = makeLoader(d, c);
    const auto all = take(full, 14);  // two epochs of 6, and more
    QCOMPARE(full.position(), (DataPosition{2, 2}));

    TripletLoader resumed = makeLoader(d, c, {0, 5});
    QCOMPARE(resumed.position(), (DataPosition{0, 5}));
    for (size_t i = 5; i < all.size(); ++i)
      QVERIFY2(sameBatch(resumed.next(), all[i]), qPrintable(QString("batch %1").arg(i)));

    full.seek({1, 3});
    QCOMPARE(full.position(), (DataPosition{1, 3}));
    QVERIFY(sameBatch(full.next(), all[9]));
    QCOMPARE(full.position(), (DataPosition{1, 4}));
    QVERIFY_THROWS_EXCEPTION(ConfigError, full.seek({0, 6}));
  }

  void unusableTripletsAreSkipped() {
    TinyDataset d;
    std::vector<Triplet> triplets = d.triplets;
    triplets[0].negativeId = "no-such-product";
    triplets[1].query.imagePath.reset();  // an image query without image
    TripletLoader loader(smallConfig(), d.products, triplets, d.root, *d.tokenizer);
    QCOMPARE(loader.tripletCount(), int64_t(d.triplets.size() - 2));
    QCOMPARE(loader.stats().skippedTriplets, int64_t(2));
    QVERIFY_THROWS_EXCEPTION(ConfigError,
                             TripletLoader(smallConfig(), d.products, {triplets[0]}, d.root, *d.tokenizer));
    LoaderConfig dropAll = smallConfig();
    dropAll.batch_size = 64;
    dropAll.drop_last = true;
    QVERIFY_THROWS_EXCEPTION(ConfigError, makeLoader(d, dropAll));
  }

  void productBatchesKeepOrderAndViews() {
    TinyDataset d;
    std::remove(d.imagePath(d.products[3].imagePath).c_str());
    LoaderConfig c = smallConfig(2);
    c.batch_size = 5;
    ProductBatchBuilder builder(c, d.root, *d.tokenizer);

    std::vector<std::string> ids;
    std::vector<size_t> firsts;
    int wrongImageFlags = 0;
    builder.forEachBatch(d.products, [&](ProductBatch&& b, size_t first) {
      firsts.push_back(first);
      ids.insert(ids.end(), b.ids.begin(), b.ids.end());
      for (int64_t r = 0; r < b.size(); ++r)
        wrongImageFlags += b.hasImage[r].item<bool>() != (b.ids[size_t(r)] != "p3");
      return true;
    });
    QCOMPARE(wrongImageFlags, 0);  // only the product whose file is gone lacks its image
    QCOMPARE(firsts, (std::vector<size_t>{0, 5, 10}));
    QCOMPARE(ids.size(), d.products.size());
    for (size_t i = 0; i < ids.size(); ++i) QCOMPARE(ids[i], d.products[i].id);
    QCOMPARE(builder.unreadableImages(), int64_t(1));

    int calls = 0;
    builder.forEachBatch(d.products, [&](ProductBatch&&, size_t) { return ++calls < 2; });
    QCOMPARE(calls, 2);  // stopped early

    const ProductBatch imageView = builder.build(d.products, 0, 4, Modality::Image);
    QCOMPARE(imageView.titleLengths.sum().item<int64_t>(), int64_t(0));
    QCOMPARE(d.tokenizer->decode(row(imageView.traceIds, imageView.traceLengths, 1)),
             formatTrace(d.products[1].imageAttributes));
    const ProductBatch textView = builder.build(d.products, 0, 4, Modality::Text);
    QVERIFY(!textView.hasImage.any().item<bool>());
    QCOMPARE(d.tokenizer->decode(row(textView.traceIds, textView.traceLengths, 1)),
             formatTrace(d.products[1].textAttributes));

    const ProductBatch inputs = builder.buildInputs(
        {{d.imagePath(d.products[0].imagePath), std::nullopt}, {std::nullopt, std::string("red t-shirt")}});
    QCOMPARE(inputs.hasImage[0].item<bool>(), true);
    QCOMPARE(inputs.hasImage[1].item<bool>(), false);
    QCOMPARE(inputs.titleLengths[0].item<int64_t>(), int64_t(0));
    QCOMPARE(d.tokenizer->decode(row(inputs.titleIds, inputs.titleLengths, 1)), std::string("red t-shirt"));
    QCOMPARE(inputs.traceLengths.sum().item<int64_t>(), int64_t(0));
    QCOMPARE(inputs.ids, (std::vector<std::string>{"", ""}));
    QVERIFY_THROWS_EXCEPTION(IoError, builder.buildInputs({{d.root + "/nope.png", std::nullopt}}));
    QVERIFY_THROWS_EXCEPTION(FormatError, builder.buildInputs({{std::nullopt, std::nullopt}}));
  }

  void configRoundTripsThroughJson() {
    LoaderConfig c = smallConfig(1);
    c.seed = 99;
    const LoaderConfig back = configFromJson<LoaderConfig>(configToJson(c));
    QCOMPARE(back.seed, int64_t(99));
    QCOMPARE(back.batch_size, 4);
    QVERIFY_THROWS_EXCEPTION(ConfigError, configFromJson<LoaderConfig>(nlohmann::json{{"batch_size", 0}}));
  }
};

QTEST_APPLESS_MAIN(TestLoader)
#include "test_loader.moc"
