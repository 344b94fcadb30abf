#include "core/text/AddedTokenMatcher.h"

#include <algorithm>

namespace moon {

AddedTokenMatcher::AddedTokenMatcher(const std::vector<std::pair<std::string, int32_t>>& tokens) {
  for (const auto& [content, id] : tokens) {
    if (content.empty()) continue;
    byFirstByte_[static_cast<unsigned char>(content[0])].push_back({content, id});
    empty_ = false;
  }
  for (auto& list : byFirstByte_)
    std::stable_sort(list.begin(), list.end(),
                     [](const Candidate& a, const Candidate& b) { return a.content.size() > b.content.size(); });
}

std::vector<AddedTokenMatcher::Segment> AddedTokenMatcher::split(std::string_view text) const {
  std::vector<Segment> out;
  size_t textStart = 0;
  for (size_t pos = 0; !empty_ && pos < text.size(); ++pos) {
    for (const Candidate& c : byFirstByte_[static_cast<unsigned char>(text[pos])]) {
      if (text.compare(pos, c.content.size(), c.content) != 0) continue;
      if (pos > textStart) out.push_back({text.substr(textStart, pos - textStart), -1});
      out.push_back({text.substr(pos, c.content.size()), c.id});
      pos += c.content.size() - 1;
      textStart = pos + 1;
      break;
    }
  }
  if (textStart < text.size()) out.push_back({text.substr(textStart), -1});
  return out;
}

bool AddedTokenMatcher::containsToken(std::string_view bytes) const {
  for (const Segment& s : split(bytes))
    if (s.tokenId >= 0) return true;
  return false;
}

}  // namespace moon
