#include "model/inference/TokenizerCodec.h"

#include "core/text/Utf8.h"

namespace moon {

TextCodec textCodecFor(const BpeTokenizer& tokenizer) {
  TextCodec codec;
  codec.encode = [tokenizer](const std::string& text) {
    const auto ids = tokenizer.encodePlain(text);
    return std::vector<int64_t>(ids.begin(), ids.end());
  };
  codec.decode = [tokenizer](const std::vector<int64_t>& ids) {
    // Shown to the user: a trace cut inside a character reads as U+FFFD.
    return utf8::lossy(tokenizer.decode(std::vector<int32_t>(ids.begin(), ids.end()), /*skipSpecial=*/true));
  };
  codec.tokenText = [tokenizer](int64_t id) { return tokenizer.tokenText(static_cast<int32_t>(id)); };
  codec.vocabSize = tokenizer.vocabSize();
  return codec;
}

SpecialTokenIds specialTokenIdsOf(const BpeTokenizer& tokenizer) {
  return SpecialTokenIds::fromLookup([&](std::string_view name) { return int64_t{tokenizer.tokenId(name)}; });
}

}  // namespace moon
