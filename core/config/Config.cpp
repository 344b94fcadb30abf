#include "core/config/Config.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace moon::config_detail {

std::string joinKey(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

std::string typeName(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::boolean:
      return "a boolean (" + value.dump() + ")";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return "an integer (" + value.dump() + ")";
    case nlohmann::json::value_t::number_float:
      return "a number (" + value.dump() + ")";
    case nlohmann::json::value_t::string:
      return "a string (" + value.dump() + ")";
    case nlohmann::json::value_t::array:
      return "a list";
    case nlohmann::json::value_t::object:
      return "an object";
    default:
      return "an unsupported value";
  }
}

std::string formatNumber(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

static size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closestKey(const std::string& key, const std::vector<std::string>& known) {
  std::string best;
  size_t bestDistance = std::max<size_t>(2, key.size() / 3) + 1;
  for (const auto& k : known) {
    const size_t d = editDistance(key, k);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  return best;
}

void JsonReader::fail(const std::string& message) const {
  if (mode_ == ReadMode::Record) throw FormatError(where() + message);
  throw ConfigError(where() + message);
}

void JsonReader::rejectUnknownKeys() const {
  for (auto it = json_.begin(); it != json_.end(); ++it) {
    if (std::find(known_.begin(), known_.end(), it.key()) != known_.end()) continue;
    std::string message = where() + "unknown config key '" + joinKey(prefix_, it.key()) + "'";
    const std::string suggestion = closestKey(it.key(), known_);
    if (!suggestion.empty()) message += " (did you mean '" + joinKey(prefix_, suggestion) + "'?)";
    throw ConfigError(message);
  }
}

void setByDottedKey(nlohmann::json& json, const std::string& dottedKey, const std::string& value) {
  nlohmann::json* node = &json;
  std::string walked;
  size_t start = 0;
  while (true) {
    const size_t dot = dottedKey.find('.', start);
    const std::string part = dottedKey.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    walked = joinKey(walked, part);
    if (!node->is_object() || !node->contains(part)) {
      std::vector<std::string> known;
      if (node->is_object())
        for (auto it = node->begin(); it != node->end(); ++it) known.push_back(it.key());
      std::string message = "unknown config key '" + walked + "'";
      const std::string suggestion = closestKey(part, known);
      if (!suggestion.empty())
        message += " (did you mean '" + joinKey(dottedKey.substr(0, start == 0 ? 0 : start - 1), suggestion) + "'?)";
      throw ConfigError(message);
    }
    node = &(*node)[part];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (node->is_object()) throw ConfigError("config key '" + dottedKey + "' is a section; set one of its keys");
  nlohmann::json parsed = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || (node->is_string() && !parsed.is_string())) parsed = value;
  *node = std::move(parsed);
}

}  // namespace moon::config_detail

namespace moon {

nlohmann::json readJsonFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open file");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e999
    throw FormatError(path + ": invalid JSON: " + e.what());
  }
}

}  // namespace moon
