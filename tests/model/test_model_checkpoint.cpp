// Model checkpoints: save -> load gives identical outputs; every kind of
// mismatch (shape, missing, unexpected, dtype) is reported, all at once; a
// truncated file is a clear error; a context loads with its tokenizer.

#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>

#include "ModelTestUtil.h"
#include "core/base/Error.h"
#include "core/tensorio/Safetensors.h"
#include "core/text/BpeTokenizer.h"
#include "core/text/Utf8.h"
#include "model/checkpoint/CheckpointLoader.h"
#include "model/checkpoint/ModelCheckpoint.h"
#include "model/checkpoint/TensorRecords.h"
#include "model/inference/InferenceContext.h"
#include "model/inference/ProductInput.h"

using namespace moon;
using namespace moon::test;
namespace fs = std::filesystem;

namespace {

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

class TestModelCheckpoint : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  std::string dir(const char* name) { return (fs::path(tmp_.path().toStdString()) / name).string(); }

 private Q_SLOTS:
  void initTestCase() {
    torch::manual_seed(5);
    QVERIFY(tmp_.isValid());
  }

  void saveLoadGivesIdenticalEmbeddings() {
    auto cfg = microConfig();
    cfg.fire.every = 2;
    MoonModel model(cfg);
    {
      torch::NoGradGuard g;
      for (auto& a : model->fire()->alphas()) a.fill_(0.25);  // non-default values must survive too
    }
    model->eval();
    const auto path = dir("ckpt");
    saveModelCheckpoint(path, *model, "../tok/tokenizer.json");
    QVERIFY(fs::exists(fs::path(path) / kModelWeightsFile));
    QVERIFY(fs::exists(fs::path(path) / kModelInfoFile));
    CheckpointInfo info;
    auto loaded = loadModelCheckpoint(path + "/model.json", torch::kCPU, &info);
    loaded->eval();
    QCOMPARE(configToJson(info.config), configToJson(cfg));
    QVERIFY(info.special == SpecialTokenIds{});
    QCOMPARE(info.tokenizer, std::string("../tok/tokenizer.json"));
    QCOMPARE(resolveTokenizerPath(path, info), (fs::path(tmp_.path().toStdString()) / "tok/tokenizer.json").string());
    const auto batch = makeBatch(cfg, mixedRows(), 51);
    torch::NoGradGuard g;
    const auto a = model->forward(batch), b = loaded->forward(batch);
    QVERIFY(relErr(b.embedding, a.embedding) == 0.0);
    QVERIFY(relErr(b.discEmbedding, a.discEmbedding) == 0.0);
    QVERIFY(relErr(b.traceLogits, a.traceLogits) == 0.0);
  }

  void everyMismatchIsListed() {
    const auto cfg = microConfig();
    MoonModel model(cfg);
    const auto path = dir("mismatch");
    saveModelCheckpoint(path, *model);
    // A config whose heads are narrower: four tensors change shape.
    auto json = readJsonFile(path + "/model.json");
    json["config"]["embed_dim"] = 128;
    std::ofstream(path + "/model.json") << json.dump();
    const auto message = errorOf([&] { loadModelCheckpoint(path); });
    QVERIFY2(contains(message, "4 problems"), message.c_str());
    for (const char* name : {"emb_head.weight", "emb_head.bias", "disc_head.weight", "disc_head.bias"})
      QVERIFY2(contains(message, std::string("'") + name + "' has shape"), message.c_str());
    QVERIFY(contains(message, "[256,64]"));
    QVERIFY(contains(message, "[128,64]"));
    QVERIFY(contains(message, "model.safetensors"));
  }

  void missingUnexpectedAndWrongDtypeTensors() {
    const auto cfg = microConfig();
    MoonModel model(cfg);
    auto records = moduleRecords(*model);
    std::vector<TensorRecord> edited;
    for (auto& r : records) {
      if (r.name == "mmf.gate.weight") continue;  // missing
      if (r.name == "merger.fc1.bias") r = tensorToRecord(r.name, recordToTensor(r).to(torch::kDouble));
      edited.push_back(r);
    }
    edited.push_back(tensorToRecord("extra.weight", torch::zeros({2, 2})));
    const auto path = dir("edited");
    saveModelCheckpoint(path, *model);
    writeSafetensors(path + "/model.safetensors", edited);
    MoonModel target(cfg);
    const auto before = target->named_parameters()["merger.fc2.weight"].clone();
    const auto message = errorOf([&] { loadModelWeights(path, *target); });
    QVERIFY2(contains(message, "3 problems"), message.c_str());
    QVERIFY(contains(message, "missing tensor 'mmf.gate.weight'"));
    QVERIFY(contains(message, "unexpected tensor 'extra.weight'"));
    QVERIFY(contains(message, "'merger.fc1.bias' has dtype F64, the model expects F32"));
    // Nothing was half-loaded.
    QVERIFY(target->named_parameters()["merger.fc2.weight"].equal(before));
  }

  void truncatedAndMissingFilesAreClearErrors() {
    MoonModel model(microConfig());
    const auto path = dir("truncated");
    saveModelCheckpoint(path, *model);
    const auto weights = fs::path(path) / kModelWeightsFile;
    fs::resize_file(weights, fs::file_size(weights) / 2);
    try {
      loadModelCheckpoint(path);
      QFAIL("a truncated checkpoint loaded");
    } catch (const FormatError& e) {
      QVERIFY2(contains(e.what(), weights.string()), e.what());
    }
    QVERIFY_THROWS_EXCEPTION(IoError, loadModelCheckpoint(dir("does-not-exist")));
    fs::create_directories(dir("json-only"));
    fs::copy_file(fs::path(path) / kModelInfoFile, fs::path(dir("json-only")) / kModelInfoFile);
    QVERIFY_THROWS_EXCEPTION(IoError, loadModelCheckpoint(dir("json-only")));
    std::ofstream(dir("json-only") + "/model.json") << "{\"format\": \"something-else\"}";
    QVERIFY_THROWS_EXCEPTION(FormatError, loadModelCheckpoint(dir("json-only")));
  }

  void contextLoadsWithItsTokenizer() {
    const auto cfg = microConfig();
    MoonModel model(cfg);
    const auto path = dir("with-tokenizer");
    const auto tokenizer = BpeTokenizer::train({"color: red; pattern: striped", "red striped cotton shirt acme",
                                                "color: blue; sleeve: short", "blue short sleeve tee"},
                                               300, 1);
    fs::create_directories(path);
    tokenizer.save(path + "/tokenizer.json");
    saveModelCheckpoint(path, *model, "tokenizer.json");
    const auto ctx = loadCheckpoint(path).context;
    QVERIFY(static_cast<bool>(ctx->codec().decode));
    ProductInput item;
    item.id = "mine";
    item.title = "red striped shirt";
    item.image = cv::Mat(40, 50, CV_8UC3, cv::Scalar(0, 0, 255));
    const auto batch = encodeProducts({item}, ctx->codec(), cfg, 0);
    QVERIFY(batch.hasImage[0].item<bool>());
    QCOMPARE(batch.titleLengths[0].item<int64_t>(),
             static_cast<int64_t>(tokenizer.encodePlain("red striped shirt").size()));
    InferenceOptions opts;
    opts.generation.maxTokens = 6;
    const auto r = ctx->run(batch, opts);
    const auto& v = r[0].views[0];
    std::vector<int32_t> ids(v.traceTokens.begin(), v.traceTokens.end());
    // The tokens decoded as text to show: bytes a cut left ill-formed read as U+FFFD.
    QCOMPARE(v.traceText, utf8::lossy(tokenizer.decode(ids, true)));
    QVERIFY(utf8::isValid(v.traceText));
    for (int t : v.traceTokens) QVERIFY(t >= 10 && t < tokenizer.vocabSize());
    // A tokenizer whose special ids differ from the checkpoint's is refused.
    MoonModel shifted(cfg, SpecialTokenIds{1, 0, 2, 3, 4, 5, 6, 7, 8, 9});
    saveModelCheckpoint(dir("shifted"), *shifted, path + "/tokenizer.json");
    QVERIFY_THROWS_EXCEPTION(FormatError, loadCheckpoint(dir("shifted")));
  }
};

QTEST_GUILESS_MAIN(TestModelCheckpoint)
#include "test_model_checkpoint.moc"
