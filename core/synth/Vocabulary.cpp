#include "core/synth/Vocabulary.h"

#include <cassert>

namespace moon::synth {
namespace {

AttributeSpec visualDetail(std::string key, std::vector<AttributeValue> values) {
  return AttributeSpec{std::move(key), true, false, std::move(values)};
}

AttributeSpec color() {
  std::vector<AttributeValue> v;
  for (const char* c : {"red", "orange", "yellow", "green", "teal", "blue", "navy", "purple", "pink", "brown", "beige",
                        "grey", "black", "white"})
    v.push_back({c, c});
  return AttributeSpec{"color", true, true, v};
}

AttributeSpec pattern(const std::vector<std::string>& allowed) {
  std::vector<AttributeValue> v;
  for (const auto& p : allowed) {
    if (p == "solid") v.push_back({"solid", "plain"});
    if (p == "striped") v.push_back({"striped", "striped"});
    if (p == "dotted") v.push_back({"dotted", "polka dot"});
    if (p == "checked") v.push_back({"checked", "checked"});
  }
  return AttributeSpec{"pattern", true, true, v};
}

AttributeSpec logo() {
  return visualDetail("logo",
                      {{"none", "no logo"}, {"star", "star logo"}, {"circle", "round logo"}, {"text", "text logo"}});
}

AttributeSpec textAttribute(std::string key, const std::vector<std::string>& values) {
  std::vector<AttributeValue> v;
  for (const auto& s : values) v.push_back({s, s});
  return AttributeSpec{std::move(key), false, true, v};
}

std::vector<AttributeSpec> textAttributes(const std::vector<std::string>& materials) {
  return {textAttribute("brand", {"acme", "nordkap", "velora", "kumo", "brisa", "tallis", "orvik", "zenji", "marlo",
                                  "fenwick", "lumo", "qadra"}),
          textAttribute("material", materials),
          textAttribute("season", {"spring", "summer", "autumn", "winter", "all-season"}),
          textAttribute("style", {"casual", "sport", "vintage", "business", "street", "minimalist"})};
}

CategorySpec category(std::string coarse, std::string fine, std::vector<std::string> titleNouns,
                      std::vector<std::string> queryNouns, const std::vector<std::string>& patterns,
                      std::vector<AttributeSpec> details, const std::vector<std::string>& materials) {
  CategorySpec c{std::move(coarse), std::move(fine), std::move(titleNouns), std::move(queryNouns), {}};
  c.attributes.push_back(color());
  c.attributes.push_back(pattern(patterns));
  c.attributes.push_back(logo());
  for (auto& d : details) c.attributes.push_back(std::move(d));
  for (auto& t : textAttributes(materials)) c.attributes.push_back(std::move(t));
  return c;
}

std::vector<CategorySpec> buildCategories() {
  const std::vector<std::string> allPatterns = {"solid", "striped", "dotted", "checked"};
  const std::vector<std::string> fabrics = {"cotton", "linen", "polyester", "wool", "viscose"};
  std::vector<CategorySpec> c;
  c.push_back(category("apparel", "t-shirt", {"T-Shirt", "Tee", "Top", "Shirt"}, {"t-shirt", "tee", "t shirt"},
                       allPatterns,
                       {visualDetail("sleeve", {{"short", "short sleeves"}, {"long", "long sleeves"}}),
                        visualDetail("neckline", {{"crew", "crew neck"}, {"v-neck", "v-neck"}}),
                        visualDetail("pocket", {{"none", "no pocket"}, {"chest", "chest pocket"}})},
                       fabrics));
  c.push_back(category(
      "apparel", "dress", {"Dress", "Frock", "Party Dress"}, {"dress"}, allPatterns,
      {visualDetail("sleeve", {{"sleeveless", "no sleeves"}, {"short", "short sleeves"}, {"long", "long sleeves"}}),
       visualDetail("length", {{"mini", "mini length"}, {"midi", "midi length"}, {"maxi", "maxi length"}}),
       visualDetail("belt", {{"none", "no belt"}, {"belted", "a belt"}})},
      fabrics));
  c.push_back(category("apparel", "hoodie", {"Hoodie", "Hooded Sweatshirt", "Hoody", "Hooded Top"}, {"hoodie", "hoody"},
                       allPatterns,
                       {visualDetail("closure", {{"pullover", "no zip"}, {"zip", "full zip"}}),
                        visualDetail("pocket", {{"none", "no pocket"}, {"kangaroo", "kangaroo pocket"}})},
                       {"cotton", "fleece", "polyester", "wool"}));
  c.push_back(category("apparel", "trousers", {"Trousers", "Pants", "Slacks"}, {"trousers", "pants"},
                       {"solid", "striped", "checked"},
                       {visualDetail("fit", {{"slim", "slim fit"}, {"wide", "wide leg"}}),
                        visualDetail("length", {{"full", "full length"}, {"cropped", "cropped length"}}),
                        visualDetail("pocket", {{"none", "no cargo pockets"}, {"cargo", "cargo pockets"}})},
                       {"cotton", "linen", "denim", "wool", "corduroy"}));
  c.push_back(category("bags", "handbag", {"Handbag", "Tote Bag", "Purse", "Hand Bag"}, {"handbag", "purse"},
                       {"solid", "striped", "checked", "dotted"},
                       {visualDetail("handle", {{"single", "one handle"}, {"double", "two handles"}}),
                        visualDetail("closure", {{"zip", "zip top"}, {"flap", "flap closure"}}),
                        visualDetail("strap", {{"none", "no shoulder strap"}, {"shoulder", "shoulder strap"}})},
                       {"leather", "canvas", "nylon", "suede"}));
  c.push_back(category(
      "bags", "backpack", {"Backpack", "Rucksack", "Daypack"}, {"backpack", "rucksack"},
      {"solid", "striped", "checked"},
      {visualDetail("pocket", {{"none", "no front pocket"}, {"one", "one front pocket"}, {"two", "two front pockets"}}),
       visualDetail("flap", {{"none", "zip top"}, {"flap", "top flap"}})},
      {"canvas", "nylon", "leather", "polyester"}));
  c.push_back(category("footwear", "sneaker", {"Sneakers", "Trainers", "Running Shoes", "Shoes"},
                       {"sneakers", "trainers"}, {"solid", "striped"},
                       {visualDetail("laces", {{"white", "white laces"}, {"black", "black laces"}}),
                        visualDetail("sole", {{"white", "white sole"}, {"black", "black sole"}, {"gum", "gum sole"}}),
                        visualDetail("stripe", {{"none", "no side stripe"}, {"side", "side stripe"}})},
                       {"leather", "suede", "mesh", "canvas"}));
  c.push_back(
      category("footwear", "boot", {"Boots", "Booties", "Shoes"}, {"boots"}, {"solid"},
               {visualDetail("shaft", {{"ankle", "ankle height"}, {"mid", "mid-calf height"}, {"knee", "knee high"}}),
                visualDetail("heel", {{"flat", "flat heel"}, {"block", "block heel"}}),
                visualDetail("lacing", {{"none", "slip-on"}, {"laced", "lace-up"}})},
               {"leather", "suede", "rubber", "nubuck"}));
  c.push_back(category("accessories", "cap", {"Cap", "Baseball Cap", "Hat"}, {"cap", "baseball cap"},
                       {"solid", "striped", "checked"},
                       {visualDetail("brim", {{"curved", "curved brim"}, {"flat", "flat brim"}}),
                        visualDetail("trim", {{"same", "matching brim"}, {"contrast", "contrast brim"}})},
                       {"cotton", "wool", "polyester", "corduroy"}));
  c.push_back(category("accessories", "mug", {"Mug", "Coffee Mug", "Cup", "Tea Cup"}, {"mug", "coffee mug"},
                       allPatterns,
                       {visualDetail("handle", {{"round", "round handle"}, {"square", "square handle"}}),
                        visualDetail("rim", {{"plain", "plain rim"}, {"contrast", "contrast rim"}})},
                       {"ceramic", "stoneware", "enamel", "porcelain"}));
  return c;
}

}  // namespace

const AttributeValue* AttributeSpec::find(const std::string& v) const {
  for (const auto& candidate : values)
    if (candidate.value == v) return &candidate;
  return nullptr;
}

const AttributeSpec& CategorySpec::attribute(const std::string& key) const {
  for (const auto& a : attributes)
    if (a.key == key) return a;
  assert(false && "unknown attribute key");
  return attributes.front();
}

std::vector<std::string> CategorySpec::keys(bool visual) const {
  std::vector<std::string> out;
  for (const auto& a : attributes)
    if (a.visual == visual) out.push_back(a.key);
  return out;
}

const std::vector<CategorySpec>& catalogueCategories() {
  static const std::vector<CategorySpec> kCategories = buildCategories();
  return kCategories;
}

const std::vector<std::string>& titleFillers() {
  static const std::vector<std::string> kFillers = {"New",           "2024",     "Hot Sale", "Fashion",     "Unisex",
                                                    "Free Shipping", "Trendy",   "Gift",     "Best Seller", "Premium",
                                                    "Women Men",     "Official", "Quality",  "Limited",     "Everyday"};
  return kFillers;
}

std::string queryPhrase(const CategorySpec& category, const std::string& key, const std::string& value) {
  for (const auto& a : category.attributes)
    if (a.key == key)
      if (const AttributeValue* v = a.find(value)) return v->phrase;
  return value;
}

}  // namespace moon::synth
