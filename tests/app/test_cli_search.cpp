// `moon search` (issue #16): nearest gallery products of query embeddings,
// exact or through an approximate FAISS index that is saved next to the
// gallery and reused; bad files get errors naming them.

#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

#include "RunMoon.h"
#include "training/eval/EmbeddingExport.h"

using namespace moon;
using moon::test::runMoon;

namespace {

// `rows` unit vectors around 20 centres, ids "g0", "g1", ...
EmbeddingMatrix clustered(std::size_t rows, std::size_t dim, unsigned seed, std::vector<std::string>* ids) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<std::vector<float>> centres(20, std::vector<float>(dim));
  for (auto& c : centres)
    for (float& x : c) x = normal(rng);
  EmbeddingMatrix m(rows, dim);
  for (std::size_t r = 0; r < rows; ++r) {
    float norm = 0;
    for (std::size_t c = 0; c < dim; ++c) {
      m.at(r, c) = centres[r % 20][c] + 0.3f * normal(rng);
      norm += m.at(r, c) * m.at(r, c);
    }
    for (std::size_t c = 0; c < dim; ++c) m.at(r, c) /= std::sqrt(norm);
    if (ids) ids->push_back("g" + std::to_string(r));
  }
  return m;
}

// The first `n` gallery rows as queries "q0", "q1", ...: each one's nearest product is itself.
EmbeddingMatrix firstRows(const EmbeddingMatrix& g, std::size_t n, std::vector<std::string>* ids) {
  EmbeddingMatrix q(n, g.dim);
  for (std::size_t r = 0; r < n; ++r) {
    std::copy(g.row(r), g.row(r) + g.dim, q.row(r));
    ids->push_back("q" + std::to_string(r));
  }
  return q;
}

QStringList topProducts(const QString& csv) {
  QStringList out;
  for (const QString& line : csv.split('\n', Qt::SkipEmptyParts)) {
    const auto f = line.split(',');
    if (f.size() == 4 && f[1] == "1") out << f[0] + "=" + f[2];
  }
  return out;
}

}  // namespace

class TestCliSearch : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    std::vector<std::string> gids, qids;
    const auto gallery = clustered(2000, 16, 1, &gids);
    writeEmbeddingsSafetensors(path("gallery.safetensors").toStdString(), gallery, gids);
    writeEmbeddingsSafetensors(path("queries.safetensors").toStdString(), firstRows(gallery, 30, &qids), qids);
  }

  void exactSearchFindsEachQueryItself() {
    const auto r = runMoon(
        {"search", "--gallery", path("gallery.safetensors"), "--queries", path("queries.safetensors"), "--k", "5"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.first(), QString("query,rank,product,score"));
    QCOMPARE(lines.size(), 1 + 30 * 5);
    const QStringList top = topProducts(r.out);
    QCOMPARE(top.size(), 30);
    for (int q = 0; q < 30; ++q) QCOMPARE(top[q], QString("q%1=g%1").arg(q));
  }

  void approximateIndexIsSavedThenReused() {
    const QString index = path("gallery.safetensors.ivf");
    QFile::remove(index);
    const QStringList args{"search",
                           "--gallery",
                           path("gallery.safetensors"),
                           "--queries",
                           path("queries.safetensors"),
                           "--approximate",
                           "--probes",
                           "4",
                           "--out",
                           path("approx.csv")};
    const auto first = runMoon(args);
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    QVERIFY2(first.err.contains("built"), qPrintable(first.err));
    QVERIFY(QFile::exists(index));
    QFile csv(path("approx.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QString built = QString::fromUtf8(csv.readAll());
    csv.close();
    const QStringList top = topProducts(built);
    QCOMPARE(top.size(), 30);
    for (int q = 0; q < 30; ++q) QCOMPARE(top[q], QString("q%1=g%1").arg(q));

    const auto second = runMoon(args);
    QVERIFY2(second.exitCode == 0, qPrintable(second.err));
    QVERIFY2(second.err.contains("reused"), qPrintable(second.err));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(csv.readAll()), built);
  }

  void anIndexOfAnotherGalleryIsRebuilt() {
    std::vector<std::string> ids;
    writeEmbeddingsSafetensors(path("small.safetensors").toStdString(), clustered(300, 16, 2, &ids), ids);
    // A newer index of the 2,000-row gallery under the small gallery's name.
    QFile::remove(path("small.safetensors.ivf"));
    QVERIFY(QFile::copy(path("gallery.safetensors.ivf"), path("small.safetensors.ivf")));
    QFile copy(path("small.safetensors.ivf"));
    QVERIFY(copy.open(QIODevice::ReadWrite));
    QVERIFY(copy.setFileTime(QDateTime::currentDateTime().addSecs(60), QFileDevice::FileModificationTime));
    const auto r = runMoon(
        {"search", "--gallery", path("small.safetensors"), "--queries", path("queries.safetensors"), "--approximate"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("another gallery"), qPrintable(r.err));
    QVERIFY2(r.err.contains("built"), qPrintable(r.err));
  }

  void badFilesAreNamed() {
    std::vector<std::string> ids;
    writeEmbeddingsSafetensors(path("wide.safetensors").toStdString(), clustered(10, 32, 3, &ids), ids);
    auto r = runMoon({"search", "--gallery", path("gallery.safetensors"), "--queries", path("wide.safetensors")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("wide.safetensors") && r.err.contains("32-dimensional"), qPrintable(r.err));

    QFile truncated(path("truncated.safetensors"));
    QVERIFY(truncated.open(QIODevice::WriteOnly));
    truncated.write("\x10\x00\x00", 3);
    truncated.close();
    r = runMoon({"search", "--gallery", path("truncated.safetensors"), "--queries", path("queries.safetensors")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("truncated.safetensors"), qPrintable(r.err));
  }

 private:
  QString path(const QString& name) const { return dir_.filePath(name); }
  QTemporaryDir dir_;
};

QTEST_GUILESS_MAIN(TestCliSearch)
#include "test_cli_search.moc"
