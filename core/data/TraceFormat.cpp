#include "core/data/TraceFormat.h"

#include <algorithm>
#include <cctype>

namespace moon {
namespace {

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

void eraseAll(std::string& s, const std::string& what) {
  for (size_t pos = s.find(what); pos != std::string::npos; pos = s.find(what)) s.erase(pos, what.size());
}

}  // namespace

std::string formatTrace(const Attributes& attributes) {
  std::string out;
  for (const auto& [key, value] : attributes) {
    if (!out.empty()) out += "; ";
    out += key + ": " + value;
  }
  return out;
}

ParsedTrace parseTrace(const std::string& text) {
  ParsedTrace result;
  std::string body = text;
  const size_t close = body.find("</think>");
  if (close != std::string::npos) {
    result.closed = true;
    body.resize(close);
  }
  eraseAll(body, "<think>");
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find(';', start);
    if (end == std::string::npos) end = body.size();
    const std::string piece = trim(body.substr(start, end - start));
    start = end + 1;
    if (piece.empty()) continue;
    const size_t colon = piece.find(':');
    const std::string key = colon == std::string::npos ? "" : trim(piece.substr(0, colon));
    const std::string value = colon == std::string::npos ? "" : trim(piece.substr(colon + 1));
    // A second colon ("color::", "size: big: yes") is not a value: sampled
    // traces found that such a piece otherwise earned the full format reward.
    if (key.empty() || value.empty() || value.find(':') != std::string::npos) {
      result.problems.push_back("cannot parse '" + piece + "' as 'key: value'");
      continue;
    }
    if (!result.attributes.emplace(key, value).second) result.problems.push_back("repeated key '" + key + "'");
  }
  return result;
}

}  // namespace moon
