#pragma once

// What the synthetic catalogue can contain: categories, their attributes and
// values, and the words used for them in titles and queries. Image
// attributes (`visual`) are drawn and never written in titles; text
// attributes (brand, material, season, style) are written and never drawn.

#include <string>
#include <vector>

namespace moon::synth {

struct AttributeValue {
  std::string value;   // as stored in the dataset: "short"
  std::string phrase;  // as a shopper writes it: "short sleeves"
};

struct AttributeSpec {
  std::string key;
  bool visual = false;     // shown in the image, absent from the title
  bool adjective = false;  // goes before the noun in a query ("red striped tee")
  std::vector<AttributeValue> values;

  const AttributeValue* find(const std::string& value) const;
};

struct CategorySpec {
  std::string coarse;                     // "apparel"
  std::string fine;                       // "t-shirt"
  std::vector<std::string> titleNouns;    // keyword-soup synonyms: "T-Shirt", "Tee", "Top"
  std::vector<std::string> queryNouns;    // how shoppers name it: "tee", "t shirt"
  std::vector<AttributeSpec> attributes;  // visual ones first

  const AttributeSpec& attribute(const std::string& key) const;  // asserts it exists
  std::vector<std::string> keys(bool visual) const;
};

const std::vector<CategorySpec>& catalogueCategories();

// Words a marketplace title adds that say nothing about the product.
const std::vector<std::string>& titleFillers();

// Query phrase of `key: value` in `category` ("short sleeves"); the value itself when unknown.
std::string queryPhrase(const CategorySpec& category, const std::string& key, const std::string& value);

}  // namespace moon::synth
