#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <random>

#include <nlohmann/json.hpp>

#include "TestFiles.h"
#include "core/base/Error.h"
#include "core/tensorio/Safetensors.h"

using namespace moon;
using moon::test::readAll;
using moon::test::writeAll;

Q_DECLARE_METATYPE(moon::DType)

namespace {

const std::vector<DType> kAllDTypes{DType::F64, DType::F32, DType::F16, DType::BF16, DType::I64,
                                    DType::I32, DType::I16, DType::I8,  DType::U8,   DType::BOOL};

TensorRecord randomTensor(const std::string& name, DType dtype, std::vector<int64_t> shape, unsigned seed) {
  TensorRecord t;
  t.name = name;
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.data.resize(t.expectedBytes());
  std::mt19937 rng(seed);
  for (auto& b : t.data) b = static_cast<uint8_t>(dtype == DType::BOOL ? rng() % 2 : rng());
  return t;
}

// A safetensors file assembled by hand: 8-byte little-endian length, header, data.
std::string fileBytes(const std::string& header, const std::string& data) {
  const uint64_t n = header.size();
  std::string out(8, '\0');
  std::memcpy(out.data(), &n, 8);
  return out + header + data;
}

std::string floats(std::initializer_list<float> values) {
  std::string out(values.size() * 4, '\0');
  std::memcpy(out.data(), values.begin(), out.size());
  return out;
}

}  // namespace

class TestSafetensors : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::string path(const std::string& name) const { return dir_.path().toStdString() + "/" + name; }

 private Q_SLOTS:
  void dtypeNamesRoundTrip() {
    for (DType d : kAllDTypes) {
      QCOMPARE(parseDType(dtypeName(d)), std::optional<DType>(d));
    }
    QCOMPARE(dtypeSize(DType::BF16), size_t(2));
    QCOMPARE(dtypeSize(DType::I64), size_t(8));
    QCOMPARE(dtypeSize(DType::BOOL), size_t(1));
    QVERIFY(!parseDType("f32"));
    QVERIFY(!parseDType("F8_E4M3"));
  }

  void roundTripEveryDType_data() {
    QTest::addColumn<DType>("dtype");
    for (DType d : kAllDTypes) QTest::newRow(dtypeName(d)) << d;
  }
  void roundTripEveryDType() {
    QFETCH(DType, dtype);
    const auto t = randomTensor("layer.0.weight", dtype, {3, 5, 2}, 7);
    writeSafetensors(path("one.safetensors"), {t}, {{"format", "moon"}});
    const auto file = SafetensorsFile::read(path("one.safetensors"));
    QCOMPARE(file.tensors().size(), size_t(1));
    const TensorRecord& r = file.tensors()[0];
    QCOMPARE(r.name, t.name);
    QCOMPARE(r.dtype, dtype);
    QCOMPARE(r.shape, t.shape);
    QVERIFY(r.data == t.data);
    QCOMPARE(file.metadata().at("format"), std::string("moon"));
  }

  void roundTripManyTensorsScalarsAndEmpty() {
    std::vector<TensorRecord> tensors;
    unsigned seed = 1;
    for (DType d : kAllDTypes) tensors.push_back(randomTensor(std::string("t_") + dtypeName(d), d, {4, 3}, seed++));
    tensors.push_back(randomTensor("scalar", DType::F32, {}, 99));
    tensors.push_back(randomTensor("empty", DType::I64, {0, 8}, 5));
    const std::map<std::string, std::string> meta{{"step", "120"}, {"config", "{\"a\": 1}"}};
    writeSafetensors(path("many.safetensors"), tensors, meta);

    const auto file = SafetensorsFile::read(path("many.safetensors"));
    QCOMPARE(file.tensors().size(), tensors.size());
    QCOMPARE(file.metadata(), meta);
    for (const auto& t : tensors) {
      const TensorRecord* r = file.find(t.name);
      QVERIFY2(r, t.name.c_str());
      QCOMPARE(r->dtype, t.dtype);
      QCOMPARE(r->shape, t.shape);
      QVERIFY(r->data == t.data);
    }
    QCOMPARE(file.find("scalar")->numel(), int64_t(1));
    QCOMPARE(file.find("empty")->data.size(), size_t(0));
    QVERIFY(file.find("missing") == nullptr);
  }

  // Checks the bytes against the format description, independently of the reader.
  void layoutFollowsTheSpecification() {
    const auto a = randomTensor("a_bytes", DType::U8, {3}, 1);
    const auto b = randomTensor("b_doubles", DType::F64, {2}, 2);
    const auto c = randomTensor("c_halves", DType::F16, {5}, 3);
    writeSafetensors(path("layout.safetensors"), {a, b, c});
    const std::string bytes = readAll(path("layout.safetensors"));
    uint64_t n = 0;
    std::memcpy(&n, bytes.data(), 8);
    QCOMPARE(n % 8, uint64_t(0));
    const auto header = nlohmann::json::parse(bytes.substr(8, n));
    QVERIFY(!header.contains("__metadata__"));  // none given, none written
    // Largest element first, so each tensor is aligned to its element size.
    QCOMPARE(header["b_doubles"]["data_offsets"], nlohmann::json::parse("[0, 16]"));
    QCOMPARE(header["c_halves"]["data_offsets"], nlohmann::json::parse("[16, 26]"));
    QCOMPARE(header["a_bytes"]["data_offsets"], nlohmann::json::parse("[26, 29]"));
    QCOMPARE(header["c_halves"]["dtype"], nlohmann::json("F16"));
    QCOMPARE(header["a_bytes"]["shape"], nlohmann::json::parse("[3]"));
    QCOMPARE(bytes.size(), size_t(8 + n + 29));
    QVERIFY(std::memcmp(bytes.data() + 8 + n + 16, c.data.data(), 10) == 0);
  }

  // A file written by another implementation: no padding, metadata first.
  void readsHandWrittenFile() {
    const std::string header =
        R"({"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},)"
        R"("b":{"dtype":"F32","shape":[1],"data_offsets":[16,20]}})";
    writeAll(path("hand.safetensors"), fileBytes(header, floats({1.f, 2.f, 3.f, 4.f, -0.5f})));
    const auto file = SafetensorsFile::read(path("hand.safetensors"));
    QCOMPARE(file.metadata().at("format"), std::string("pt"));
    const TensorRecord* w = file.find("w");
    QVERIFY(w);
    float values[4];
    std::memcpy(values, w->data.data(), 16);
    QCOMPARE(values[3], 4.f);
    QCOMPARE(file.tensors().front().name, std::string("w"));  // file order
    float bias = 0;
    std::memcpy(&bias, file.find("b")->data.data(), 4);
    QCOMPARE(bias, -0.5f);
  }

  void malformedFileIsAClearError_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    auto row = [](const char* name, const std::string& bytes, const char* expected) {
      QTest::newRow(name) << QByteArray(bytes.data(), static_cast<int>(bytes.size())) << QString(expected);
    };
    const std::string f2 = floats({1.f, 2.f});
    row("empty file", "", "truncated");
    row("shorter than 8 bytes", std::string("\x10\0\0", 3), "truncated");
    row("header beyond file", fileBytes("{}", "").replace(0, 1, "\xff"), "header claims 255 bytes");
    row("header cut off", fileBytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", f2).substr(0, 30),
        "header claims");
    row("bad json", fileBytes(R"({"a": {"dtype": "F32", )", f2), "not valid JSON");
    row("header not an object", fileBytes("[1, 2]", ""), "must be a JSON object");
    row("entry not an object", fileBytes(R"({"a": 3})", ""), "tensor 'a': header entry must be an object");
    row("missing dtype", fileBytes(R"({"a":{"shape":[2],"data_offsets":[0,8]}})", f2), "no 'dtype' field");
    row("missing shape", fileBytes(R"({"a":{"dtype":"F32","data_offsets":[0,8]}})", f2), "no 'shape' field");
    row("missing offsets", fileBytes(R"({"a":{"dtype":"F32","shape":[2]}})", f2), "no 'data_offsets' field");
    row("dtype not a string", fileBytes(R"({"a":{"dtype":4,"shape":[2],"data_offsets":[0,8]}})", f2),
        "'dtype' must be a string");
    row("shape not a list", fileBytes(R"({"a":{"dtype":"F32","shape":"2","data_offsets":[0,8]}})", f2),
        "'shape' must be a list");
    row("fractional dim", fileBytes(R"({"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}})", f2),
        "must be an integer");
    row("offsets not a pair", fileBytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}})", f2),
        "'data_offsets' must be a list [begin, end]");
    row("unknown dtype", fileBytes(R"({"a":{"dtype":"F8","shape":[2],"data_offsets":[0,2]}})", "xy"),
        "unknown dtype 'F8'");
    row("negative dim", fileBytes(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", f2),
        "negative dimension");
    row("negative offset", fileBytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}})", f2),
        "data_offsets begin is negative");
    row("end before begin", fileBytes(R"({"a":{"dtype":"U8","shape":[0],"data_offsets":[8,0]}})", f2),
        "end before they begin");
    row("offsets out of range", fileBytes(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", f2),
        "are out of range: the data buffer has 8 bytes");
    row("dtype mismatch", fileBytes(R"({"a":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}})", f2),
        "dtype mismatch: shape [2] of F64 needs 16 bytes");
    row("overlap",
        fileBytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                  R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                  f2),
        "overlap tensor 'a'");
    row("gap",
        fileBytes(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                  R"("b":{"dtype":"U8","shape":[2],"data_offsets":[6,8]}})",
                  f2),
        "a gap in the data buffer");
    row("trailing bytes", fileBytes(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", f2),
        "the tensors cover only 4");
    row("metadata not strings", fileBytes(R"({"__metadata__":{"step":3}})", ""),
        "'__metadata__' value of 'step' must be a string");
  }
  void malformedFileIsAClearError() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const std::string file = path("broken.safetensors");
    writeAll(file, bytes.toStdString());
    try {
      SafetensorsFile::read(file);
      QFAIL("expected FormatError");
    } catch (const FormatError& e) {
      const std::string message = e.what();
      QVERIFY2(message.rfind(file + ": ", 0) == 0, message.c_str());  // names the file first
      QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
    }
  }

  void missingFileIsAnIoError() {
    QVERIFY_THROWS_EXCEPTION(IoError, SafetensorsFile::read(path("does-not-exist.safetensors")));
  }

  void badTensorsAreRefusedAndTheOldFileKept_data() {
    QTest::addColumn<int>("which");
    QTest::addColumn<QString>("expected");
    QTest::newRow("duplicate name") << 0 << "used twice";
    QTest::newRow("size mismatch") << 1 << "dtype mismatch";
    QTest::newRow("negative dim") << 2 << "negative dimension";
    QTest::newRow("reserved name") << 3 << "reserved";
  }
  void badTensorsAreRefusedAndTheOldFileKept() {
    QFETCH(int, which);
    QFETCH(QString, expected);
    const std::string file = path("keep.safetensors");
    writeSafetensors(file, {randomTensor("good", DType::F32, {2}, 1)});
    const std::string before = readAll(file);

    std::vector<TensorRecord> bad{randomTensor("x", DType::F32, {2}, 2)};
    if (which == 0) bad.push_back(bad[0]);
    if (which == 1) bad[0].data.pop_back();
    if (which == 2) bad[0].shape = {-1, -2};
    if (which == 3) bad[0].name = "__metadata__";
    try {
      writeSafetensors(file, bad);
      QFAIL("expected FormatError");
    } catch (const FormatError& e) {
      QVERIFY2(std::string(e.what()).find(expected.toStdString()) != std::string::npos, e.what());
      QVERIFY2(std::string(e.what()).find(file) != std::string::npos, e.what());
    }
    QCOMPARE(readAll(file), before);
  }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
