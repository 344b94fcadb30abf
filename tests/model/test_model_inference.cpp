// The inference API: views of a product, traces and their parsed attributes,
// embeddings consistent with the model, and attention maps over the image.
// Also the trace format/parser the API relies on.

#include <QtTest/QtTest>

#include "ModelTestUtil.h"
#include "core/data/TraceFormat.h"
#include "model/inference/BatchViews.h"
#include "model/inference/InferenceContext.h"

using namespace moon;
using namespace moon::test;

class TestModelInference : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::manual_seed(4); }

  void everyViewOfEveryProduct() {
    const auto cfg = microConfig();
    MoonModel model(cfg);
    // A fake codec: token id t reads as "w<t>"; 300 ids exist.
    TextCodec codec;
    codec.decode = [](const std::vector<int64_t>& ids) {
      std::string s;
      for (auto id : ids) s += (s.empty() ? "w" : " w") + std::to_string(id);
      return s;
    };
    codec.tokenText = [](int64_t id) { return "w" + std::to_string(id); };
    codec.vocabSize = 300;
    InferenceContext ctx(model, codec);
    const auto batch = makeBatch(cfg, {{true, 4, 0}, {false, 5, 0}, {true, 0, 0}}, 41);
    InferenceOptions opts;
    opts.views = {Modality::Text, Modality::Image, Modality::Multimodal};
    opts.generation.maxTokens = 5;
    const auto results = ctx.run(batch, opts);
    QCOMPARE(results.size(), size_t(3));
    QCOMPARE(results[0].views.size(), size_t(3));  // image + title: all views
    QCOMPARE(results[1].views.size(), size_t(2));  // title only: text, mm
    QCOMPARE(results[2].views.size(), size_t(2));  // image only: image, mm
    QVERIFY(!results[1].view(Modality::Image));
    QVERIFY(!results[2].view(Modality::Text));
    QCOMPARE(results[0].id, std::string("p0"));

    // Each view equals the model run on that view alone (generation + forward).
    for (int64_t b = 0; b < batch.size(); ++b) {
      for (const auto& v : results[static_cast<size_t>(b)].views) {
        const auto one = modalityView(sliceRow(batch, b), v.modality);
        GenerationOptions g;
        g.maxTokens = 5;
        g.vocabLimit = 300;
        const auto gen = generateTraces(*model, one, g);
        const auto out = model->forward(withTraces(one, gen));
        QCOMPARE(static_cast<int64_t>(v.traceTokens.size()), gen.lengths[0].item<int64_t>());
        for (size_t t = 0; t < v.traceTokens.size(); ++t)
          QCOMPARE(static_cast<int64_t>(v.traceTokens[t]), gen.tokens[0][static_cast<int64_t>(t)].item<int64_t>());
        const auto emb = torch::tensor(v.embedding);
        QVERIFY(relErr(emb, out.embedding[0].to(torch::kFloat)) < 1e-5);
        QVERIFY(std::abs(cosineSimilarity(v.embedding, v.embedding) - 1.0f) < 1e-5f);
        QCOMPARE(v.gates.size(), size_t(3 * cfg.mmf.heads));
        for (int t : v.traceTokens) QVERIFY(t >= 10 && t < 300);
        QVERIFY(v.traceCopyShare.empty());  // micro has no copy head
        QVERIFY(v.traceText.rfind("w", 0) == 0 || v.traceTokens.empty());
      }
    }
    // Different views of one product give different embeddings.
    QVERIFY(cosineSimilarity(results[0].view(Modality::Text)->embedding, results[0].view(Modality::Image)->embedding) <
            0.9999f);
  }

  // With a copy head each trace token carries the share the head copied from
  // the title, as generation reports it; into the JSON too.
  void copiedSharesFollowTheTraceTokens() {
    auto cfg = microConfig();
    cfg.language.copy_head = true;
    MoonModel model(cfg);
    InferenceContext ctx(model);
    const auto batch = makeBatch(cfg, {{true, 4, 0}, {false, 6, 0}}, 43);
    InferenceOptions opts;
    opts.views = {Modality::Multimodal};
    opts.generation.maxTokens = 6;
    const auto results = ctx.run(batch, opts);
    for (int64_t b = 0; b < batch.size(); ++b) {
      const ViewResult& v = results[static_cast<size_t>(b)].views.at(0);
      GenerationOptions g;
      g.maxTokens = 6;
      const auto gen = generateTraces(*model, modalityView(sliceRow(batch, b), Modality::Multimodal), g);
      QCOMPARE(v.traceCopyShare.size(), v.traceTokens.size());
      for (size_t t = 0; t < v.traceCopyShare.size(); ++t)
        QVERIFY(std::abs(v.traceCopyShare[t] - gen.copyShare[0][static_cast<int64_t>(t)].item<float>()) < 1e-5f);
      const auto json = viewResultToJson(v, false);
      QCOMPARE(json.value("trace_copy_share", nlohmann::json::array()).size(), v.traceTokens.size());
    }
  }

  void withoutReasoningTheThinkBlockIsEmpty() {
    const auto cfg = microConfig();
    MoonModel model(cfg);
    InferenceContext ctx(model);
    const auto batch = makeBatch(cfg, {{true, 4, 3}}, 42);
    InferenceOptions opts;
    opts.reasoning = false;
    const auto r = ctx.run(batch, opts);
    QVERIFY(r[0].views[0].traceTokens.empty());
    auto empty = batch;
    empty.traceLengths.zero_();
    torch::NoGradGuard g;
    QVERIFY(relErr(torch::tensor(r[0].views[0].embedding), model->forward(empty).embedding[0]) < 1e-5);
  }

  void attentionMapsSumToOneAndCoverThePatchGrid() {
    const auto cfg = microConfig();
    MoonModel model(cfg);
    InferenceContext ctx(model);
    const auto batch = makeBatch(cfg, {{true, 3, 0}, {false, 6, 0}}, 43);
    InferenceOptions opts;
    opts.attention = true;
    opts.generation.maxTokens = 4;
    opts.views = {Modality::Multimodal};
    const auto r = ctx.run(batch, opts);
    const auto& withImage = r[0].views[0].attention;
    QCOMPARE(withImage.layers, cfg.language.layers);
    QCOMPARE(withImage.heads, cfg.language.heads);
    QCOMPARE(withImage.queries, static_cast<int>(r[0].views[0].traceTokens.size()) + 2);
    QCOMPARE(withImage.queryLabels.back(), std::string("<emb>"));
    QCOMPARE(withImage.gridSide, cfg.mergedGridSize());
    QCOMPARE(static_cast<int>(withImage.imageKeys.size()), cfg.imageTokens());
    // The sequence of a row, without padding: <bos> <img> P patches </img> title <disc_emb> <think> trace </think>
    // <emb>.
    QCOMPARE(withImage.keys, 1 + 2 + cfg.imageTokens() + 3 + 2 + withImage.queries);
    QCOMPARE(withImage.keyLabels[2], std::string("patch 0,0"));
    for (int l = 0; l < withImage.layers; ++l)
      for (int h = 0; h < withImage.heads; ++h)
        for (int q = 0; q < withImage.queries; ++q) {
          const auto row = withImage.row(l, h, q);
          double sum = 0;
          for (float w : row) sum += w;
          QVERIFY2(std::abs(sum - 1.0) < 1e-5, qPrintable(QString("layer %1 head %2 query %3").arg(l).arg(h).arg(q)));
          const auto map = withImage.imageMap(l, h, q);
          QCOMPARE(static_cast<int>(map.size()), withImage.gridSide * withImage.gridSide);
          QVERIFY(withImage.imageShare(l, h, q) > 0.0f && withImage.imageShare(l, h, q) <= 1.0f + 1e-6f);
        }
    const auto& textOnly = r[1].views[0].attention;
    QCOMPARE(textOnly.gridSide, 0);
    QVERIFY(textOnly.imageMap(0, 0, 0).empty());
    QVERIFY(!textOnly.empty());
  }

  void traceFormatRoundTrips() {
    const Attributes attrs = {{"brand", "acme"}, {"color", "red"}, {"pattern", "striped"}, {"sleeve", "short"}};
    const auto text = formatTrace(attrs);
    QCOMPARE(text, std::string("brand: acme; color: red; pattern: striped; sleeve: short"));
    const auto parsed = parseTrace("<think>" + text + "</think>");
    QVERIFY(parsed.wellFormed());
    QVERIFY(parsed.closed);
    QCOMPARE(parsed.attributes, attrs);
  }

  void parserToleratesMalformedTraces() {
    const auto p = parseTrace("color: red;; junk ; : nokey; size:; color: blue; sleeve : long </think> after: end");
    QCOMPARE(p.attributes.size(), size_t(2));
    QCOMPARE(p.attributes.at("color"), std::string("red"));  // first value wins
    QCOMPARE(p.attributes.at("sleeve"), std::string("long"));
    QVERIFY(!p.attributes.count("after"));   // nothing after </think>
    QCOMPARE(p.problems.size(), size_t(4));  // "junk", ": nokey", "size:", repeated "color"
    QVERIFY(p.closed);
    QVERIFY(!p.wellFormed());
    const auto unclosed = parseTrace("color: red");
    QVERIFY(!unclosed.closed);
    QVERIFY(unclosed.wellFormed());
    QVERIFY(parseTrace("").attributes.empty());
    QVERIFY(!parseTrace("").wellFormed());
    // A value with another colon in it is not one (sampled traces earned the full format reward with "color::").
    const auto colons = parseTrace("color::; size: big: yes; logo: none</think>");
    QCOMPARE(colons.attributes, (Attributes{{"logo", "none"}}));
    QCOMPARE(colons.problems.size(), size_t(2));
    const auto bytes = parseTrace(std::string("\xff\xfe: \x01;;;"));  // arbitrary bytes are just text
    QCOMPARE(bytes.attributes.size(), size_t(1));
    QVERIFY(bytes.problems.empty());
  }
};

QTEST_GUILESS_MAIN(TestModelInference)
#include "test_model_inference.moc"
