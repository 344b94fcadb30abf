#pragma once

// Marketplace titles (keyword soup) and short shopper queries.

#include <string>
#include <vector>

#include "core/data/Product.h"
#include "core/synth/Rng.h"
#include "core/synth/Vocabulary.h"

namespace moon::synth {

// The word order and filler words of one family's titles. Near-duplicates
// share it, so their titles differ exactly in the text attribute that
// differs (and not at all when only an image attribute differs).
struct TitleLayout {
  std::vector<std::string> slots;  // attribute keys, "#noun" or a literal filler word
  bool brandUpper = false;         // "ACME" instead of "Acme"
};

TitleLayout makeTitleLayout(Rng& rng);

// Writes the text attributes (brand, material, season, style) and the
// category's nouns; image attributes never appear in a title.
std::string writeTitle(const TitleLayout& layout, const CategorySpec& category, const Attributes& textAttributes,
                       Rng& nounRng);

struct QueryText {
  std::string text;      // "looking for red striped tee with a chest pocket"
  Attributes mentioned;  // the attributes the text states
};

// A short query naming the category and `mustMention` plus up to `extra`
// other attributes of the product, chosen at random.
QueryText writeQueryText(const CategorySpec& category, const Attributes& attributes,
                         const std::vector<std::string>& mustMention, int extra, Rng& rng);

}  // namespace moon::synth
