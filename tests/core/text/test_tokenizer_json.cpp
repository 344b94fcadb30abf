#include <QtTest>

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/base/Error.h"
#include "core/text/BpeTokenizer.h"
#include "core/text/SpecialTokens.h"

using moon::BpeTokenizer;
using nlohmann::json;

namespace {

// GPT-2's bytes_to_unicode written out independently of core/text/ByteLevel,
// in GPT-2's own vocabulary order (printable bytes first).
std::vector<std::pair<int, std::string>> gpt2ByteTokens() {
  std::vector<int> bytes;
  for (int b = '!'; b <= '~'; ++b) bytes.push_back(b);
  for (int b = 0xA1; b <= 0xAC; ++b) bytes.push_back(b);
  for (int b = 0xAE; b <= 0xFF; ++b) bytes.push_back(b);
  std::vector<int> codePoints = bytes;
  int n = 0;
  for (int b = 0; b < 256; ++b)
    if (std::find(bytes.begin(), bytes.end(), b) == bytes.end()) {
      bytes.push_back(b);
      codePoints.push_back(256 + n++);
    }
  std::vector<std::pair<int, std::string>> out;
  for (size_t i = 0; i < bytes.size(); ++i)
    out.emplace_back(bytes[i], QString(QChar(char16_t(codePoints[i]))).toStdString());
  return out;
}

// A Qwen2-style tokenizer.json: 256 byte tokens, a few merges, Qwen's added tokens.
json qwenStyle(bool mergesAsPairs) {
  json vocab = json::object();
  int id = 0;
  for (const auto& [byte, text] : gpt2ByteTokens()) vocab[text] = id++;
  const std::vector<std::pair<std::string, std::string>> merges{{"Ġ", "t"}, {"h", "e"},  {"Ġt", "he"}, {"1", "2"},
                                                                {"r", "e"}, {"Ġ", "re"}, {"Ġre", "d"}};
  json mergeList = json::array();
  for (const auto& [a, b] : merges) {
    vocab[a + b] = id++;
    mergeList.push_back(mergesAsPairs ? json::array({a, b}) : json(a + " " + b));
  }
  const int endOfText = id++;
  const int imStart = id++;
  return json{
      {"version", "1.0"},
      {"truncation", nullptr},
      {"padding", nullptr},
      {"added_tokens", json::array({{{"id", endOfText},
                                     {"content", "<|endoftext|>"},
                                     {"single_word", false},
                                     {"lstrip", false},
                                     {"rstrip", false},
                                     {"normalized", false},
                                     {"special", true}},
                                    {{"id", imStart}, {"content", "<|im_start|>"}, {"special", true}}})},
      {"normalizer", {{"type", "NFC"}}},
      {"pre_tokenizer",
       {{"type", "Sequence"},
        {"pretokenizers",
         json::array(
             {{{"type", "Split"},
               {"pattern",
                {{"Regex",
                  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| "
                  "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"}}},
               {"behavior", "Isolated"},
               {"invert", false}},
              {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", false}, {"use_regex", false}}})}}},
      {"post_processor", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", false}}},
      {"decoder", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", false}, {"use_regex", false}}},
      {"model",
       {{"type", "BPE"},
        {"dropout", nullptr},
        {"unk_token", nullptr},
        {"continuing_subword_prefix", ""},
        {"end_of_word_suffix", ""},
        {"fuse_unk", false},
        {"byte_fallback", false},
        {"vocab", vocab},
        {"merges", mergeList}}}};
}

void writeText(const QString& path, const std::string& text) {
  std::ofstream out(path.toStdString(), std::ios::binary);
  out << text;
}

void writeJson(const QString& path, const json& j) { writeText(path, j.dump(1)); }

// Loading `j` fails with a FormatError whose message names the file and contains `expected`.
void expectFormatError(const QTemporaryDir& dir, const std::string& name, const json& j, const QString& expected) {
  const QString path = dir.filePath(QString::fromStdString(name));
  writeJson(path, j);
  try {
    BpeTokenizer::load(path.toStdString());
    QFAIL(qPrintable("no error for " + QString::fromStdString(name)));
  } catch (const moon::FormatError& e) {
    const QString msg = e.what();
    QVERIFY2(msg.contains(path), qPrintable(msg));
    QVERIFY2(msg.contains(expected), qPrintable(msg + "  (expected: " + expected + ")"));
  }
}

}  // namespace

class TestTokenizerJson : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void loadsQwenStyleFileWithEitherMergeFormat() {
    QTemporaryDir dir;
    const QString strings = dir.filePath("strings.json"), pairs = dir.filePath("pairs.json");
    writeJson(strings, qwenStyle(false));
    writeJson(pairs, qwenStyle(true));
    const BpeTokenizer a = BpeTokenizer::load(strings.toStdString());
    const BpeTokenizer b = BpeTokenizer::load(pairs.toStdString());
    const json vocab = qwenStyle(false)["model"]["vocab"];

    QCOMPARE(a.vocabSize(), 256 + 7 + 2);
    QCOMPARE(a.tokenId("<|endoftext|>"), 263);
    QVERIFY(!a.findTokenId(moon::special::kPad));  // Qwen has none of ours

    // " the" -> Ġ t, h e, Ġt he: one token; " red" likewise via Ġ re, Ġre d.
    QCOMPARE(a.encode(" the"), std::vector<int32_t>{vocab["Ġthe"].get<int32_t>()});
    QCOMPARE(a.encode(" red"), std::vector<int32_t>{vocab["Ġred"].get<int32_t>()});
    // Qwen's pattern splits digits one by one, so the "1 2" merge never applies.
    QCOMPARE(a.encode("12"), (std::vector<int32_t>{vocab["1"].get<int32_t>(), vocab["2"].get<int32_t>()}));
    // Byte tokens in GPT-2 order: '!' is 0, ' ' is 'Ġ'.
    QCOMPARE(a.encode("!"), std::vector<int32_t>{0});
    QCOMPARE(a.encode(" "), std::vector<int32_t>{vocab["Ġ"].get<int32_t>()});

    const std::string text = "<|im_start|> the red 12 红 👍\xff<|endoftext|>";
    const auto ids = a.encode(text);
    QCOMPARE(ids.front(), 264);
    QCOMPARE(ids.back(), 263);
    QCOMPARE(a.decode(ids), text);
    QCOMPARE(b.encode(text), ids);
    QCOMPARE(a.decode(ids, true), std::string(" the red 12 红 👍\xff"));
  }

  void saveThenLoadGivesIdenticalEncodings() {
    std::vector<std::string> corpus;
    for (int i = 0; i < 200; ++i)
      corpus.push_back("acme navy striped hoodie " + std::to_string(i) + " <think>color: navy</think>");
    const BpeTokenizer trained = BpeTokenizer::train(corpus, 400);
    QTemporaryDir dir;
    const std::string path = dir.filePath("tokenizer.json").toStdString();
    trained.save(path);
    trained.save(path);                                                                // overwriting is fine
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"tokenizer.json"});  // no temporary left

    const BpeTokenizer loaded = BpeTokenizer::load(path);
    QCOMPARE(loaded.vocabSize(), trained.vocabSize());
    QVERIFY(loaded.definition().vocab == trained.definition().vocab);
    QVERIFY(loaded.definition().merges == trained.definition().merges);
    for (const std::string s : {"acme navy striped hoodie 17", "<think>color: red</think><emb>", "x\xff\xc3 ü 日本",
                                "  spaces\n\nnewlines 123456"}) {
      QCOMPARE(loaded.encode(s), trained.encode(s));
      QCOMPARE(loaded.decode(loaded.encode(s)), s);
    }

    // The file is in the Hugging Face layout.
    std::ifstream in(path);
    const json j = json::parse(in);
    QCOMPARE(j["version"].get<std::string>(), std::string("1.0"));
    QCOMPARE(j["model"]["type"].get<std::string>(), std::string("BPE"));
    QCOMPARE(j["added_tokens"][0]["content"].get<std::string>(), std::string("<pad>"));
    QCOMPARE(j["added_tokens"][9]["content"].get<std::string>(), std::string("<disc_emb>"));
    QCOMPARE(j["model"]["vocab"]["<think>"].get<int>(), 6);
    QCOMPARE(j["model"]["vocab"]["Ġ"].get<int>(), 10 + ' ');
    QCOMPARE(j["decoder"]["type"].get<std::string>(), std::string("ByteLevel"));
    QVERIFY(j["model"]["merges"].size() == trained.definition().merges.size());
  }

  void malformedFilesAreClearErrors() {
    QTemporaryDir dir;
    json noModel = qwenStyle(false);
    noModel.erase("model");
    expectFormatError(dir, "no-model.json", noModel, "model is missing");

    json noVocab = qwenStyle(false);
    noVocab["model"].erase("vocab");
    expectFormatError(dir, "no-vocab.json", noVocab, "model.vocab is missing");

    json unknownMerge = qwenStyle(false);
    unknownMerge["model"]["merges"].push_back("Ġzz q");
    expectFormatError(dir, "unknown-merge.json", unknownMerge, "unknown token 'Ġzz'");

    json unknownResult = qwenStyle(true);
    unknownResult["model"]["merges"].push_back(json::array({"q", "q"}));
    expectFormatError(dir, "merge-result.json", unknownResult, "'qq', not in the vocabulary");

    json badMerge = qwenStyle(false);
    badMerge["model"]["merges"][0] = "Ġt";
    expectFormatError(dir, "bad-merge.json", badMerge, "model.merges[0]");

    json badId = qwenStyle(false);
    badId["model"]["vocab"]["!"] = "zero";
    expectFormatError(dir, "bad-id.json", badId, "must be an integer id");

    json missingByte = qwenStyle(false);
    missingByte["model"]["vocab"].erase("Ġ");
    expectFormatError(dir, "missing-byte.json", missingByte, "no token for byte 32");

    json notByteLevel = qwenStyle(false);
    notByteLevel["model"]["vocab"]["▁word"] = 9999;
    expectFormatError(dir, "not-byte-level.json", notByteLevel, "not a byte-level token");

    json sparse = qwenStyle(false);
    sparse["model"]["vocab"]["Ġred"] = 9000000;
    expectFormatError(dir, "sparse.json", sparse, "ids go up to 9000000");

    json wordPiece = qwenStyle(false);
    wordPiece["model"]["type"] = "WordPiece";
    expectFormatError(dir, "wordpiece.json", wordPiece, "only BPE");

    json metaspace = qwenStyle(false);
    metaspace["pre_tokenizer"] = {{"type", "Metaspace"}};
    expectFormatError(dir, "metaspace.json", metaspace, "'Metaspace' is not supported");

    json badRegex = qwenStyle(false);
    badRegex["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "(\\p{L";
    expectFormatError(dir, "bad-regex.json", badRegex, "regex");

    json badType = qwenStyle(false);
    badType["pre_tokenizer"]["pretokenizers"][1]["add_prefix_space"] = "yes";
    expectFormatError(dir, "bad-type.json", badType, "type");

    const QString notJson = dir.filePath("not-json.json");
    writeText(notJson, "{\"model\": ");
    QVERIFY_THROWS_EXCEPTION(moon::FormatError, BpeTokenizer::load(notJson.toStdString()));
    QVERIFY_THROWS_EXCEPTION(moon::IoError, BpeTokenizer::load(dir.filePath("absent.json").toStdString()));
  }

  void saveToUnwritablePlaceIsIoError() {
    const BpeTokenizer tok = BpeTokenizer::train({"a b c"}, 270, 1);
    QVERIFY_THROWS_EXCEPTION(moon::IoError, tok.save("/nonexistent-dir/tokenizer.json"));
  }
};

QTEST_APPLESS_MAIN(TestTokenizerJson)
#include "test_tokenizer_json.moc"
