#include "model/config/SpecialTokenIds.h"

#include <algorithm>
#include <string>

#include "core/base/Error.h"
#include "core/text/SpecialTokens.h"

namespace moon {
namespace {

// Members in special::kAll order, so every conversion walks one table.
std::vector<int64_t SpecialTokenIds::*> members() {
  return {&SpecialTokenIds::pad,      &SpecialTokenIds::bos,      &SpecialTokenIds::eos,   &SpecialTokenIds::imageStart,
          &SpecialTokenIds::imageEnd, &SpecialTokenIds::imagePad, &SpecialTokenIds::think, &SpecialTokenIds::thinkEnd,
          &SpecialTokenIds::embed,    &SpecialTokenIds::discEmbed};
}

}  // namespace

SpecialTokenIds SpecialTokenIds::fromLookup(const std::function<int64_t(std::string_view)>& lookup) {
  SpecialTokenIds ids;
  const auto m = members();
  for (size_t i = 0; i < m.size(); ++i) ids.*m[i] = lookup(special::kAll[i]);
  return ids;
}

std::vector<int64_t> SpecialTokenIds::all() const {
  std::vector<int64_t> out;
  for (auto member : members()) out.push_back(this->*member);
  return out;
}

int64_t SpecialTokenIds::maxId() const {
  const auto ids = all();
  return *std::max_element(ids.begin(), ids.end());
}

nlohmann::json SpecialTokenIds::toJson() const {
  nlohmann::json j = nlohmann::json::object();
  const auto m = members();
  for (size_t i = 0; i < m.size(); ++i) j[std::string(special::kAll[i])] = this->*m[i];
  return j;
}

SpecialTokenIds SpecialTokenIds::fromJson(const nlohmann::json& j, const std::string& origin) {
  if (!j.is_object()) throw FormatError(origin + ": 'special_tokens' must be an object");
  SpecialTokenIds ids;
  const auto m = members();
  for (size_t i = 0; i < m.size(); ++i) {
    const std::string name(special::kAll[i]);
    auto it = j.find(name);
    if (it == j.end() || !it->is_number_integer())
      throw FormatError(origin + ": special token '" + name + "' is missing or not an integer id");
    ids.*m[i] = it->get<int64_t>();
  }
  return ids;
}

}  // namespace moon
