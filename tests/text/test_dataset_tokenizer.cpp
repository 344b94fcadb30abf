#include <QtTest>

#include <algorithm>

#include "core/data/Dataset.h"
#include "core/data/TraceFormat.h"
#include "core/synth/CatalogueGenerator.h"
#include "core/text/DatasetTokenizer.h"

using namespace moon;

class TestDatasetTokenizer : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void trainsOnTheCatalogueText() {
    QTemporaryDir dir;
    const std::string root = dir.filePath("catalogue").toStdString();
    SynthOptions synth;
    synth.products = 150;
    synth.imageSize = 32;
    synth.threads = 2;
    generateCatalogue(root, synth);
    DatasetOptions options;
    options.logReport = false;
    const Dataset dataset = Dataset::load(root, options);

    const std::vector<std::string> corpus = tokenizerCorpus(dataset);
    for (const Triplet& t : dataset.split("test"))
      if (t.query.title) {
        const bool alsoInTraining = std::any_of(dataset.split("train").begin(), dataset.split("train").end(),
                                                [&](const Triplet& u) { return u.query.title == t.query.title; });
        if (!alsoInTraining) QVERIFY(std::find(corpus.begin(), corpus.end(), *t.query.title) == corpus.end());
      }

    const BpeTokenizer tok = trainDatasetTokenizer(dataset, {1500, 2});
    QVERIFY(tok.vocabSize() > 266 && tok.vocabSize() <= 1500);
    size_t titleBytes = 0, titleTokens = 0, longestTrace = 0;
    for (const Product& p : dataset.products()) {
      const auto ids = tok.encode(p.title);
      QCOMPARE(tok.decode(ids), p.title);
      titleBytes += p.title.size();
      titleTokens += ids.size();
      longestTrace = std::max(longestTrace, tok.encodePlain(formatTrace(p.allAttributes())).size());
    }
    qInfo("titles: %.2f bytes per token; longest trace: %zu tokens", double(titleBytes) / double(titleTokens),
          longestTrace);
    // Every multimodal target trace fits the loader's default max_trace_tokens
    // (training/data/LoaderConfig.h), so no target is cut.
    QVERIFY2(longestTrace <= 48, qPrintable(QString::number(longestTrace)));
    // Catalogue words become whole tokens: far fewer tokens than bytes.
    QVERIFY(double(titleBytes) / double(titleTokens) > 3.0);

    const std::string path = datasetTokenizerPath(root);
    tok.save(path);
    QCOMPARE(BpeTokenizer::load(path).encode(dataset.products().front().title),
             tok.encode(dataset.products().front().title));
  }
};

QTEST_APPLESS_MAIN(TestDatasetTokenizer)
#include "test_dataset_tokenizer.moc"
