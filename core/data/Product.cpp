#include "core/data/Product.h"

namespace moon {

Attributes Product::allAttributes() const {
  Attributes all = imageAttributes;
  for (const auto& [key, value] : textAttributes) all[key] = value;
  return all;
}

const std::string& Product::coarseCategory() const {
  static const std::string kNone;
  return categoryPath.empty() ? kNone : categoryPath.front();
}

const std::string& Product::fineCategory() const {
  static const std::string kNone;
  return categoryPath.empty() ? kNone : categoryPath.back();
}

const char* modalityName(Modality m) {
  switch (m) {
    case Modality::Text:
      return "text";
    case Modality::Image:
      return "image";
    case Modality::Multimodal:
      return "mm";
  }
  return "mm";
}

std::optional<Modality> parseModality(const std::string& s) {
  if (s == "text") return Modality::Text;
  if (s == "image") return Modality::Image;
  if (s == "mm" || s == "multimodal") return Modality::Multimodal;
  return std::nullopt;
}

}  // namespace moon
