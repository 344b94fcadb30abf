#pragma once

// Adapts a BpeTokenizer to what the model and the inference API need.

#include "core/text/BpeTokenizer.h"
#include "model/config/SpecialTokenIds.h"
#include "model/inference/InferenceContext.h"

namespace moon {

// Titles are encoded with encodePlain (a literal "<think>" in a title stays
// text); traces decode without special tokens.
TextCodec textCodecFor(const BpeTokenizer& tokenizer);

// The tokenizer's ids of the special tokens; throws Error naming a missing one.
SpecialTokenIds specialTokenIdsOf(const BpeTokenizer& tokenizer);

}  // namespace moon
