#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace moon {

// Attribute name -> value, ordered by name so traces and files are deterministic.
using Attributes = std::map<std::string, std::string>;

// One catalogue entry of products.jsonl (field names in README "Dataset format").
struct Product {
  std::string id;
  std::string title;
  std::string imagePath;                  // relative to the dataset folder
  std::vector<std::string> categoryPath;  // coarse first, then fine ("apparel", "t-shirt")
  Attributes imageAttributes;             // visible in the image
  Attributes textAttributes;              // stated only in the title

  // Multimodal attributes: the union (text wins on a clash, which never
  // happens in the synthetic catalogue).
  Attributes allAttributes() const;
  const std::string& coarseCategory() const;
  const std::string& fineCategory() const;
};

enum class Modality { Text, Image, Multimodal };

const char* modalityName(Modality m);                         // "text", "image", "mm"
std::optional<Modality> parseModality(const std::string& s);  // accepts text|image|mm|multimodal

// A query listing: another view and/or wording of the positive product.
struct Query {
  std::optional<std::string> title;      // short user-style query text
  std::optional<std::string> imagePath;  // relative to the dataset folder
  Modality modality = Modality::Multimodal;
  Attributes attributes;  // what this query's modalities show (trace target)
};

// One line of train/val/test.jsonl.
struct Triplet {
  Query query;
  std::string positiveId;
  std::string negativeId;  // a near-duplicate of the positive
};

}  // namespace moon
