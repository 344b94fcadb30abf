#pragma once

// Byte-level BPE tokenizer of the GPT-2 / Qwen family.
//
// encode: added tokens written literally ("<think>") become their ids; the
// text between them is split by the pre-tokenizer regex(es) and each piece,
// as bytes, is merged by rank (lowest first). Every byte has a token, so any
// byte string encodes and decode(encode(s)) == s, invalid UTF-8 included.
//
// Our trained tokenizers reserve the special tokens of SpecialTokens.h as ids
// 0..9 in that order, then the 256 byte tokens (id 10 + byte value), then one
// token per merge. A Hugging Face tokenizer.json of the same family (Qwen2,
// GPT-2, Llama 3) loads with the same code; its special tokens are found by
// name (tokenId) and may lack ours.
//
// Copies are cheap and share the (immutable) tables and the encode cache;
// every const method is thread-safe.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/text/TokenizerJson.h"

namespace moon {

class BpeTokenizer {
 public:
  // Checks the definition: every byte has a token, every merge joins known
  // tokens into a known token. Throws FormatError prefixed with `origin`.
  explicit BpeTokenizer(BpeDefinition definition, const std::string& origin = "tokenizer");

  // Learns merges over `texts` until `vocabSize` tokens (>= 266) or until no
  // pair occurs `minFrequency` times. Special tokens in the texts are cut out
  // first; no merge ever produces a special token's text.
  static BpeTokenizer train(const std::vector<std::string>& texts, int vocabSize, int minFrequency = 2);

  static BpeTokenizer load(const std::string& tokenizerJsonPath);
  void save(const std::string& path) const;  // atomic: temporary file + rename

  std::vector<int32_t> encode(std::string_view text) const;
  // Encodes every byte as ordinary text: a literal "<think>" in a product
  // title stays text and cannot inject a control token into the model input.
  std::vector<int32_t> encodePlain(std::string_view text) const;
  // Throws Error for an id outside the vocabulary.
  std::string decode(const std::vector<int32_t>& ids, bool skipSpecial = false) const;

  int32_t tokenId(std::string_view specialToken) const;  // throws Error when absent
  std::optional<int32_t> findTokenId(std::string_view specialToken) const;
  // The token's bytes (may be part of a UTF-8 character), or an added token's content.
  std::string tokenText(int32_t id) const;
  bool isSpecial(int32_t id) const;
  int vocabSize() const;  // largest id + 1

  const BpeDefinition& definition() const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace moon
