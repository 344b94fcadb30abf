#include "model/inference/LoadInference.h"

#include "core/base/Error.h"
#include "core/text/BpeTokenizer.h"
#include "model/inference/TokenizerCodec.h"

namespace moon {

std::unique_ptr<InferenceContext> loadInferenceContext(const std::string& checkpointPath, const torch::Device& device,
                                                       const std::string& tokenizerPath) {
  CheckpointInfo info;
  auto model = loadModelCheckpoint(checkpointPath, device, &info);
  const std::string path = tokenizerPath.empty() ? resolveTokenizerPath(checkpointPath, info) : tokenizerPath;
  TextCodec codec;
  if (!path.empty()) {
    const auto tokenizer = BpeTokenizer::load(path);
    if (!(specialTokenIdsOf(tokenizer) == info.special))
      throw FormatError(path + ": the tokenizer's special-token ids differ from the checkpoint's " +
                        info.special.toJson().dump());
    if (tokenizer.vocabSize() > info.config.language.vocab_size)
      throw FormatError(path + ": the tokenizer has " + std::to_string(tokenizer.vocabSize()) +
                        " tokens, more than the model's vocabulary of " +
                        std::to_string(info.config.language.vocab_size));
    codec = textCodecFor(tokenizer);
  }
  return std::make_unique<InferenceContext>(model, codec);
}

}  // namespace moon
