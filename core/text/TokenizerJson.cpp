#include "core/text/TokenizerJson.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/config/Config.h"
#include "core/text/ByteLevel.h"

namespace moon {
namespace {

using nlohmann::json;

// Ids index dense tables; a corrupt file must not make us allocate gigabytes.
constexpr int64_t kMaxTokenId = (int64_t{1} << 24) - 1;

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& what) const { throw FormatError(path_ + ": " + what); }

  const json& member(const json& object, const char* key, const std::string& where) const {
    auto it = object.find(key);
    if (it == object.end()) fail(where + key + " is missing");
    return *it;
  }

  static bool isAbsentOrEmpty(const json& object, const char* key) {
    auto it = object.find(key);
    return it == object.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty());
  }

  std::string tokenBytes(const std::string& vocabForm, const std::string& where) const {
    auto bytes = byte_level::fromVocabForm(vocabForm);
    if (!bytes) fail(where + " '" + vocabForm + "' is not a byte-level token (a character outside GPT-2's byte map)");
    return *bytes;
  }

  int32_t tokenId(const json& value, const std::string& where) const {
    if (!value.is_number_integer()) fail(where + " must be an integer id");
    const int64_t id = value.get<int64_t>();
    if (id < 0 || id > kMaxTokenId) fail(where + " has id " + std::to_string(id) + ", outside [0, 16777215]");
    return static_cast<int32_t>(id);
  }

  void readAddedTokens(const json& root, BpeDefinition& def) const {
    auto it = root.find("added_tokens");
    if (it == root.end() || it->is_null()) return;
    if (!it->is_array()) fail("added_tokens must be a list");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& entry = (*it)[i];
      const std::string where = "added_tokens[" + std::to_string(i) + "]";
      if (!entry.is_object()) fail(where + " must be an object");
      AddedToken token;
      token.id = tokenId(member(entry, "id", where + "."), where + ".id");
      const json& content = member(entry, "content", where + ".");
      if (!content.is_string() || content.get<std::string>().empty())
        fail(where + ".content must be a non-empty string");
      token.content = content.get<std::string>();
      auto special = entry.find("special");
      token.special = special != entry.end() && special->is_boolean() && special->get<bool>();
      for (const AddedToken& other : def.addedTokens)
        if (other.id == token.id) fail(where + " repeats id " + std::to_string(token.id));
      def.addedTokens.push_back(std::move(token));
    }
  }

  void readModel(const json& root, BpeDefinition& def) const {
    const json& model = member(root, "model", "");
    if (!model.is_object()) fail("model must be an object");
    if (auto type = model.find("type"); type != model.end() && *type != "BPE")
      fail("model.type is " + type->dump() + "; only BPE is supported");
    if (!isAbsentOrEmpty(model, "continuing_subword_prefix") || !isAbsentOrEmpty(model, "end_of_word_suffix"))
      fail("model.continuing_subword_prefix / end_of_word_suffix are not supported by byte-level BPE");
    if (auto ignore = model.find("ignore_merges"); ignore != model.end() && ignore->is_boolean())
      def.ignoreMerges = ignore->get<bool>();

    std::vector<int32_t> addedIds;
    for (const AddedToken& t : def.addedTokens) addedIds.push_back(t.id);
    const auto isAdded = [&](int32_t id) { return std::find(addedIds.begin(), addedIds.end(), id) != addedIds.end(); };

    const json& vocab = member(model, "vocab", "model.");
    if (!vocab.is_object()) fail("model.vocab must be an object mapping token to id");
    for (auto it = vocab.begin(); it != vocab.end(); ++it) {
      const std::string where = "model.vocab['" + it.key() + "']";
      const int32_t id = tokenId(it.value(), where);
      if (isAdded(id)) continue;  // an added token listed in the vocabulary too (as HF trainers write it)
      if (!def.vocab.emplace(id, tokenBytes(it.key(), "model.vocab token")).second)
        fail(where + ": id " + std::to_string(id) + " is used by two tokens");
    }

    const json& merges = member(model, "merges", "model.");
    if (!merges.is_array()) fail("model.merges must be a list");
    def.merges.reserve(merges.size());
    for (size_t i = 0; i < merges.size(); ++i) {
      const json& m = merges[i];
      const std::string where = "model.merges[" + std::to_string(i) + "]";
      std::string left, right;
      if (m.is_string()) {
        const std::string s = m.get<std::string>();
        const size_t space = s.find(' ');
        if (space == std::string::npos || space == 0 || space + 1 == s.size() || s.find(' ', space + 1) != s.npos)
          fail(where + " '" + s + "' must be two tokens separated by one space");
        left = s.substr(0, space);
        right = s.substr(space + 1);
      } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
        left = m[0].get<std::string>();
        right = m[1].get<std::string>();
      } else {
        fail(where + " must be \"a b\" or [\"a\", \"b\"]");
      }
      def.merges.emplace_back(tokenBytes(left, where + " token"), tokenBytes(right, where + " token"));
    }
  }

  // ByteLevel and Split(Regex|String, Isolated) stages, alone or in a Sequence.
  void readPreTokenizerStage(const json& stage, const std::string& where, BpeDefinition& def) const {
    if (!stage.is_object()) fail(where + " must be an object");
    const std::string type = stage.value("type", "");
    if (type == "ByteLevel") {
      if (stage.value("add_prefix_space", false)) fail(where + ": ByteLevel add_prefix_space is not supported");
      if (stage.value("use_regex", true)) def.splitPatterns.push_back(PreTokenizer::kGpt2Pattern);
      sawByteLevel_ = true;
    } else if (type == "Split") {
      if (stage.value("behavior", "Isolated") != "Isolated")
        fail(where + ": Split behavior " + stage["behavior"].dump() + " is not supported (only Isolated)");
      if (stage.value("invert", false)) fail(where + ": Split invert is not supported");
      const json& pattern = member(stage, "pattern", where + ".");
      if (pattern.is_object() && pattern.contains("Regex") && pattern["Regex"].is_string())
        def.splitPatterns.push_back(pattern["Regex"].get<std::string>());
      else if (pattern.is_object() && pattern.contains("String") && pattern["String"].is_string())
        def.splitPatterns.push_back("\\Q" + pattern["String"].get<std::string>() + "\\E");
      else
        fail(where + ".pattern must be {\"Regex\": ...} or {\"String\": ...}");
    } else {
      fail(where + ": pre-tokenizer type '" + type + "' is not supported (ByteLevel, Split, Sequence)");
    }
  }

  void readPreTokenizer(const json& root, BpeDefinition& def) const {
    def.splitPatterns.clear();
    const json& pre = member(root, "pre_tokenizer", "");
    if (pre.is_object() && pre.value("type", "") == "Sequence") {
      const json& stages = member(pre, "pretokenizers", "pre_tokenizer.");
      if (!stages.is_array()) fail("pre_tokenizer.pretokenizers must be a list");
      for (size_t i = 0; i < stages.size(); ++i)
        readPreTokenizerStage(stages[i], "pre_tokenizer.pretokenizers[" + std::to_string(i) + "]", def);
    } else {
      readPreTokenizerStage(pre, "pre_tokenizer", def);
    }
    if (!sawByteLevel_) fail("pre_tokenizer has no ByteLevel stage; only byte-level BPE is supported");
  }

  void checkNormalizerAndDecoder(const json& root) const {
    if (auto n = root.find("normalizer"); n != root.end() && !n->is_null()) {
      const std::string type = n->is_object() ? n->value("type", "") : "";
      if (type != "NFC") fail("normalizer '" + type + "' is not supported");
      // Catalogue text is NFC already in practice; we tokenize text exactly as given.
      log::core()->warn("{}: NFC normalizer is not applied; text is tokenized as given", path_);
    }
    if (auto d = root.find("decoder"); d != root.end() && !d->is_null()) {
      if (!d->is_object() || d->value("type", "") != "ByteLevel")
        fail("decoder must be ByteLevel, got " + d->dump().substr(0, 80));
    }
  }

 private:
  std::string path_;
  mutable bool sawByteLevel_ = false;
};

nlohmann::ordered_json addedTokenJson(const AddedToken& t) {
  nlohmann::ordered_json j;
  j["id"] = t.id;
  j["content"] = t.content;
  j["single_word"] = false;
  j["lstrip"] = false;
  j["rstrip"] = false;
  j["normalized"] = false;
  j["special"] = t.special;
  return j;
}

void writeFileAtomically(const std::string& path, const std::string& data) {
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw IoError(path + ": cannot create temporary file " + tmp);
  const bool written =
      std::fwrite(data.data(), 1, data.size(), f) == data.size() && std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
  const bool closed = std::fclose(f) == 0;
  std::error_code ec;
  if (!written || !closed) {
    std::filesystem::remove(tmp, ec);
    throw IoError(path + ": cannot write (disk full?)");
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw IoError(path + ": cannot replace file: " + ec.message());
  }
}

}  // namespace

BpeDefinition readTokenizerJson(const std::string& path) { return tokenizerFromJson(readJsonFile(path), path); }

BpeDefinition tokenizerFromJson(const json& root, const std::string& origin) {
  Reader reader(origin);
  if (!root.is_object()) reader.fail("expected a JSON object at the top level");
  BpeDefinition def;
  try {
    reader.readAddedTokens(root, def);
    reader.readModel(root, def);
    reader.readPreTokenizer(root, def);
    reader.checkNormalizerAndDecoder(root);
  } catch (const json::exception& e) {
    // A field of an unexpected type somewhere we read with value().
    reader.fail(e.what());
  }
  return def;
}

void writeTokenizerJson(const BpeDefinition& def, const std::string& path) {
  using ojson = nlohmann::ordered_json;
  ojson root;
  root["version"] = "1.0";
  root["truncation"] = nullptr;
  root["padding"] = nullptr;
  ojson added = ojson::array();
  for (const AddedToken& t : def.addedTokens) added.push_back(addedTokenJson(t));
  root["added_tokens"] = added;
  root["normalizer"] = nullptr;

  ojson byteLevel = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", false}, {"use_regex", false}};
  ojson stages = ojson::array();
  for (const std::string& pattern : def.splitPatterns)
    stages.push_back(
        {{"type", "Split"}, {"pattern", {{"Regex", pattern}}}, {"behavior", "Isolated"}, {"invert", false}});
  stages.push_back(byteLevel);
  root["pre_tokenizer"] = {{"type", "Sequence"}, {"pretokenizers", stages}};
  root["post_processor"] = nullptr;
  root["decoder"] = byteLevel;

  // Vocabulary in id order, added tokens included (as Hugging Face trainers write it).
  std::map<int32_t, std::string> byId;
  for (const auto& [id, bytes] : def.vocab) byId[id] = byte_level::toVocabForm(bytes);
  for (const AddedToken& t : def.addedTokens) byId[t.id] = t.content;
  ojson vocab = ojson::object();
  for (const auto& [id, text] : byId) vocab[text] = id;
  ojson merges = ojson::array();
  for (const auto& [a, b] : def.merges) merges.push_back(byte_level::toVocabForm(a) + " " + byte_level::toVocabForm(b));

  ojson model;
  model["type"] = "BPE";
  model["dropout"] = nullptr;
  model["unk_token"] = nullptr;
  model["continuing_subword_prefix"] = nullptr;
  model["end_of_word_suffix"] = nullptr;
  model["fuse_unk"] = false;
  model["byte_fallback"] = false;
  model["ignore_merges"] = def.ignoreMerges;
  model["vocab"] = std::move(vocab);
  model["merges"] = std::move(merges);
  root["model"] = std::move(model);

  writeFileAtomically(path, root.dump(2) + "\n");
}

}  // namespace moon
