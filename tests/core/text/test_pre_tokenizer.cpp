#include <QtTest>

#include <random>

#include "core/base/Error.h"
#include "core/text/PreTokenizer.h"
#include "core/text/Utf8.h"

using moon::PreTokenizer;

namespace {

QStringList pieces(const PreTokenizer& pre, std::string_view text) {
  QStringList out;
  for (std::string_view p : pre.split(text)) out << QString::fromUtf8(p.data(), qsizetype(p.size()));
  return out;
}

std::string joined(const std::vector<std::string_view>& parts) {
  std::string s;
  for (auto p : parts) s += p;
  return s;
}

}  // namespace

class TestPreTokenizer : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void splitsLikeCl100k() {
    const PreTokenizer pre;
    QCOMPARE(pieces(pre, "Hello world's 12345 !!!\n\n  x"),
             (QStringList{"Hello", " world", "'s", " ", "123", "45", " !!!\n\n", " ", " x"}));
  }

  void qwenPatternSplitsSingleDigits() {
    const PreTokenizer pre(
        R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)");
    QCOMPARE(pieces(pre, "size 42"), (QStringList{"size", " ", "4", "2"}));
  }

  void unicodeClassesAreUsed() {
    const PreTokenizer pre;
    // Letters of any script form one piece; Arabic-Indic digits are numbers.
    QCOMPARE(pieces(pre, "红色条纹 Ünïcödé ١٢٣٤"), (QStringList{"红色条纹", " Ünïcödé", " ", "١٢٣", "٤"}));
    // UCP: the ideographic space U+3000 is whitespace for \s.
    QCOMPARE(pieces(pre, "a\u3000\u3000b"), (QStringList{"a", "\u3000", "\u3000b"}));
  }

  void invalidBytesBecomeTheirOwnPieces() {
    const PreTokenizer pre;
    const std::string text =
        "ab\xff\xfe"
        "cd \xc3";
    const auto parts = pre.split(text);
    QCOMPARE(joined(parts), text);
    std::vector<std::string> expected{"ab", "\xff\xfe", "cd", " ", "\xc3"};
    QCOMPARE(parts.size(), expected.size());
    for (size_t i = 0; i < parts.size(); ++i) QCOMPARE(std::string(parts[i]), expected[i]);
  }

  void piecesAlwaysConcatenateToInput() {
    const PreTokenizer pre;
    std::mt19937 rng(1234);
    for (int n = 0; n < 300; ++n) {
      std::string text(rng() % 80, '\0');
      for (char& c : text) c = char(rng() % 256);
      const auto parts = pre.split(text);
      QCOMPARE(joined(parts), text);
      for (auto p : parts) QVERIFY(!p.empty());
    }
  }

  void emptyMatchesDoNotStall() {
    const PreTokenizer pre("x*");
    QCOMPARE(pieces(pre, "abxxc"), (QStringList{"ab", "xx", "c"}));
  }

  // A generated trace cut inside a character (or any stray byte) becomes
  // U+FFFD per bad byte, so reports and JSON get valid text; good text is kept.
  void lossyReplacesOnlyIllFormedBytes() {
    const std::string cut = std::string("ab\xE3\x81", 4) + "c";  // "あ" (E3 81 82) missing its last byte
    const std::string fixed = moon::utf8::lossy(cut);
    QVERIFY(moon::utf8::isValid(fixed));
    QCOMPARE(QString::fromStdString(fixed), QStringLiteral("ab\uFFFD\uFFFDc"));
    const std::string good = "caf\xC3\xA9 \xE3\x81\x82";
    QCOMPARE(moon::utf8::lossy(good), good);
    QCOMPARE(moon::utf8::lossy(""), std::string());
  }
  void badPatternIsAFormatError() {
    try {
      PreTokenizer pre("(unclosed");
      QFAIL("expected FormatError");
    } catch (const moon::FormatError& e) {
      QVERIFY2(QString(e.what()).contains("offset"), e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TestPreTokenizer)
#include "test_pre_tokenizer.moc"
