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

nlohmann::json SpecialTokenIds::toJson() const { return configToJson(*this); }

SpecialTokenIds SpecialTokenIds::fromJson(const nlohmann::json& j, const std::string& origin) {
  return recordFromJson<SpecialTokenIds>(j, origin + ": special_tokens");
}

}  // namespace moon
