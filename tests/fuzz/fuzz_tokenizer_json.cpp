// tokenizer.json of a dataset (ours or a Hugging Face byte-level BPE): read,
// checked by the tokenizer, then held to its promise decode(encode(s)) == s.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "FuzzTargets.h"
#include "core/base/Error.h"
#include "core/text/BpeTokenizer.h"

namespace moon::fuzz {
namespace {

void requireRoundTrip(const BpeTokenizer& tokenizer, const std::string& text) {
  if (tokenizer.decode(tokenizer.encode(text)) != text) violated("decode(encode(s)) != s for s = '" + text + "'");
  if (tokenizer.decode(tokenizer.encodePlain(text)) != text)
    violated("decode(encodePlain(s)) != s for s = '" + text + "'");
}

}  // namespace

bool fuzzTokenizerJson(const uint8_t* data, size_t size) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(data, data + size);
  } catch (const nlohmann::json::exception&) {
    return false;  // readJsonFile turns this into a FormatError naming the file
  }
  std::optional<BpeTokenizer> tokenizer;
  try {
    tokenizer.emplace(tokenizerFromJson(root, "fuzz-tokenizer.json"), "fuzz-tokenizer.json");
  } catch (const Error&) {
    return false;
  }
  // Outside the try: an accepted tokenizer must not throw on any text.
  requireRoundTrip(*tokenizer, "color: red; pattern: striped <think>sleeve: short</think>");
  requireRoundTrip(*tokenizer, std::string(reinterpret_cast<const char*>(data), size > 256 ? 256 : size));
  return true;
}

}  // namespace moon::fuzz
