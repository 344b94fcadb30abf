#pragma once

// Conversion between Product/Triplet and their JSON-lines records. The field
// names are the on-disk contract documented in README.md "Dataset format".

#include <string>

#include <nlohmann/json.hpp>

#include "core/base/Error.h"
#include "core/data/DataReport.h"
#include "core/data/Product.h"

namespace moon {

namespace field {
inline constexpr const char* kId = "id";
inline constexpr const char* kTitle = "title";
inline constexpr const char* kImage = "image";
inline constexpr const char* kCategory = "category";
inline constexpr const char* kImageAttributes = "image_attributes";
inline constexpr const char* kTextAttributes = "text_attributes";
inline constexpr const char* kQuery = "query";
inline constexpr const char* kModality = "modality";
inline constexpr const char* kAttributes = "attributes";
inline constexpr const char* kPositive = "positive";
inline constexpr const char* kNegative = "negative";
}  // namespace field

// One record that cannot be used; `kind` says why (the message has no file/line,
// the caller adds them).
class RecordError : public FormatError {
 public:
  RecordError(DataProblem kind, const std::string& detail) : FormatError(detail), kind_(kind) {}
  DataProblem kind() const { return kind_; }

 private:
  DataProblem kind_;
};

// Both throw RecordError for a missing field, a wrong type or an unusable
// value. Unknown fields are ignored (room for extensions). Image paths are
// returned as written; checking them against the dataset folder is the
// caller's job (Dataset::load).
Product productFromJson(const nlohmann::json& record);
Triplet tripletFromJson(const nlohmann::json& record);

// Fixed key order, so identical values give identical bytes.
nlohmann::ordered_json productToJson(const Product& product);
nlohmann::ordered_json tripletToJson(const Triplet& triplet);

}  // namespace moon
