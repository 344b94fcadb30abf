// Dataset::load: every kind of bad record is reported with its file and line,
// skipped and counted, and the good records still load; nothing usable is an
// error, not an empty run.

#include <QTemporaryDir>
#include <QtTest>

#include <memory>

#include "DataTestFiles.h"
#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/data/Dataset.h"
#include "core/data/DatasetWriter.h"
#include "core/data/JsonlFile.h"

using namespace moon;
namespace fs = std::filesystem;

Q_DECLARE_METATYPE(moon::DataProblem)

namespace {

std::string product(const std::string& id, const std::string& image) {
  return R"({"id":")" + id + R"(","title":"Acme Cotton Tee )" + id + R"(","image":")" + image +
         R"(","category":["apparel","t-shirt"],"image_attributes":{"color":"red"},"text_attributes":{"brand":"acme"}})";
}

std::string triplet(const std::string& pos, const std::string& neg) {
  return R"({"query":{"modality":"text","title":"red tee"},"positive":")" + pos + R"(","negative":")" + neg + R"("})";
}

// A valid dataset: products p1..p4 (lines 1-4), train lines 1-2, val and test one line each.
class Fixture {
 public:
  Fixture() {
    root = fs::path(dir.path().toStdString()) / "shop";
    for (int i = 1; i <= 4; ++i) test::writeImage(root / "images" / ("p" + std::to_string(i) + ".jpg"));
    test::writeImage(root / "images" / "q1.jpg");
    products = {product("p1", "images/p1.jpg"), product("p2", "images/p2.jpg"), product("p3", "images/p3.jpg"),
                product("p4", "images/p4.jpg")};
    train = {triplet("p1", "p2"),
             R"({"query":{"modality":"image","image":"images/q1.jpg"},"positive":"p3","negative":"p4"})"};
    val = {triplet("p2", "p1")};
    test = {triplet("p4", "p3")};
  }

  void write() const {
    writeLines("products.jsonl", products);
    writeLines("train.jsonl", train);
    writeLines("val.jsonl", val);
    writeLines("test.jsonl", test);
  }

  void writeLines(const std::string& name, const std::vector<std::string>& lines) const {
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    test::writeBytes(root / name, text);
  }

  std::string file(const std::string& name) const { return (root / name).string(); }

  Dataset load(bool decode = false) const {
    DatasetOptions o;
    o.decodeImages = decode;
    return Dataset::load(root.string(), o);
  }

  QTemporaryDir dir;
  QTemporaryDir outside;  // a folder next to the dataset, for paths that escape it
  fs::path root;
  std::vector<std::string> products, train, val, test;
};

// The single reported problem: its kind, and a message that starts with file:line.
void expectOneProblem(const Dataset& ds, DataProblem kind, const std::string& fileLine, const std::string& fragment) {
  const DataReport& r = ds.report();
  QCOMPARE(r.count(kind), size_t(1));
  if (r.totalProblems() != 1) QFAIL(r.summary().c_str());
  const std::string msg = r.examples(kind).at(0).message();
  QVERIFY2(msg.rfind(fileLine + ": ", 0) == 0, msg.c_str());
  QVERIFY2(msg.find(fragment) != std::string::npos, msg.c_str());
  QVERIFY2(msg.find("record skipped") != std::string::npos, msg.c_str());
}

template <class E>
std::string errorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const E& e) {
    return e.what();
  }
  return "<no exception>";
}

}  // namespace

class TestDataset : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // Every case logs its skipped records; the assertions read the report instead.
  void initTestCase() { setStderrLogLevel(spdlog::level::err); }

  void goodDatasetLoads() {
    Fixture f;
    f.write();
    const Dataset ds = f.load(true);
    QVERIFY2(ds.report().clean(), ds.report().summary().c_str());
    QCOMPARE(ds.products().size(), size_t(4));
    QCOMPARE(ds.split("train").size(), size_t(2));
    QCOMPARE(ds.split("val").size(), size_t(1));
    QCOMPARE(ds.split("test").size(), size_t(1));
    const Product* p3 = ds.findProduct("p3");
    QVERIFY(p3);
    QCOMPARE(p3->fineCategory(), std::string("t-shirt"));
    QCOMPARE(p3->imageAttributes.at("color"), std::string("red"));
    QCOMPARE(ds.split("train")[1].query.modality, Modality::Image);
    QCOMPARE(ds.productOrigin(2), f.file("products.jsonl") + ":3");
    QCOMPARE(ds.tripletOrigin("train", 1), f.file("train.jsonl") + ":2");
    QVERIFY(fs::exists(ds.imageFile(p3->imagePath)));
  }

  void badProductRecord_data() {
    QTest::addColumn<QByteArray>("line");  // bytes: a QString would repair bad UTF-8
    QTest::addColumn<DataProblem>("kind");
    QTest::addColumn<QString>("fragment");
    auto add = [](const char* name, const std::string& line, DataProblem kind, const char* fragment) {
      QTest::newRow(name) << QByteArray::fromStdString(line) << kind << QString(fragment);
    };
    add("malformed JSON", R"({"id":"p5","title":)", DataProblem::MalformedJson, "malformed JSON");
    add("not an object", "[1, 2, 3]", DataProblem::MalformedJson, "expected a JSON object, got a list");
    add("non-UTF-8 title",
        R"({"id":"p5","title":"caf)" + std::string("\xE9") + R"(","image":"images/p1.jpg","category":["a"]})",
        DataProblem::InvalidUtf8, "not valid UTF-8");
    add("missing title", R"({"id":"p5","image":"images/p1.jpg","category":["a","b"]})", DataProblem::MissingField,
        "missing field 'title'");
    add("missing category", R"({"id":"p5","title":"t","image":"images/p1.jpg"})", DataProblem::MissingField,
        "missing field 'category'");
    add("category is a number", R"({"id":"p5","title":"t","image":"images/p1.jpg","category":5})",
        DataProblem::WrongType, "field 'category' must be a list of strings");
    add("id is a number", R"({"id":5,"title":"t","image":"images/p1.jpg","category":["a"]})", DataProblem::WrongType,
        "field 'id' must be a string, got a number");
    add("attribute value is a number",
        R"({"id":"p5","title":"t","image":"images/p1.jpg","category":["a"],"image_attributes":{"color":3}})",
        DataProblem::WrongType, "'image_attributes.color' must be a string");
    add("empty id", R"({"id":"","title":"t","image":"images/p1.jpg","category":["a"]})", DataProblem::InvalidValue,
        "field 'id' is empty");
    add("semicolon in attribute",
        R"({"id":"p5","title":"t","image":"images/p1.jpg","category":["a"],"text_attributes":{"brand":"a;b"}})",
        DataProblem::InvalidValue, "must not contain ';'");
    add("duplicate id", product("p2", "images/p1.jpg"), DataProblem::DuplicateId,
        "duplicate product id 'p2' (first on line 2)");
    add("absolute image path", product("p5", "/etc/hostname"), DataProblem::UnsafePath, "is absolute");
    add("image path with ..", product("p5", "../outside.jpg"), DataProblem::UnsafePath, "contains '..'");
    add("image path with inner ..", product("p5", "images/../../outside.jpg"), DataProblem::UnsafePath,
        "contains '..'");
    add("symlink out of the folder", product("p5", "images/link.jpg"), DataProblem::UnsafePath, "symbolic link");
    add("missing image", product("p5", "images/none.jpg"), DataProblem::MissingImage, "image file not found");
    add("image is a folder", product("p5", "images"), DataProblem::MissingImage, "not a regular file");
    add("0-byte image", product("p5", "images/zero.jpg"), DataProblem::BadImage, "empty (0 bytes)");
  }

  void badProductRecord() {
    QFETCH(QByteArray, line);
    QFETCH(DataProblem, kind);
    QFETCH(QString, fragment);
    Fixture f;
    // Files that the bad records point at, so each fails for the intended reason only.
    test::writeImage(f.root.parent_path() / "outside.jpg");
    const fs::path secret = fs::path(f.outside.path().toStdString()) / "secret.jpg";
    test::writeImage(secret);
    fs::create_symlink(secret, f.root / "images" / "link.jpg");
    test::writeBytes(f.root / "images" / "zero.jpg", "");
    f.products.push_back(line.toStdString());
    f.products.push_back(product("p6", "images/p1.jpg"));  // a good record after the bad one still loads
    f.write();
    const Dataset ds = f.load();
    expectOneProblem(ds, kind, f.file("products.jsonl") + ":5", fragment.toStdString());
    QCOMPARE(ds.products().size(), size_t(5));
    QVERIFY(ds.findProduct("p6"));
    QCOMPARE(ds.split("train").size(), size_t(2));
    QCOMPARE(ds.report().files().at(0).bad, size_t(1));
    QCOMPARE(ds.report().files().at(0).good, size_t(5));
  }

  void badTripletRecord_data() {
    QTest::addColumn<QByteArray>("line");  // bytes: a QString would repair bad UTF-8
    QTest::addColumn<DataProblem>("kind");
    QTest::addColumn<QString>("fragment");
    auto add = [](const char* name, const std::string& line, DataProblem kind, const char* fragment) {
      QTest::newRow(name) << QByteArray::fromStdString(line) << kind << QString(fragment);
    };
    add("malformed JSON", R"({"query":{"modality":"text","title":"x"},"positive":"p1")", DataProblem::MalformedJson,
        "malformed JSON");
    add("non-UTF-8 query",
        R"({"query":{"modality":"text","title":"red )" + std::string("\xFF\xFE") +
            R"("},"positive":"p1","negative":"p2"})",
        DataProblem::InvalidUtf8, "not valid UTF-8");
    add("missing query", R"({"positive":"p1","negative":"p2"})", DataProblem::MissingField, "missing field 'query'");
    add("query is a string", R"({"query":"red tee","positive":"p1","negative":"p2"})", DataProblem::WrongType,
        "field 'query' must be an object");
    add("missing negative", R"({"query":{"modality":"text","title":"x"},"positive":"p1"})", DataProblem::MissingField,
        "missing field 'negative'");
    add("positive is a number", R"({"query":{"modality":"text","title":"x"},"positive":1,"negative":"p2"})",
        DataProblem::WrongType, "field 'positive' must be a string");
    add("unknown modality", R"({"query":{"modality":"video","title":"x"},"positive":"p1","negative":"p2"})",
        DataProblem::InvalidValue, "'query.modality' is 'video'");
    add("text query without title", R"({"query":{"modality":"text"},"positive":"p1","negative":"p2"})",
        DataProblem::MissingField, "'query.title' (required for modality 'text')");
    add("mm query without image", R"({"query":{"modality":"mm","title":"x"},"positive":"p1","negative":"p2"})",
        DataProblem::MissingField, "'query.image' (required for modality 'mm')");
    add("positive equals negative", triplet("p1", "p1"), DataProblem::InvalidValue, "the same product 'p1'");
    add("unknown negative", triplet("p1", "p99"), DataProblem::UnknownProduct,
        "negative product 'p99' is not in products.jsonl");
    add("unknown positive", triplet("p0", "p1"), DataProblem::UnknownProduct, "positive product 'p0'");
    add("query image escapes",
        R"({"query":{"modality":"image","image":"../outside.jpg"},"positive":"p1","negative":"p2"})",
        DataProblem::UnsafePath, "'query.image' path '../outside.jpg' contains '..'");
    add("query image missing",
        R"({"query":{"modality":"image","image":"images/qq.jpg"},"positive":"p1","negative":"p2"})",
        DataProblem::MissingImage, "image file not found");
  }

  void badTripletRecord() {
    QFETCH(QByteArray, line);
    QFETCH(DataProblem, kind);
    QFETCH(QString, fragment);
    Fixture f;
    test::writeImage(f.root.parent_path() / "outside.jpg");
    f.train.push_back(line.toStdString());
    f.train.push_back(triplet("p4", "p1"));
    f.write();
    const Dataset ds = f.load();
    expectOneProblem(ds, kind, f.file("train.jsonl") + ":3", fragment.toStdString());
    QCOMPARE(ds.split("train").size(), size_t(3));
    QCOMPARE(ds.split("train").back().positiveId, std::string("p4"));
    QCOMPARE(ds.products().size(), size_t(4));
  }

  void tripletOfSkippedProductSaysWhy() {
    Fixture f;
    f.products.push_back(product("p5", "images/none.jpg"));
    f.train.push_back(triplet("p5", "p1"));
    f.write();
    const Dataset ds = f.load();
    QCOMPARE(ds.report().count(DataProblem::MissingImage), size_t(1));
    QCOMPARE(ds.report().count(DataProblem::UnknownProduct), size_t(1));
    const std::string msg = ds.report().examples(DataProblem::UnknownProduct).at(0).message();
    QVERIFY2(msg.rfind(f.file("train.jsonl") + ":3: ", 0) == 0, msg.c_str());
    QVERIFY2(msg.find("positive product 'p5' was skipped (" + f.file("products.jsonl") + ":5, missing image)") !=
                 std::string::npos,
             msg.c_str());
    QCOMPARE(ds.split("train").size(), size_t(2));
  }

  void corruptImagesFoundWhenDecoding() {
    Fixture f;
    const std::string jpeg = test::encoded(test::testPicture(64, 48), ".jpg");
    test::writeBytes(f.root / "images" / "cut.jpg", jpeg.substr(0, jpeg.size() / 2));
    test::writeBytes(f.root / "images" / "qcut.png", test::encoded(test::testPicture(), ".png").substr(0, 60));
    f.products.push_back(product("p5", "images/cut.jpg"));
    f.train.push_back(R"({"query":{"modality":"image","image":"images/qcut.png"},"positive":"p1","negative":"p2"})");
    f.write();

    // Without decoding, a non-empty file passes.
    const Dataset quick = f.load(false);
    QVERIFY2(quick.report().clean(), quick.report().summary().c_str());
    QCOMPARE(quick.products().size(), size_t(5));

    const Dataset full = f.load(true);
    QCOMPARE(full.report().count(DataProblem::BadImage), size_t(2));
    const auto& examples = full.report().examples(DataProblem::BadImage);
    std::string all;
    for (const auto& e : examples) all += e.message() + "\n";
    QVERIFY2(
        all.find(f.file("products.jsonl") + ":5: 'image' path 'images/cut.jpg': truncated JPEG") != std::string::npos,
        all.c_str());
    QVERIFY2(all.find(f.file("train.jsonl") + ":3: 'query.image' path 'images/qcut.png': truncated PNG") !=
                 std::string::npos,
             all.c_str());
    QCOMPARE(full.products().size(), size_t(4));
    QCOMPARE(full.split("train").size(), size_t(2));
  }

  void noUsableProductsIsAnError() {
    Fixture f;
    f.products = {R"({"id":"p1"})", product("p2", "images/none.jpg")};
    f.write();
    const std::string msg = errorOf<FormatError>([&] { f.load(); });
    QVERIFY2(msg.find(f.file("products.jsonl") + ": no usable products") == 0, msg.c_str());
    // The report travels with the error, so the user sees why.
    QVERIFY2(msg.find(f.file("products.jsonl") + ":1: missing field 'title'") != std::string::npos, msg.c_str());
    QVERIFY2(msg.find(f.file("products.jsonl") + ":2: 'image' path 'images/none.jpg'") != std::string::npos,
             msg.c_str());
  }

  void emptyProductsFileIsAnError() {
    Fixture f;
    f.products.clear();
    f.write();
    const std::string msg = errorOf<FormatError>([&] { f.load(); });
    QVERIFY2(msg.find("no usable products") != std::string::npos, msg.c_str());
  }

  void requiredSplitWithoutUsableTripletsIsAnError() {
    Fixture f;
    f.test = {triplet("p1", "p77")};
    f.write();
    const std::string msg = errorOf<FormatError>([&] { f.load(); });
    QVERIFY2(msg.find(f.file("test.jsonl") + ": no usable triplets in required split 'test'") == 0, msg.c_str());
    QVERIFY2(msg.find(f.file("test.jsonl") + ":1: negative product 'p77'") != std::string::npos, msg.c_str());
  }

  void missingSplitFiles() {
    Fixture f;
    f.write();
    fs::remove(f.root / "val.jsonl");
    const std::string msg = errorOf<FormatError>([&] { f.load(); });
    QVERIFY2(msg.find(f.file("val.jsonl") + ": required split file not found") == 0, msg.c_str());

    DatasetOptions onlyTrain;
    onlyTrain.requiredSplits = {"train"};
    const Dataset ds = Dataset::load(f.root.string(), onlyTrain);
    QVERIFY(ds.split("val").empty());
    QCOMPARE(ds.split("test").size(), size_t(1));
    bool markedAbsent = false;
    for (const auto& file : ds.report().files())
      if (file.file == f.file("val.jsonl")) markedAbsent = !file.present;
    QVERIFY(markedAbsent);
  }

  void missingFolderOrProductsFile() {
    Fixture f;
    QVERIFY_EXCEPTION_THROWN(Dataset::load((f.root / "nope").string()), IoError);
    f.write();
    fs::remove(f.root / "products.jsonl");
    const std::string msg = errorOf<IoError>([&] { f.load(); });
    QVERIFY2(msg.find(f.file("products.jsonl")) == 0, msg.c_str());
  }

  void crlfBomBlankLinesAndExtrasAreAccepted() {
    Fixture f;
    f.write();
    std::string text = "\xEF\xBB\xBF" + product("p1", "images/p1.jpg") + "\r\n\r\n   \n";
    // Category as "coarse > fine" and an unknown extra field.
    text += R"({"id":"p2","title":"t","image":"images/p2.jpg","category":"bags > backpack","family":"f1"})";
    text += "\r\n" + product("p3", "images/p3.jpg") + "\n" + product("p4", "images/p4.jpg") + "\n";
    text += R"({"id":"p5"})";  // line 7: counts blank lines, no trailing newline
    test::writeBytes(f.root / "products.jsonl", text);
    const Dataset ds = f.load();
    QCOMPARE(ds.products().size(), size_t(4));
    QCOMPARE(ds.findProduct("p2")->categoryPath, (std::vector<std::string>{"bags", "backpack"}));
    QCOMPARE(ds.productOrigin(1), f.file("products.jsonl") + ":4");
    expectOneProblem(ds, DataProblem::MissingField, f.file("products.jsonl") + ":7", "missing field 'title'");
  }

  void writeThenLoadRoundTrips() {
    Fixture f;
    f.write();
    const Dataset a = f.load();
    QTemporaryDir out;
    const fs::path copy = fs::path(out.path().toStdString());
    fs::copy(f.root / "images", copy / "images", fs::copy_options::recursive);
    std::map<std::string, std::vector<Triplet>> splits;
    for (const auto& name : a.splitNames()) splits[name] = a.split(name);
    writeDataset(copy.string(), a.products(), splits);
    const Dataset b = Dataset::load(copy.string());
    QVERIFY(b.report().clean());
    QCOMPARE(b.products().size(), a.products().size());
    for (size_t i = 0; i < a.products().size(); ++i) {
      const Product &x = a.products()[i], &y = b.products()[i];
      QCOMPARE(x.id, y.id);
      QCOMPARE(x.title, y.title);
      QCOMPARE(x.imagePath, y.imagePath);
      QCOMPARE(x.categoryPath, y.categoryPath);
      QVERIFY(x.imageAttributes == y.imageAttributes);
      QVERIFY(x.textAttributes == y.textAttributes);
    }
    for (const auto& name : a.splitNames()) {
      QCOMPARE(b.split(name).size(), a.split(name).size());
      for (size_t i = 0; i < a.split(name).size(); ++i) {
        const Triplet &x = a.split(name)[i], &y = b.split(name)[i];
        QCOMPARE(x.positiveId, y.positiveId);
        QCOMPARE(x.negativeId, y.negativeId);
        QCOMPARE(x.query.modality, y.query.modality);
        QVERIFY(x.query.title == y.query.title);
        QVERIFY(x.query.imagePath == y.query.imagePath);
      }
    }
    // Writing the same records again gives the same bytes.
    const std::string first = test::readBytes(copy / "products.jsonl");
    writeDataset(copy.string(), b.products(), splits);
    QCOMPARE(test::readBytes(copy / "products.jsonl"), first);
  }

  void utf8Validation() {
    QCOMPARE(findInvalidUtf8("plain ascii"), std::string::npos);
    QCOMPARE(findInvalidUtf8("caf\xC3\xA9 \xF0\x9F\x98\x80 \xE2\x82\xAC"), std::string::npos);
    QCOMPARE(findInvalidUtf8("ab\xC0\xAF"), size_t(2));         // overlong '/'
    QCOMPARE(findInvalidUtf8("a\xED\xA0\x80"), size_t(1));      // UTF-16 surrogate
    QCOMPARE(findInvalidUtf8("a\xF4\x90\x80\x80"), size_t(1));  // past U+10FFFF
    QCOMPARE(findInvalidUtf8("abc\xE2\x82"), size_t(3));        // cut short
    QCOMPARE(findInvalidUtf8("\x80"), size_t(0));               // stray continuation byte
  }
};

QTEST_APPLESS_MAIN(TestDataset)
#include "test_data_dataset.moc"
