#include "core/config/JsonDiff.h"

namespace moon {
namespace {

void flattenInto(const nlohmann::json& value, const std::string& prefix, std::map<std::string, std::string>& out) {
  if (value.is_object() && !value.empty()) {
    for (auto it = value.begin(); it != value.end(); ++it)
      flattenInto(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), out);
    return;
  }
  out[prefix] = value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace

std::map<std::string, std::string> flattenJson(const nlohmann::json& value) {
  std::map<std::string, std::string> out;
  flattenInto(value, "", out);
  return out;
}

std::vector<JsonDifference> diffJson(const nlohmann::json& left, const nlohmann::json& right) {
  const auto a = flattenJson(left);
  const auto b = flattenJson(right);
  std::vector<JsonDifference> out;
  auto ia = a.begin();
  auto ib = b.begin();
  // Both maps are sorted: one merge pass.
  while (ia != a.end() || ib != b.end()) {
    if (ib == b.end() || (ia != a.end() && ia->first < ib->first)) {
      out.push_back({ia->first, ia->second, std::nullopt});
      ++ia;
    } else if (ia == a.end() || ib->first < ia->first) {
      out.push_back({ib->first, std::nullopt, ib->second});
      ++ib;
    } else {
      if (ia->second != ib->second) out.push_back({ia->first, ia->second, ib->second});
      ++ia;
      ++ib;
    }
  }
  return out;
}

}  // namespace moon
