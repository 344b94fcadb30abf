#include <QtTest>

#include <algorithm>

#include "SyntheticCatalogue.h"
#include "core/base/Error.h"
#include "core/data/Dataset.h"
#include "core/data/TraceFormat.h"
#include "core/text/DatasetTokenizer.h"

using namespace moon;

class TestDatasetTokenizer : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void trainsOnTheCatalogueText() {
    const test::SyntheticCatalogue catalogue(test::smallCatalogue(150, 32, SynthOptions{}.seed));
    const std::string root = catalogue.dataDir();
    DatasetOptions options;
    options.logReport = false;
    const Dataset dataset = Dataset::load(root, options);

    const BpeTokenizer tok = trainDatasetTokenizer(dataset, 1500);
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
  }

  void writesAndLoadsBesideTheData() {
    QTemporaryDir empty;
    QVERIFY_THROWS_EXCEPTION(IoError, loadDatasetTokenizer(empty.path().toStdString()));
    const test::SyntheticCatalogue catalogue(test::smallCatalogue(40, 32, SynthOptions{}.seed));
    const std::string root = catalogue.dataDir();
    const BpeTokenizer written = writeDatasetTokenizer(root, 600);
    const BpeTokenizer loaded = loadDatasetTokenizer(root);
    QCOMPARE(loaded.vocabSize(), written.vocabSize());
    const std::string probe = "<think>color: red; brand: acme</think><emb> 红 \xff";
    QCOMPARE(loaded.encode(probe), written.encode(probe));
  }
};

QTEST_APPLESS_MAIN(TestDatasetTokenizer)
#include "test_dataset_tokenizer.moc"
