#pragma once

// Flattening and comparing JSON configurations key by key, for "what differs
// between these two runs": {"optim":{"lr":1e-3}} becomes "optim.lr" -> "0.001".

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace moon {

// Dotted keys of every leaf; arrays are leaves (shown as compact JSON), as
// are empty objects.
std::map<std::string, std::string> flattenJson(const nlohmann::json& value);

struct JsonDifference {
  std::string key;
  std::optional<std::string> left;  // nullopt: the key is missing on that side
  std::optional<std::string> right;
};

// The keys whose values differ (or exist on one side only), sorted by key.
std::vector<JsonDifference> diffJson(const nlohmann::json& left, const nlohmann::json& right);

}  // namespace moon
