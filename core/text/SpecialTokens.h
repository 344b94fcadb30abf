#pragma once

#include <array>
#include <string_view>

namespace moon {

// Special tokens of the MOON sequence layout (DESIGN.md §1–2):
//   <bos> [<img> patches </img>] [title] <disc_emb> <think> trace </think> <emb>
// Image patch positions hold <img_pad> placeholders whose embeddings the model
// replaces with the patch merger's output. A tokenizer trained by us reserves
// these ids first, in this order; a loaded Hugging Face tokenizer maps them by
// name (see BpeTokenizer::tokenId).
namespace special {
inline constexpr std::string_view kPad = "<pad>";
inline constexpr std::string_view kBos = "<bos>";
inline constexpr std::string_view kEos = "<eos>";
inline constexpr std::string_view kImageStart = "<img>";
inline constexpr std::string_view kImageEnd = "</img>";
inline constexpr std::string_view kImagePad = "<img_pad>";
inline constexpr std::string_view kThink = "<think>";
inline constexpr std::string_view kThinkEnd = "</think>";
inline constexpr std::string_view kEmbed = "<emb>";
inline constexpr std::string_view kDiscEmbed = "<disc_emb>";

inline constexpr std::array<std::string_view, 10> kAll = {kPad,      kBos,   kEos,      kImageStart, kImageEnd,
                                                          kImagePad, kThink, kThinkEnd, kEmbed,      kDiscEmbed};
}  // namespace special

}  // namespace moon
