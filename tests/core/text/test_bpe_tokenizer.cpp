#include <QtTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "core/base/Error.h"
#include "core/text/BpeTokenizer.h"
#include "core/text/SpecialTokens.h"

using moon::BpeDefinition;
using moon::BpeTokenizer;

namespace {

std::vector<std::string> catalogueCorpus() {
  const std::vector<std::string> colors{"red", "blue", "green", "black", "white", "navy", "beige", "olive"};
  const std::vector<std::string> patterns{"striped", "dotted", "checked", "solid", "floral"};
  const std::vector<std::string> items{"t-shirt", "dress", "handbag", "sneaker", "backpack", "mug", "hoodie"};
  const std::vector<std::string> brands{"acme", "nordwind", "lumen", "kasai", "orbit"};
  std::vector<std::string> out;
  std::mt19937 rng(7);
  for (int i = 0; i < 400; ++i) {
    const auto& c = colors[rng() % colors.size()];
    const auto& p = patterns[rng() % patterns.size()];
    const auto& it = items[rng() % items.size()];
    const auto& b = brands[rng() % brands.size()];
    out.push_back(b + " " + c + " " + p + " " + it + " size " + std::to_string(rng() % 50));
    out.push_back("<think>color: " + c + "; pattern: " + p + "; brand: " + b + "</think><emb>");
  }
  out.push_back("红色条纹T恤 女装 夏季");
  out.push_back("emoji 👍🏽 👨‍👩‍👧 café");
  return out;
}

const BpeTokenizer& trained() {
  static const BpeTokenizer tok = BpeTokenizer::train(catalogueCorpus(), 600, 2);
  return tok;
}

std::vector<std::string> roundTripCases() {
  std::vector<std::string> cases{
      "",
      "a",
      "navy striped t-shirt, size 42!",
      "  leading and trailing spaces  ",
      "tabs\tand\nnew\r\nlines\n\n\n",
      "emoji 👍🏽 family 👨‍👩‍👧 flags 🇩🇪🇯🇵",
      "红色条纹T恤 女装 夏季新款",
      "日本語のテキスト、한국어 텍스트",
      "combining: e\u0301 a\u0308 n\u0303 \u0915\u094D\u0937",
      "Ünïcödé ١٢٣٤ \u3000 ideographic space",
      "<think> inside text </think> and <emb><emb>",
      "<thi"
      "nk> broken",
      std::string("nul\0byte", 8),
  };
  // Invalid UTF-8: stray continuation bytes, truncated sequences, overlongs, surrogates.
  cases.push_back("\x80\x81 lone continuation");
  cases.push_back("truncated \xe4\xbd");
  cases.push_back("overlong \xc0\xaf and \xe0\x80\xaf");
  cases.push_back("surrogate \xed\xa0\x80 end");
  cases.push_back("\xff\xfe\xfd");
  std::mt19937 rng(2024);
  for (int i = 0; i < 400; ++i) {
    std::string s(rng() % 120, '\0');
    for (char& c : s) c = char(rng() % 256);
    cases.push_back(s);
  }
  return cases;
}

std::vector<int32_t> idsOf(const BpeTokenizer& tok, std::initializer_list<std::string_view> tokens) {
  std::vector<int32_t> out;
  const auto& vocab = tok.definition().vocab;
  for (auto t : tokens) {
    auto it = std::find_if(vocab.begin(), vocab.end(), [&](const auto& kv) { return kv.second == t; });
    if (it == vocab.end()) throw std::runtime_error("no token " + std::string(t));
    out.push_back(it->first);
  }
  return out;
}

// 10 specials, 256 bytes (id 10 + b), then the listed merges in rank order.
BpeTokenizer handBuilt(const std::vector<std::pair<std::string, std::string>>& merges) {
  BpeDefinition def;
  for (size_t i = 0; i < moon::special::kAll.size(); ++i)
    def.addedTokens.push_back({int32_t(i), std::string(moon::special::kAll[i]), true});
  for (int b = 0; b < 256; ++b) def.vocab[10 + b] = std::string(1, char(b));
  int32_t next = 266;
  for (const auto& [a, b] : merges) {
    bool known = false;
    for (const auto& kv : def.vocab) known = known || kv.second == a + b;
    if (!known) def.vocab[next++] = a + b;
    def.merges.emplace_back(a, b);
  }
  return BpeTokenizer(def, "hand-built");
}

}  // namespace

class TestBpeTokenizer : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void reservesSpecialsThenBytes() {
    const BpeTokenizer& tok = trained();
    for (size_t i = 0; i < moon::special::kAll.size(); ++i) {
      QCOMPARE(tok.tokenId(moon::special::kAll[i]), int32_t(i));
      QVERIFY(tok.isSpecial(int32_t(i)));
    }
    for (int b = 0; b < 256; ++b) QCOMPARE(tok.tokenText(10 + b), std::string(1, char(b)));
    QVERIFY(tok.vocabSize() > 266);
    QVERIFY(tok.vocabSize() <= 600);
    QVERIFY_THROWS_EXCEPTION(moon::Error, tok.tokenId("<nope>"));
    QVERIFY(!tok.findTokenId("<nope>").has_value());
  }

  void roundTripsArbitraryBytes() {
    const BpeTokenizer& tok = trained();
    for (const std::string& s : roundTripCases()) {
      const auto ids = tok.encode(s);
      QCOMPARE(tok.decode(ids), s);
      QCOMPARE(tok.decode(tok.encodePlain(s)), s);
      for (int32_t id : ids) QVERIFY(id >= 0 && id < tok.vocabSize());
    }
  }

  void trainingLearnsFrequentWords() {
    const BpeTokenizer& tok = trained();
    // Frequent catalogue words become single tokens (with their leading space).
    QCOMPARE(tok.encode(" striped").size(), size_t(1));
    QCOMPARE(tok.encode("color").size(), size_t(1));
    // Text never seen still encodes, byte by byte at worst.
    QVERIFY(tok.encode("zqxj").size() >= 2);
  }

  void minFrequencyStopsRarePairs() {
    const BpeTokenizer tok = BpeTokenizer::train({"ab ab ab", "xy"}, 1000, 2);
    QCOMPARE(tok.encode("ab").size(), size_t(1));
    QCOMPARE(tok.encode("xy").size(), size_t(2));  // seen once: below min frequency
    const BpeTokenizer all = BpeTokenizer::train({"ab ab ab", "xy"}, 1000, 1);
    QCOMPARE(all.encode("xy").size(), size_t(1));
    QVERIFY_THROWS_EXCEPTION(moon::ConfigError, BpeTokenizer::train({"x"}, 100));
  }

  void specialTokensAreNeverSplit() {
    const BpeTokenizer& tok = trained();
    const int32_t think = tok.tokenId(moon::special::kThink);
    const int32_t thinkEnd = tok.tokenId(moon::special::kThinkEnd);
    const int32_t emb = tok.tokenId(moon::special::kEmbed);
    const std::string text = "red<think>color: red</think><emb><emb>x<think>";
    const auto ids = tok.encode(text);
    QCOMPARE(std::count(ids.begin(), ids.end(), think), 2);
    QCOMPARE(std::count(ids.begin(), ids.end(), thinkEnd), 1);
    QCOMPARE(std::count(ids.begin(), ids.end(), emb), 2);
    QCOMPARE(ids.back(), think);
    QCOMPARE(tok.decode(ids), text);
    QCOMPARE(tok.decode(ids, true), std::string("redcolor: redx"));
    // Leftmost-longest: "</think>" is not "<" + "/think>" nor a "<think>" inside something else.
    const auto closing = tok.encode("</think>");
    QCOMPARE(closing, std::vector<int32_t>{thinkEnd});
  }

  void specialTokensNeverComeFromOrdinaryText() {
    const BpeTokenizer& tok = trained();
    const auto isSpecial = [&](int32_t id) { return tok.isSpecial(id); };
    for (std::string piece : {"<thi", "nk>", "<", "think", ">", "</thi", "<em", "b>"}) {
      const auto ids = tok.encode(piece);
      QVERIFY2(std::none_of(ids.begin(), ids.end(), isSpecial), piece.c_str());
    }
    // The corpus holds "<think>" hundreds of times, yet no ordinary token spells it.
    for (const auto& [id, bytes] : tok.definition().vocab)
      for (auto special : moon::special::kAll) QVERIFY(bytes.find(special) == std::string::npos);
    // Plain encoding keeps a literal special token as text.
    const auto plain = tok.encodePlain("title with <think> in it");
    QVERIFY(std::none_of(plain.begin(), plain.end(), isSpecial));
    QCOMPARE(tok.decode(plain), std::string("title with <think> in it"));
  }

  void mergesAppliedInRankOrder() {
    // "abc": applying (b,c) first gives [a][bc]; left to right would give [ab][c].
    const BpeTokenizer bcFirst = handBuilt({{"b", "c"}, {"a", "b"}});
    QCOMPARE(bcFirst.encode("abc"), idsOf(bcFirst, {"a", "bc"}));
    const BpeTokenizer abFirst = handBuilt({{"a", "b"}, {"b", "c"}});
    QCOMPARE(abFirst.encode("abc"), idsOf(abFirst, {"ab", "c"}));
    // A chain: (c,d) then (b,cd) then (a,b) -> [a][bcd], since (a,b) is no longer adjacent.
    const BpeTokenizer chain = handBuilt({{"c", "d"}, {"b", "cd"}, {"a", "b"}});
    QCOMPARE(chain.encode("abcd"), idsOf(chain, {"a", "bcd"}));
    // Equal ranks go leftmost first: "aaa" -> [aa][a].
    const BpeTokenizer aa = handBuilt({{"a", "a"}});
    QCOMPARE(aa.encode("aaa"), idsOf(aa, {"aa", "a"}));
    QCOMPARE(aa.encode("aaaa"), idsOf(aa, {"aa", "aa"}));
    // Merges stay inside pre-tokens ("ab" | " ab"): (b, ' ') would cross the boundary.
    const BpeTokenizer spaced = handBuilt({{"b", " "}, {"a", "b"}});
    QCOMPARE(spaced.encode("ab ab"), idsOf(spaced, {"ab", " ", "ab"}));
  }

  void longPreTokensEncodeQuickly() {
    const BpeTokenizer& tok = trained();
    const std::string longWord(200000, 'a');
    const auto start = std::chrono::steady_clock::now();
    const auto ids = tok.encode(longWord);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    QCOMPARE(tok.decode(ids), longWord);
    QVERIFY2(seconds < 2.0, qPrintable(QString("took %1 s").arg(seconds)));
  }

  void trainingIsDeterministic() {
    const BpeTokenizer a = BpeTokenizer::train(catalogueCorpus(), 500);
    const BpeTokenizer b = BpeTokenizer::train(catalogueCorpus(), 500);
    QVERIFY(a.definition().vocab == b.definition().vocab);
    QVERIFY(a.definition().merges == b.definition().merges);
  }

  void trainsFiftyThousandStringsInSeconds() {
    std::vector<std::string> texts;
    std::mt19937 rng(99);
    const char* syllables[] = {"ka", "ro", "mi", "te", "su", "lo", "an", "ve", "di", "ny", "or", "qu", "zé", "日"};
    for (int i = 0; i < 50000; ++i) {
      std::string s;
      const int words = 3 + int(rng() % 6);
      for (int w = 0; w < words; ++w) {
        if (w) s += ' ';
        const int syl = 1 + int(rng() % 4);
        for (int k = 0; k < syl; ++k) s += syllables[rng() % 14];
      }
      s += " " + std::to_string(rng() % 1000);
      texts.push_back(s);
    }
    const auto start = std::chrono::steady_clock::now();
    const BpeTokenizer tok = BpeTokenizer::train(texts, 3000);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    qInfo("trained %d tokens on 50k strings in %.2f s", tok.vocabSize(), seconds);
    QCOMPARE(tok.vocabSize(), 3000);
    QVERIFY2(seconds < 20.0, qPrintable(QString("training took %1 s").arg(seconds)));
    for (int i = 0; i < 50; ++i) QCOMPARE(tok.decode(tok.encode(texts[size_t(i)])), texts[size_t(i)]);
  }

  void concurrentEncodingAgrees() {
    const BpeTokenizer& tok = trained();
    const auto cases = roundTripCases();
    std::vector<std::vector<int32_t>> expected;
    for (const auto& s : cases) expected.push_back(BpeTokenizer(tok.definition()).encode(s));
    std::vector<std::thread> threads;
    std::atomic<int> mismatches{0};
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&] {
        for (int rep = 0; rep < 3; ++rep)
          for (size_t i = 0; i < cases.size(); ++i)
            if (tok.encode(cases[i]) != expected[i]) ++mismatches;
      });
    for (auto& th : threads) th.join();
    QCOMPARE(mismatches.load(), 0);
  }

  void decodeRejectsUnknownIds() {
    const BpeTokenizer& tok = trained();
    QVERIFY_THROWS_EXCEPTION(moon::Error, tok.decode({-1}));
    QVERIFY_THROWS_EXCEPTION(moon::Error, tok.decode({tok.vocabSize()}));
  }
};

QTEST_APPLESS_MAIN(TestBpeTokenizer)
#include "test_bpe_tokenizer.moc"
