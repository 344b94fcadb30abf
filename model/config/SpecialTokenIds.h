#pragma once

// Ids of the special tokens (core/text/SpecialTokens.h) as the model sees
// them. A tokenizer trained by us reserves ids 0..9 in kAll's order, which is
// the default here; a loaded tokenizer supplies its own through fromLookup().

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/config/Config.h"

namespace moon {

struct SpecialTokenIds {
  int64_t pad = 0;
  int64_t bos = 1;
  int64_t eos = 2;
  int64_t imageStart = 3;
  int64_t imageEnd = 4;
  int64_t imagePad = 5;
  int64_t think = 6;
  int64_t thinkEnd = 7;
  int64_t embed = 8;
  int64_t discEmbed = 9;

  // `lookup` maps a name of special::kAll to its id (throwing if unknown).
  static SpecialTokenIds fromLookup(const std::function<int64_t(std::string_view)>& lookup);

  std::vector<int64_t> all() const;  // in special::kAll order
  int64_t maxId() const;

  nlohmann::json toJson() const;  // {"<pad>": 0, ...}
  // Throws FormatError naming `origin` when a token is missing or not an integer.
  static SpecialTokenIds fromJson(const nlohmann::json& j, const std::string& origin);

  // The ids by token name (core/config/Config.h), in special::kAll order.
  template <class V>
  void visit(V& v) {
    const Range ids{0, 1e12};
    v.field("<pad>", pad, "", ids);
    v.field("<bos>", bos, "", ids);
    v.field("<eos>", eos, "", ids);
    v.field("<img>", imageStart, "", ids);
    v.field("</img>", imageEnd, "", ids);
    v.field("<img_pad>", imagePad, "", ids);
    v.field("<think>", think, "", ids);
    v.field("</think>", thinkEnd, "", ids);
    v.field("<emb>", embed, "", ids);
    v.field("<disc_emb>", discEmbed, "", ids);
  }

  bool operator==(const SpecialTokenIds& o) const { return all() == o.all(); }
};

}  // namespace moon
