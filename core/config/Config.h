#pragma once

// Typed configuration structs with defaults, loaded from JSON, overridable with
// `key=value`, and validated: unknown keys, wrong types and out-of-range values
// are rejected with a message naming the (dotted) key.
//
// A config struct describes its fields once, in a `visit` member template:
//
//   struct OptimConfig {
//     double lr = 3e-4;
//     int warmup = 100;
//     std::string schedule = "cosine";
//     template <class V> void visit(V& v) {
//       v.field("lr", lr, "peak learning rate", Range{0.0, 1.0});
//       v.field("warmup", warmup, "warm-up steps", Range{0, 1e9});
//       v.field("schedule", schedule, "lr schedule", Choices{{"cosine", "constant"}});
//     }
//   };
//   struct TrainConfig {
//     OptimConfig optim;
//     template <class V> void visit(V& v) { v.section("optim", optim); }
//   };
//
//   auto cfg = configFromJson<TrainConfig>(json, "run.json");
//   applyOverride(cfg, "optim.lr=1e-3");

#include <cmath>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/Error.h"

namespace moon {

struct Range {
  double lo;
  double hi;
};

struct Choices {
  std::vector<std::string> values;
};

namespace config_detail {

std::string joinKey(const std::string& prefix, const std::string& key);
std::string typeName(const nlohmann::json& value);
std::string closestKey(const std::string& key, const std::vector<std::string>& known);
std::string formatNumber(double v);

template <class T>
constexpr const char* expectedTypeName() {
  if constexpr (std::is_same_v<T, bool>)
    return "a boolean";
  else if constexpr (std::is_integral_v<T>)
    return "an integer";
  else if constexpr (std::is_floating_point_v<T>)
    return "a number";
  else if constexpr (std::is_same_v<T, std::string>)
    return "a string";
  else
    return "a list";
}

template <class T>
bool readValue(const nlohmann::json& j, T& out) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!j.is_boolean()) return false;
    out = j.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    if (j.is_number_integer()) {
      out = j.get<T>();
    } else if (j.is_number_float()) {
      double d = j.get<double>();
      if (std::floor(d) != d) return false;
      out = static_cast<T>(d);
    } else {
      return false;
    }
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!j.is_number()) return false;
    out = j.get<T>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!j.is_string()) return false;
    out = j.get<std::string>();
  } else {
    // std::vector<Scalar>
    if (!j.is_array()) return false;
    T result;
    for (const auto& item : j) {
      typename T::value_type v{};
      if (!readValue(item, v)) return false;
      result.push_back(v);
    }
    out = std::move(result);
  }
  return true;
}

template <class T>
void checkRange(const std::string& key, const T& value, const Range& range) {
  auto check = [&](double v) {
    if (v < range.lo || v > range.hi)
      throw ConfigError("config key '" + key + "': value " + formatNumber(v) + " is out of range [" +
                        formatNumber(range.lo) + ", " + formatNumber(range.hi) + "]");
  };
  if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
    check(static_cast<double>(value));
  } else if constexpr (!std::is_same_v<T, std::string> && !std::is_arithmetic_v<T>) {
    // Lists of strings take no range; without this a std::vector<std::string> field does not compile.
    if constexpr (std::is_arithmetic_v<typename T::value_type>)
      for (const auto& v : value) check(static_cast<double>(v));
  }
}

// Reads a JSON object into a config struct, remembering which keys it used.
class JsonReader {
 public:
  JsonReader(const nlohmann::json& j, std::string prefix, std::string origin)
      : json_(j), prefix_(std::move(prefix)), origin_(std::move(origin)) {}

  template <class T>
  void field(const char* key, T& value, const char* /*help*/ = "", std::optional<Range> range = {}) {
    known_.push_back(key);
    auto it = json_.find(key);
    if (it == json_.end()) return;
    const std::string full = joinKey(prefix_, key);
    if (!readValue(*it, value))
      throw ConfigError(where() + "config key '" + full + "' must be " + expectedTypeName<T>() + ", got " +
                        typeName(*it));
    if (range) checkRange(full, value, *range);
  }

  template <class T>
  void field(const char* key, T& value, const char* help, Range range) {
    field(key, value, help, std::optional<Range>(range));
  }

  void field(const char* key, std::string& value, const char* help, const Choices& choices) {
    field(key, value, help);
    for (const auto& c : choices.values)
      if (c == value) return;
    std::string list;
    for (const auto& c : choices.values) list += (list.empty() ? "" : ", ") + c;
    throw ConfigError(where() + "config key '" + joinKey(prefix_, key) + "': '" + value + "' is not one of: " + list);
  }

  template <class S>
  void section(const char* key, S& sub) {
    known_.push_back(key);
    auto it = json_.find(key);
    if (it == json_.end()) return;
    const std::string full = joinKey(prefix_, key);
    if (!it->is_object())
      throw ConfigError(where() + "config key '" + full + "' must be an object, got " + typeName(*it));
    JsonReader reader(*it, full, origin_);
    sub.visit(reader);
    reader.rejectUnknownKeys();
  }

  void rejectUnknownKeys() const;

 private:
  std::string where() const { return origin_.empty() ? "" : origin_ + ": "; }

  const nlohmann::json& json_;
  std::string prefix_;
  std::string origin_;
  std::vector<std::string> known_;
};

class JsonWriter {
 public:
  explicit JsonWriter(nlohmann::json& out) : out_(out) {}

  template <class T, class Extra = Range>
  void field(const char* key, const T& value, const char* /*help*/ = "", const Extra& = {}) {
    out_[key] = value;
  }

  template <class S>
  void section(const char* key, S& sub) {
    nlohmann::json child = nlohmann::json::object();
    JsonWriter writer(child);
    sub.visit(writer);
    out_[key] = std::move(child);
  }

 private:
  nlohmann::json& out_;
};

// Sets `dotted.key` in `json` to `value`; the key must already exist.
void setByDottedKey(nlohmann::json& json, const std::string& dottedKey, const std::string& value);

}  // namespace config_detail

template <class T>
nlohmann::json configToJson(const T& cfg) {
  nlohmann::json out = nlohmann::json::object();
  config_detail::JsonWriter writer(out);
  const_cast<T&>(cfg).visit(writer);
  return out;
}

// Starts from T's defaults and applies every key found in `json`.
// `origin` (a file name, or empty) prefixes error messages.
template <class T>
T configFromJson(const nlohmann::json& json, const std::string& origin = "") {
  if (!json.is_object())
    throw ConfigError((origin.empty() ? "" : origin + ": ") + "configuration must be a JSON object, got " +
                      config_detail::typeName(json));
  T cfg;
  config_detail::JsonReader reader(json, "", origin);
  cfg.visit(reader);
  reader.rejectUnknownKeys();
  return cfg;
}

// `key=value`, key dotted through sections; value parsed as JSON when it is
// valid JSON (numbers, true/false, lists), else taken as a string.
template <class T>
void applyOverride(T& cfg, const std::string& assignment) {
  nlohmann::json json = configToJson(cfg);
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) throw ConfigError("override '" + assignment + "' must look like key=value");
  config_detail::setByDottedKey(json, assignment.substr(0, eq), assignment.substr(eq + 1));
  cfg = configFromJson<T>(json, "override '" + assignment + "'");
}

template <class T>
void applyOverrides(T& cfg, const std::vector<std::string>& assignments) {
  for (const auto& a : assignments) applyOverride(cfg, a);
}

// Reads and parses a JSON file; errors name the file (and line for syntax errors).
nlohmann::json readJsonFile(const std::string& path);

template <class T>
T loadConfigFile(const std::string& path) {
  return configFromJson<T>(readJsonFile(path), path);
}

}  // namespace moon
