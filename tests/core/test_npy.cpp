#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <numeric>

#include "RequireTool.h"
#include "TestFiles.h"
#include "core/base/Error.h"
#include "core/tensorio/Npy.h"

using namespace moon;
using moon::test::readAll;
using moon::test::writeAll;

Q_DECLARE_METATYPE(moon::DType)

namespace {

// Runs `python` with `code`; returns stdout, or nullopt when it fails.
std::optional<QString> runPython(const QString& python, const QString& code, QString* error = nullptr) {
  QProcess p;
  p.start(python, {"-c", code});
  if (!p.waitForStarted(5000)) return std::nullopt;
  p.waitForFinished(60000);
  if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
    if (error) *error = QString::fromUtf8(p.readAllStandardError());
    return std::nullopt;
  }
  return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

// The first interpreter that has numpy: the one on PATH may be a private
// Python (pyenv, venv) without the Debian python3-numpy package.
std::optional<QString> pythonWithNumpy() {
  for (const QString python : {"python3", "/usr/bin/python3"})
    if (runPython(python, "import numpy")) return python;
  return std::nullopt;
}

}  // namespace

class TestNpy : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::string path(const std::string& name) const { return dir_.path().toStdString() + "/" + name; }

 private Q_SLOTS:
  void roundTrip_data() {
    QTest::addColumn<DType>("dtype");
    for (DType d :
         {DType::F64, DType::F32, DType::F16, DType::I64, DType::I32, DType::I16, DType::I8, DType::U8, DType::BOOL})
      QTest::newRow(dtypeName(d)) << d;
  }
  void roundTrip() {
    QFETCH(DType, dtype);
    const std::vector<int64_t> shape{4, 3, 2};
    std::vector<uint8_t> data(24 * dtypeSize(dtype));
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(dtype == DType::BOOL ? i % 2 : i * 37 + 1);
    writeNpy(path("a.npy"), dtype, shape, data.data());
    const TensorRecord r = readNpy(path("a.npy"));
    QCOMPARE(r.dtype, dtype);
    QCOMPARE(r.shape, shape);
    QVERIFY(r.data == data);
  }

  void headerIsVersion1PaddedTo64() {
    const float v[5] = {1, 2, 3, 4, 5};
    writeNpy(path("v.npy"), DType::F32, {5}, v);
    const std::string bytes = readAll(path("v.npy"));
    QCOMPARE(bytes.substr(0, 6), std::string("\x93NUMPY"));
    QCOMPARE(int(bytes[6]), 1);
    QCOMPARE(int(bytes[7]), 0);
    uint16_t headerLength = 0;
    std::memcpy(&headerLength, bytes.data() + 8, 2);
    QCOMPARE((10 + headerLength) % 64, 0);
    const std::string header = bytes.substr(10, headerLength);
    QCOMPARE(header.back(), '\n');
    QVERIFY2(header.find("'descr': '<f4'") != std::string::npos, header.c_str());
    QVERIFY2(header.find("'fortran_order': False") != std::string::npos, header.c_str());
    QVERIFY2(header.find("'shape': (5,)") != std::string::npos, header.c_str());  // one-element tuple
    QCOMPARE(bytes.size(), size_t(10 + headerLength + 20));
  }

  void scalarShape() {
    const double x = 2.5;
    writeNpy(path("s.npy"), DType::F64, {}, &x);
    const TensorRecord r = readNpy(path("s.npy"));
    QVERIFY(r.shape.empty());
    double back = 0;
    std::memcpy(&back, r.data.data(), 8);
    QCOMPARE(back, 2.5);
  }

  void bfloat16IsRefused() {
    const uint16_t x[2] = {0x3f80, 0x4000};
    QVERIFY_THROWS_EXCEPTION(FormatError, writeNpy(path("bf.npy"), DType::BF16, {2}, x));
    QVERIFY(!std::filesystem::exists(path("bf.npy")));
  }

  void malformedFilesAreClearErrors_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    auto npy = [](const std::string& header, const std::string& data) {
      std::string h = header;
      const uint16_t n = static_cast<uint16_t>(h.size());
      std::string out = std::string("\x93NUMPY\x01\x00", 8);
      out.append(reinterpret_cast<const char*>(&n), 2);
      return out + h + data;
    };
    auto row = [](const char* name, const std::string& b, const char* expected) {
      QTest::newRow(name) << QByteArray(b.data(), int(b.size())) << QString(expected);
    };
    row("not npy", "PK\x03\x04 zip file", "not a .npy file");
    row("big-endian", npy("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }\n", "abcd"),
        "unsupported .npy dtype '>f4'");
    row("fortran order", npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }\n", "abcd"), "Fortran");
    row("truncated data", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }\n", "abcd"),
        "truncated .npy data");
    row("no shape", npy("{'descr': '<f4', 'fortran_order': False, }\n", "abcd"), "no 'shape'");
    row("header cut", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }\n", "").substr(0, 20),
        "truncated .npy header");
  }
  void malformedFilesAreClearErrors() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const std::string file = path("bad.npy");
    writeAll(file, bytes.toStdString());
    try {
      readNpy(file);
      QFAIL("expected FormatError");
    } catch (const FormatError& e) {
      QVERIFY2(std::string(e.what()).rfind(file + ": ", 0) == 0, e.what());
      QVERIFY2(std::string(e.what()).find(expected.toStdString()) != std::string::npos, e.what());
    }
  }

  // Independent check: NumPy itself reads what we write and writes what we read.
  void numpyAgrees() {
    const auto python = pythonWithNumpy();
    MOON_REQUIRE_TOOL(python, "python3 with numpy (python3-numpy)");
    std::vector<float> values(6);
    std::iota(values.begin(), values.end(), -1.5f);
    writeNpy(path("ours.npy"), DType::F32, {2, 3}, values.data());
    QString error;
    const auto out =
        runPython(*python,
                  QString("import numpy as np; a = np.load('%1'); print(a.dtype, a.shape, repr(float(a[1, 2])))")
                      .arg(QString::fromStdString(path("ours.npy"))),
                  &error);
    QVERIFY2(out.has_value(), qPrintable(error));
    QCOMPARE(*out, QString("float32 (2, 3) 3.5"));

    const auto wrote =
        runPython(*python,
                  QString("import numpy as np; np.save('%1', np.arange(12, dtype=np.int16).reshape(3, 4) * 3)")
                      .arg(QString::fromStdString(path("theirs.npy"))),
                  &error);
    QVERIFY2(wrote.has_value(), qPrintable(error));
    const TensorRecord r = readNpy(path("theirs.npy"));
    QCOMPARE(r.dtype, DType::I16);
    QCOMPARE(r.shape, (std::vector<int64_t>{3, 4}));
    int16_t last = 0;
    std::memcpy(&last, r.data.data() + 22, 2);
    QCOMPARE(last, int16_t(33));
  }
};

QTEST_GUILESS_MAIN(TestNpy)
#include "test_npy.moc"
