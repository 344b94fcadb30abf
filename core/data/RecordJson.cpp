#include "core/data/RecordJson.h"

namespace moon {
namespace {

std::string typeName(const nlohmann::json& j) {
  if (j.is_object()) return "an object";
  if (j.is_array()) return "a list";
  if (j.is_string()) return "a string";
  if (j.is_number()) return "a number";
  if (j.is_boolean()) return "a boolean";
  return "null";
}

[[noreturn]] void fail(DataProblem kind, const std::string& detail) { throw RecordError(kind, detail); }

const nlohmann::json* find(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string requireString(const nlohmann::json& object, const char* key, const std::string& path) {
  const nlohmann::json* value = find(object, key);
  if (!value) fail(DataProblem::MissingField, "missing field '" + path + "'");
  if (!value->is_string())
    fail(DataProblem::WrongType, "field '" + path + "' must be a string, got " + typeName(*value));
  std::string s = value->get<std::string>();
  if (s.empty()) fail(DataProblem::InvalidValue, "field '" + path + "' is empty");
  return s;
}

std::optional<std::string> optionalString(const nlohmann::json& object, const char* key, const std::string& path) {
  const nlohmann::json* value = find(object, key);
  if (!value || value->is_null()) return std::nullopt;
  if (!value->is_string())
    fail(DataProblem::WrongType, "field '" + path + "' must be a string, got " + typeName(*value));
  std::string s = value->get<std::string>();
  if (s.empty()) fail(DataProblem::InvalidValue, "field '" + path + "' is empty");
  return s;
}

// Attribute keys and values end up in traces "key: value; key: value".
Attributes readAttributes(const nlohmann::json& object, const char* key, const std::string& path) {
  Attributes out;
  const nlohmann::json* value = find(object, key);
  if (!value || value->is_null()) return out;
  if (!value->is_object())
    fail(DataProblem::WrongType, "field '" + path + "' must be an object of strings, got " + typeName(*value));
  for (const auto& [name, v] : value->items()) {
    const std::string where = path + "." + name;
    if (!v.is_string()) fail(DataProblem::WrongType, "field '" + where + "' must be a string, got " + typeName(v));
    const std::string s = v.get<std::string>();
    if (name.empty()) fail(DataProblem::InvalidValue, "field '" + path + "' has an empty attribute name");
    if (name.find_first_of(":;") != std::string::npos)
      fail(DataProblem::InvalidValue, "attribute name '" + where + "' must not contain ':' or ';'");
    if (s.empty()) fail(DataProblem::InvalidValue, "field '" + where + "' is empty");
    if (s.find(';') != std::string::npos)
      fail(DataProblem::InvalidValue, "field '" + where + "' must not contain ';' (it separates trace entries)");
    out.emplace(name, s);
  }
  return out;
}

std::vector<std::string> readCategory(const nlohmann::json& object) {
  const nlohmann::json* value = find(object, field::kCategory);
  if (!value) fail(DataProblem::MissingField, "missing field 'category'");
  std::vector<std::string> path;
  if (value->is_string()) {
    // "apparel > t-shirt" is accepted as a convenience for converted catalogues.
    const std::string s = value->get<std::string>();
    size_t start = 0;
    while (start <= s.size()) {
      size_t end = s.find('>', start);
      if (end == std::string::npos) end = s.size();
      std::string part = s.substr(start, end - start);
      const size_t b = part.find_first_not_of(" \t");
      const size_t e = part.find_last_not_of(" \t");
      path.push_back(b == std::string::npos ? "" : part.substr(b, e - b + 1));
      start = end + 1;
    }
  } else if (value->is_array()) {
    for (const auto& item : *value) {
      if (!item.is_string())
        fail(DataProblem::WrongType, "field 'category' must be a list of strings, found " + typeName(item));
      path.push_back(item.get<std::string>());
    }
  } else {
    fail(DataProblem::WrongType,
         "field 'category' must be a list of strings (coarse to fine), got " + typeName(*value));
  }
  if (path.empty()) fail(DataProblem::InvalidValue, "field 'category' is an empty list");
  for (const auto& part : path)
    if (part.empty()) fail(DataProblem::InvalidValue, "field 'category' has an empty level");
  return path;
}

}  // namespace

Product productFromJson(const nlohmann::json& record) {
  Product p;
  p.id = requireString(record, field::kId, field::kId);
  p.title = requireString(record, field::kTitle, field::kTitle);
  p.imagePath = requireString(record, field::kImage, field::kImage);
  p.categoryPath = readCategory(record);
  p.imageAttributes = readAttributes(record, field::kImageAttributes, field::kImageAttributes);
  p.textAttributes = readAttributes(record, field::kTextAttributes, field::kTextAttributes);
  return p;
}

Triplet tripletFromJson(const nlohmann::json& record) {
  Triplet t;
  const nlohmann::json* query = find(record, field::kQuery);
  if (!query) fail(DataProblem::MissingField, "missing field 'query'");
  if (!query->is_object()) fail(DataProblem::WrongType, "field 'query' must be an object, got " + typeName(*query));
  const std::string modality = requireString(*query, field::kModality, "query.modality");
  const auto parsed = parseModality(modality);
  if (!parsed)
    fail(DataProblem::InvalidValue, "field 'query.modality' is '" + modality + "', expected text, image or mm");
  t.query.modality = *parsed;
  t.query.title = optionalString(*query, field::kTitle, "query.title");
  t.query.imagePath = optionalString(*query, field::kImage, "query.image");
  const bool needsTitle = t.query.modality != Modality::Image;
  const bool needsImage = t.query.modality != Modality::Text;
  if (needsTitle && !t.query.title)
    fail(DataProblem::MissingField,
         std::string("missing field 'query.title' (required for modality '") + modality + "')");
  if (needsImage && !t.query.imagePath)
    fail(DataProblem::MissingField,
         std::string("missing field 'query.image' (required for modality '") + modality + "')");
  // The modality decides what the model sees; a part it does not use is dropped.
  if (!needsTitle) t.query.title.reset();
  if (!needsImage) t.query.imagePath.reset();
  t.query.attributes = readAttributes(*query, field::kAttributes, "query.attributes");
  t.positiveId = requireString(record, field::kPositive, field::kPositive);
  t.negativeId = requireString(record, field::kNegative, field::kNegative);
  if (t.positiveId == t.negativeId)
    fail(DataProblem::InvalidValue, "positive and negative are the same product '" + t.positiveId + "'");
  return t;
}

nlohmann::ordered_json productToJson(const Product& product) {
  nlohmann::ordered_json j;
  j[field::kId] = product.id;
  j[field::kTitle] = product.title;
  j[field::kImage] = product.imagePath;
  j[field::kCategory] = product.categoryPath;
  nlohmann::ordered_json image = nlohmann::ordered_json::object();
  for (const auto& [k, v] : product.imageAttributes) image[k] = v;
  nlohmann::ordered_json text = nlohmann::ordered_json::object();
  for (const auto& [k, v] : product.textAttributes) text[k] = v;
  j[field::kImageAttributes] = std::move(image);
  j[field::kTextAttributes] = std::move(text);
  return j;
}

nlohmann::ordered_json tripletToJson(const Triplet& triplet) {
  nlohmann::ordered_json q;
  q[field::kModality] = modalityName(triplet.query.modality);
  if (triplet.query.title) q[field::kTitle] = *triplet.query.title;
  if (triplet.query.imagePath) q[field::kImage] = *triplet.query.imagePath;
  nlohmann::ordered_json attrs = nlohmann::ordered_json::object();
  for (const auto& [k, v] : triplet.query.attributes) attrs[k] = v;
  q[field::kAttributes] = std::move(attrs);
  nlohmann::ordered_json j;
  j[field::kQuery] = std::move(q);
  j[field::kPositive] = triplet.positiveId;
  j[field::kNegative] = triplet.negativeId;
  return j;
}

}  // namespace moon
