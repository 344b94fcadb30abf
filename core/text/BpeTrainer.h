#pragma once

// Learns byte-level BPE merges from a corpus (used by BpeTokenizer::train).
//
// Pair frequencies are counted over unique pre-tokens weighted by their
// counts and updated incrementally after each merge, touching only the words
// that contain the merged pair; a lazy max-heap picks the next pair (highest
// count, ties by the smaller token ids, so the result is deterministic).

#include <string>
#include <vector>

#include "core/text/TokenizerJson.h"

namespace moon {

// Ids: the special tokens of SpecialTokens.h as 0..9, byte b as 10 + b, then
// one token per merge. Throws ConfigError for vocabSize < 266 or minFrequency < 1.
BpeDefinition trainBpe(const std::vector<std::string>& texts, int vocabSize, int minFrequency);

}  // namespace moon
