#include "training/rewards/RewardTerms.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

namespace moon {
namespace {

std::string normalised(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  std::string out = s.substr(b, e - b);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

double formatReward(const ParsedTrace& trace, double unclosedCredit) {
  if (trace.attributes.empty()) return 0.0;
  const double pieces = static_cast<double>(trace.attributes.size() + trace.problems.size());
  const double share = static_cast<double>(trace.attributes.size()) / pieces;
  return share * (trace.closed ? 1.0 : unclosedCredit);
}

double formatReward(const std::string& traceText, double unclosedCredit) {
  return formatReward(parseTrace(traceText), unclosedCredit);
}

double lengthReward(int traceTokens, int cap) { return traceTokens <= cap ? 1.0 : 0.0; }

double retrievalReward(int rank, int numCandidates) {
  if (numCandidates < 2 || rank < 1 || rank > numCandidates)
    throw std::invalid_argument("retrievalReward: need N >= 2 and 1 <= rank <= N, got rank " + std::to_string(rank) +
                                " of " + std::to_string(numCandidates));
  return 1.0 - std::log(static_cast<double>(rank)) / std::log(static_cast<double>(numCandidates));
}

double attributeReward(const Attributes& stated, const Attributes& labelled) {
  if (labelled.empty()) return 0.0;
  Attributes said;
  for (const auto& [key, value] : stated) said.emplace(normalised(key), normalised(value));
  size_t correct = 0;
  for (const auto& [key, value] : labelled) {
    const auto it = said.find(normalised(key));
    if (it != said.end() && it->second == normalised(value)) ++correct;
  }
  return static_cast<double>(correct) / static_cast<double>(labelled.size());
}

}  // namespace moon
