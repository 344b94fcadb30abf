// Embedding exporters read back by an independent reader (python3's csv,
// json and struct modules; numpy for .npy when installed) and byte by byte:
// one row per item, columns intact, values exact.

#include <QtTest>

#include <charconv>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "RequireTool.h"
#include "core/base/Error.h"
#include "core/tensorio/Safetensors.h"
#include "training/eval/EmbeddingExport.h"

using namespace moon;

namespace {

std::string readFile(const QString& path) {
  std::ifstream in(path.toStdString(), std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out(1);
  for (char ch : s) {
    if (ch == sep)
      out.emplace_back();
    else
      out.back() += ch;
  }
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out = split(text, '\n');
  if (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

// A python3 that can run the check (with numpy when asked); empty if none.
QString findPython(bool needNumpy) {
  for (const QString& candidate : {QString("python3"), QString("/usr/bin/python3")}) {
    QProcess p;
    p.start(candidate, {"-c", needNumpy ? "import numpy" : "import csv"});
    if (p.waitForFinished(20000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0) return candidate;
  }
  return {};
}

QString runPython(const QString& python, const QString& script, const QString& arg) {
  QProcess p;
  p.start(python, {"-c", script, arg});
  if (!p.waitForFinished(30000)) return "timeout";
  const QString err = QString::fromUtf8(p.readAllStandardError());
  if (p.exitCode() != 0) return "error: " + err;
  return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

std::vector<ItemMetadata> sampleItems() {
  return {
      {"p1", "red striped tee", {"apparel", "t-shirt"}, {{"color", "red"}, {"pattern", "striped"}}},
      {"p2", "tab\tin title\nand a newline", {"apparel", "hoodie"}, {{"color", "blue"}, {"sleeve", "long"}}},
      {"p3", "no category", {}, {{"id", "clash"}, {"brand", "a\\b"}}},
      {"p4", "", {"bags"}, {}},
  };
}

EmbeddingMatrix sampleMatrix(std::size_t rows, std::size_t dim) {
  std::mt19937 rng(11);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  EmbeddingMatrix m(rows, dim);
  for (float& v : m.data) v = normal(rng);
  return m;
}

}  // namespace

class TestEvalExport : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void projectorTsvLayout() {
    const auto items = sampleItems();
    const auto rows = lines(formatProjectorMetadata(items));
    QCOMPARE(rows.size(), items.size() + 1);  // header + one row per product
    // Attribute keys: union, sorted; "id" clashes with a fixed column.
    QCOMPARE(rows[0], std::string("id\tcategory\tcoarse\tbrand\tcolor\tattribute:id\tpattern\tsleeve\ttitle"));
    for (const auto& row : rows) QCOMPARE(split(row, '\t').size(), std::size_t(9));
    QCOMPARE(rows[1], std::string("p1\tt-shirt\tapparel\t\tred\t\tstriped\t\tred striped tee"));
    QCOMPARE(split(rows[2], '\t')[8], std::string("tab\\tin title\\nand a newline"));
    QCOMPARE(split(rows[3], '\t')[3], std::string("a\\\\b"));
    QCOMPARE(split(rows[3], '\t')[5], std::string("clash"));
    QCOMPARE(rows[4], std::string("p4\tbags\tbags\t\t\t\t\t\t"));
    QCOMPARE(escapeTsvCell("a\tb\r\n\\"), std::string("a\\tb\\r\\n\\\\"));
  }

  void metadataFromProduct() {
    Product p;
    p.id = "sku-9";
    p.title = "blue tee";
    p.categoryPath = {"apparel", "t-shirt"};
    p.imageAttributes = {{"color", "blue"}};
    p.textAttributes = {{"brand", "acme"}};
    const ItemMetadata m = itemMetadata(p);
    QCOMPARE(m.id, std::string("sku-9"));
    QCOMPARE(m.title, std::string("blue tee"));
    QCOMPARE(m.categoryPath, p.categoryPath);
    QCOMPARE(m.attributes, (Attributes{{"brand", "acme"}, {"color", "blue"}}));
    const auto rows = lines(formatProjectorMetadata({m}));
    QCOMPARE(rows[1], std::string("sku-9\tt-shirt\tapparel\tacme\tblue\tblue tee"));
  }

  void projectorTsvReadByPython() {
    QTemporaryDir dir;
    const QString path = dir.filePath("meta.tsv");
    const auto items = sampleItems();
    writeProjectorMetadata(path.toStdString(), items);
    QCOMPARE(readFile(path), formatProjectorMetadata(items));
    const QString python = findPython(false);
    MOON_REQUIRE_TOOL(!python.isEmpty(), "python3");
    const QString script =
        "import csv,sys\n"
        "rows=list(csv.reader(open(sys.argv[1],newline='',encoding='utf-8'),delimiter='\\t',quoting=csv.QUOTE_NONE))\n"
        "print(len(rows)-1, sorted(set(len(r) for r in rows)), ','.join(r[0] for r in rows[1:]))";
    QCOMPARE(runPython(python, script, path), QString("4 [9] p1,p2,p3,p4"));
  }

  void csvRoundTripsExactly() {
    const EmbeddingMatrix m = sampleMatrix(5, 7);
    const std::vector<std::string> ids = {"p1", "p,2", "p\"3\"", "p4", "p5"};
    const auto rows = lines(formatEmbeddingsCsv(m, ids));
    QCOMPARE(rows.size(), std::size_t(6));
    QCOMPARE(rows[0], std::string("id,e0,e1,e2,e3,e4,e5,e6"));
    QVERIFY(rows[2].rfind("\"p,2\",", 0) == 0);
    QVERIFY(rows[3].rfind("\"p\"\"3\"\"\",", 0) == 0);
    // Every value reads back to the same float.
    for (std::size_t r = 0; r < m.rows; ++r) {
      const auto cells = split(rows[r + 1], ',');
      for (std::size_t c = 0; c < m.dim; ++c) {
        const std::string& cell = cells[cells.size() - m.dim + c];
        float v = 0;
        const auto res = std::from_chars(cell.data(), cell.data() + cell.size(), v);
        QVERIFY(res.ec == std::errc());
        QCOMPARE(v, m.at(r, c));
      }
    }
    QVERIFY_THROWS_EXCEPTION(FormatError, formatEmbeddingsCsv(m, {"only one"}));
  }

  void csvReadByPython() {
    QTemporaryDir dir;
    const QString path = dir.filePath("emb.csv");
    const EmbeddingMatrix m = sampleMatrix(12, 16);
    std::vector<std::string> ids;
    for (int i = 0; i < 12; ++i) ids.push_back("item," + std::to_string(i));
    writeEmbeddingsCsv(path.toStdString(), m, ids);
    const QString python = findPython(false);
    MOON_REQUIRE_TOOL(!python.isEmpty(), "python3");
    const QString script =
        "import csv,sys\n"
        "rows=list(csv.reader(open(sys.argv[1],newline='')))\n"
        "print(len(rows)-1, len(rows[0])-1, rows[5][0].replace(' ', '_'), sum(float(x) for r in rows[1:] for x in "
        "r[1:]))";
    const QStringList out = runPython(python, script, path).split(' ');
    QCOMPARE(out.size(), 4);
    QCOMPARE(out.mid(0, 3).join(' '), QString("12 16 item,4"));
    double sum = 0;
    for (float v : m.data) sum += v;
    QVERIFY(std::abs(out[3].toDouble() - sum) < 1e-4);
  }

  void npyBytes() {
    QTemporaryDir dir;
    const QString path = dir.filePath("emb.npy");
    const EmbeddingMatrix m = sampleMatrix(5, 7);
    writeEmbeddingsNpy(path.toStdString(), m);
    const std::string bytes = readFile(path);
    // Format 1.0: magic, version, u16 header length, header dict, data.
    QVERIFY(bytes.size() > 10);
    QCOMPARE(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
    const std::size_t headerLen = std::uint8_t(bytes[8]) | (std::size_t(std::uint8_t(bytes[9])) << 8);
    const std::string header = bytes.substr(10, headerLen);
    QVERIFY2(header.find("'descr': '<f4'") != std::string::npos, header.c_str());
    QVERIFY2(header.find("'fortran_order': False") != std::string::npos, header.c_str());
    QVERIFY2(header.find("'shape': (5, 7)") != std::string::npos, header.c_str());
    QCOMPARE(header.back(), '\n');
    QCOMPARE(bytes.size(), 10 + headerLen + m.data.size() * sizeof(float));
    QVERIFY(std::memcmp(bytes.data() + 10 + headerLen, m.data.data(), m.data.size() * sizeof(float)) == 0);
  }

  void npyReadByNumpy() {
    QTemporaryDir dir;
    const QString path = dir.filePath("emb.npy");
    const EmbeddingMatrix m = sampleMatrix(9, 13);
    writeEmbeddingsNpy(path.toStdString(), m);
    const QString python = findPython(true);
    MOON_REQUIRE_TOOL(!python.isEmpty(), "python3 with numpy");
    const QString script =
        "import numpy,sys\n"
        "a=numpy.load(sys.argv[1])\n"
        "print(a.shape[0], a.shape[1], a.dtype, repr(float(a[4,6])), float(a.astype(numpy.float64).sum()))";
    const QStringList out = runPython(python, script, path).split(' ');
    QCOMPARE(out.size(), 5);
    QCOMPARE(out.mid(0, 3).join(' '), QString("9 13 float32"));
    QCOMPARE(float(out[3].toDouble()), m.at(4, 6));  // the float32 value, exactly
    double sum = 0;
    for (float v : m.data) sum += v;
    QVERIFY(std::abs(out[4].toDouble() - sum) < 1e-9);
  }

  void emptyNpy() {
    QTemporaryDir dir;
    const QString path = dir.filePath("empty.npy");
    writeEmbeddingsNpy(path.toStdString(), EmbeddingMatrix(0, 4));
    QVERIFY(readFile(path).find("'shape': (0, 4)") != std::string::npos);
  }

  void safetensorsRoundTrip() {
    QTemporaryDir dir;
    const QString path = dir.filePath("emb.safetensors");
    const EmbeddingMatrix m = sampleMatrix(6, 5);
    const std::vector<std::string> ids = {"p1", "p2", "p\"3", "p4", "p5", "p6"};
    writeEmbeddingsSafetensors(path.toStdString(), m, ids, {{"modality", "mm"}});

    const SafetensorsFile file = SafetensorsFile::read(path.toStdString());
    const TensorRecord* t = file.find("embeddings");
    QVERIFY(t != nullptr);
    QCOMPARE(t->dtype, DType::F32);
    QCOMPARE(t->shape, (std::vector<int64_t>{6, 5}));
    QCOMPARE(t->data.size(), m.data.size() * sizeof(float));
    QVERIFY(std::memcmp(t->data.data(), m.data.data(), t->data.size()) == 0);
    QCOMPARE(file.metadata().at("modality"), std::string("mm"));
    QCOMPARE(nlohmann::json::parse(file.metadata().at("ids")).get<std::vector<std::string>>(), ids);

    QVERIFY_THROWS_EXCEPTION(FormatError, writeEmbeddingsSafetensors(path.toStdString(), m, {"p1"}));
  }

  void safetensorsReadByPython() {
    QTemporaryDir dir;
    const QString path = dir.filePath("emb.safetensors");
    const EmbeddingMatrix m = sampleMatrix(8, 3);
    std::vector<std::string> ids;
    for (int i = 0; i < 8; ++i) ids.push_back("id" + std::to_string(i));
    writeEmbeddingsSafetensors(path.toStdString(), m, ids);
    const QString python = findPython(false);
    MOON_REQUIRE_TOOL(!python.isEmpty(), "python3");
    // The format by hand: u64 header length, JSON header, raw little-endian data.
    const QString script =
        "import json,struct,sys\n"
        "b=open(sys.argv[1],'rb').read()\n"
        "n=struct.unpack('<Q',b[:8])[0]\n"
        "h=json.loads(b[8:8+n])\n"
        "e=h['embeddings']\n"
        "s,t=e['data_offsets']\n"
        "v=struct.unpack('<%df'%((t-s)//4),b[8+n+s:8+n+t])\n"
        "print(e['dtype'],e['shape'][0],e['shape'][1],len(json.loads(h['__metadata__']['ids'])),sum(v))";
    const QStringList out = runPython(python, script, path).split(' ');
    QCOMPARE(out.size(), 5);
    QCOMPARE(out.mid(0, 4).join(' '), QString("F32 8 3 8"));
    double sum = 0;
    for (float v : m.data) sum += v;
    QVERIFY(std::abs(out[4].toDouble() - sum) < 1e-9);
  }

  void writeFailureNamesTheFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("no/such/dir/meta.tsv").toStdString();
    try {
      writeProjectorMetadata(path, sampleItems());
      QFAIL("expected IoError");
    } catch (const IoError& e) {
      QVERIFY2(std::string(e.what()).find("no/such/dir/meta.tsv") != std::string::npos, e.what());
    }
  }
};

QTEST_GUILESS_MAIN(TestEvalExport)
#include "test_eval_export.moc"
