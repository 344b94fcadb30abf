#pragma once

// Reading and writing the Hugging Face tokenizer.json layout for byte-level
// BPE (GPT-2, Qwen2, Llama 3 and ours):
//   {"version": "1.0",
//    "added_tokens": [{"id": 0, "content": "<pad>", "special": true, ...}],
//    "pre_tokenizer": Sequence[Split(Regex, Isolated)..., ByteLevel] or ByteLevel,
//    "decoder": ByteLevel,
//    "model": {"type": "BPE", "vocab": {"Ġred": 1234, ...}, "merges": ["Ġ r", ...] or [["Ġ", "r"], ...]}}
// Vocabulary and merge entries are in GPT-2's byte-level text form
// (ByteLevel.h); in memory they are raw bytes.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/text/PreTokenizer.h"

namespace moon {

struct AddedToken {
  int32_t id = 0;
  std::string content;  // matched literally in text, never split
  bool special = true;  // skipped by decode(..., skipSpecial = true)
};

// What a byte-level BPE tokenizer.json says, in raw bytes.
struct BpeDefinition {
  std::map<int32_t, std::string> vocab;  // id -> token bytes; ordinary tokens only (no added-token ids)
  std::vector<AddedToken> addedTokens;
  std::vector<std::pair<std::string, std::string>> merges;                // in rank order (first = applied first)
  std::vector<std::string> splitPatterns{PreTokenizer::kDefaultPattern};  // applied one after another
  bool ignoreMerges = false;  // a whole pre-token found in the vocabulary is taken as is (Llama 3)
};

// Throws IoError / FormatError naming `path` and the problem (a missing
// model.vocab, an unsupported pre-tokenizer, a malformed merge, ...).
BpeDefinition readTokenizerJson(const std::string& path);
// The same for a document already parsed; `origin` names it in errors.
BpeDefinition tokenizerFromJson(const nlohmann::json& root, const std::string& origin);

// Writes atomically (temporary file + rename); throws IoError naming `path`.
void writeTokenizerJson(const BpeDefinition& definition, const std::string& path);

}  // namespace moon
