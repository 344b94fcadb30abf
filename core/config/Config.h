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
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

template <class T>
bool readValue(const nlohmann::json& j, T& out) {
  if constexpr (IsOptional<T>::value) {
    if (j.is_null()) {
      out.reset();
      return true;
    }
    typename T::value_type v{};
    if (!readValue(j, v)) return false;
    out = std::move(v);
  } else if constexpr (std::is_same_v<T, nlohmann::json>) {
    out = j;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!j.is_boolean()) return false;
    out = j.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    if (j.is_number_integer()) {
      if (std::is_unsigned_v<T> && j.is_number_integer() && !j.is_number_unsigned() && j.get<long long>() < 0)
        return false;
      out = j.get<T>();
    } else if (j.is_number_float()) {
      double d = j.get<double>();
      if (std::floor(d) != d || (std::is_unsigned_v<T> && d < 0)) return false;
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
std::string expectedTypeName() {
  if constexpr (IsOptional<T>::value)
    return expectedTypeName<typename T::value_type>() + " or null";
  else if constexpr (std::is_same_v<T, bool>)
    return "a boolean";
  else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>)
    return "a non-negative integer";
  else if constexpr (std::is_integral_v<T>)
    return "an integer";
  else if constexpr (std::is_floating_point_v<T>)
    return "a number";
  else if constexpr (std::is_same_v<T, std::string>)
    return "a string";
  else
    return "a list";
}

// Empty when `value` lies in `range` (every element, for a list of numbers).
template <class T>
std::string rangeProblem(const std::string& key, const T& value, const Range& range) {
  auto check = [&](double v) -> std::string {
    if (v >= range.lo && v <= range.hi) return {};
    return "config key '" + key + "': value " + formatNumber(v) + " is out of range [" + formatNumber(range.lo) + ", " +
           formatNumber(range.hi) + "]";
  };
  if constexpr (IsOptional<T>::value) {
    return value ? rangeProblem(key, *value, range) : std::string();
  } else if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
    return check(static_cast<double>(value));
  } else if constexpr (!std::is_same_v<T, std::string> && !std::is_same_v<T, nlohmann::json> &&
                       !std::is_arithmetic_v<T>) {
    // Lists of strings take no range; without this a std::vector<std::string> field does not compile.
    if constexpr (std::is_arithmetic_v<typename T::value_type>)
      for (const auto& v : value)
        if (auto problem = check(static_cast<double>(v)); !problem.empty()) return problem;
  }
  return {};
}

// How a JsonReader treats its input:
//   Config  a configuration a user writes: a missing key keeps its default,
//           an unknown key is refused (with a suggestion); errors are ConfigError.
//   Record  a file this program wrote (a checkpoint's state, a stored
//           evaluation): every key but std::optional ones must be there,
//           keys it does not know are ignored (newer writers); errors are
//           FormatError, as for any corrupt file.
enum class ReadMode { Config, Record };

// Reads a JSON object into a config struct, remembering which keys it used.
class JsonReader {
 public:
  JsonReader(const nlohmann::json& j, std::string prefix, std::string origin, ReadMode mode = ReadMode::Config)
      : json_(j), prefix_(std::move(prefix)), origin_(std::move(origin)), mode_(mode) {}

  template <class T>
  void field(const char* key, T& value, const char* /*help*/ = "", std::optional<Range> range = {}) {
    known_.push_back(key);
    auto it = json_.find(key);
    const std::string full = joinKey(prefix_, key);
    if (it == json_.end()) {
      if constexpr (!IsOptional<T>::value)
        if (mode_ == ReadMode::Record) fail("missing key '" + full + "'");
      return;
    }
    if (!readValue(*it, value))
      fail(std::string(mode_ == ReadMode::Config ? "config key '" : "key '") + full + "' must be " +
           expectedTypeName<T>() + ", got " + typeName(*it));
    if (range)
      if (auto problem = rangeProblem(full, value, *range); !problem.empty()) fail(problem);
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
    fail("config key '" + joinKey(prefix_, key) + "': '" + value + "' is not one of: " + list);
  }

  template <class S>
  void section(const char* key, S& sub) {
    known_.push_back(key);
    auto it = json_.find(key);
    if (it == json_.end()) {
      if (mode_ == ReadMode::Record) fail("missing key '" + joinKey(prefix_, key) + "'");
      return;
    }
    read(*it, joinKey(prefix_, key), sub);
  }

  // A section that may be null or absent (a part of a report that was not measured).
  template <class S>
  void optionalSection(const char* key, std::optional<S>& sub) {
    known_.push_back(key);
    auto it = json_.find(key);
    if (it == json_.end() || it->is_null()) {
      sub.reset();
      return;
    }
    S value{};
    read(*it, joinKey(prefix_, key), value);
    sub = std::move(value);
  }

  // A list of sections; a missing list is an empty one (also for records:
  // older writers had fewer lists).
  template <class S>
  void list(const char* key, std::vector<S>& items) {
    known_.push_back(key);
    auto it = json_.find(key);
    const std::string full = joinKey(prefix_, key);
    if (it == json_.end()) {
      items.clear();
      return;
    }
    if (!it->is_array()) fail("key '" + full + "' must be a list, got " + typeName(*it));
    std::vector<S> out;
    for (std::size_t i = 0; i < it->size(); ++i) {
      S item{};
      read((*it)[i], full + "[" + std::to_string(i) + "]", item);
      out.push_back(std::move(item));
    }
    items = std::move(out);
  }

  void rejectUnknownKeys() const;

 private:
  template <class S>
  void read(const nlohmann::json& j, const std::string& full, S& sub) {
    if (!j.is_object())
      fail(std::string(mode_ == ReadMode::Config ? "config key '" : "key '") + full + "' must be an object, got " +
           typeName(j));
    JsonReader reader(j, full, origin_, mode_);
    sub.visit(reader);
    if (mode_ == ReadMode::Config) reader.rejectUnknownKeys();
  }
  [[noreturn]] void fail(const std::string& message) const;
  std::string where() const { return origin_.empty() ? "" : origin_ + ": "; }

  const nlohmann::json& json_;
  std::string prefix_;
  std::string origin_;
  ReadMode mode_;
  std::vector<std::string> known_;
};

class JsonWriter {
 public:
  explicit JsonWriter(nlohmann::json& out) : out_(out) {}

  template <class T, class Extra = Range>
  void field(const char* key, const T& value, const char* /*help*/ = "", const Extra& = {}) {
    if constexpr (IsOptional<T>::value)
      out_[key] = value ? nlohmann::json(*value) : nlohmann::json(nullptr);
    else
      out_[key] = value;
  }

  template <class S>
  void section(const char* key, S& sub) {
    out_[key] = write(sub);
  }

  template <class S>
  void optionalSection(const char* key, std::optional<S>& sub) {
    out_[key] = sub ? write(*sub) : nlohmann::json(nullptr);
  }

  template <class S>
  void list(const char* key, std::vector<S>& items) {
    nlohmann::json array = nlohmann::json::array();
    for (auto& item : items) array.push_back(write(item));
    out_[key] = std::move(array);
  }

 private:
  template <class S>
  static nlohmann::json write(S& sub) {
    nlohmann::json child = nlohmann::json::object();
    JsonWriter writer(child);
    sub.visit(writer);
    return child;
  }

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

// The object `json[section]` read as T, for a reader that needs one section of
// a larger config file (the "model" section of a run's config.json); keys in
// errors are dotted from `section`. A missing section gives T's defaults.
template <class T>
T configSectionFromJson(const nlohmann::json& json, const std::string& section, const std::string& origin = "") {
  const std::string where = origin.empty() ? "" : origin + ": ";
  if (!json.is_object())
    throw ConfigError(where + "configuration must be a JSON object, got " + config_detail::typeName(json));
  T cfg;
  const auto it = json.find(section);
  if (it == json.end()) return cfg;
  if (!it->is_object())
    throw ConfigError(where + "config key '" + section + "' must be an object, got " + config_detail::typeName(*it));
  config_detail::JsonReader reader(*it, section, origin);
  cfg.visit(reader);
  reader.rejectUnknownKeys();
  return cfg;
}

// Reads a record this program wrote (ReadMode::Record above): every key is
// required unless std::optional, unknown keys are ignored, and a missing or
// mistyped key is a FormatError naming `origin` and the key.
template <class T>
T recordFromJson(const nlohmann::json& json, const std::string& origin) {
  if (!json.is_object())
    throw FormatError((origin.empty() ? "" : origin + ": ") + "expected a JSON object, got " +
                      config_detail::typeName(json));
  T record{};
  config_detail::JsonReader reader(json, "", origin, config_detail::ReadMode::Record);
  record.visit(reader);
  return record;
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
