#include "training/eval/AttributeAccuracy.h"

#include <map>

#include "core/base/Error.h"

namespace moon {

std::string normalizeAttributeValue(const std::string& value) {
  const char* space = " \t\r\n\f\v";
  const std::size_t first = value.find_first_not_of(space);
  if (first == std::string::npos) return {};
  const std::size_t last = value.find_last_not_of(space);
  std::string out = value.substr(first, last - first + 1);
  for (char& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return out;
}

AttributeReport attributeAccuracy(const std::vector<Attributes>& predicted, const std::vector<Attributes>& labelled) {
  if (predicted.size() != labelled.size())
    throw FormatError("attribute accuracy: " + std::to_string(predicted.size()) + " predictions for " +
                      std::to_string(labelled.size()) + " labelled items");
  std::map<std::string, AttributeKeyAccuracy> keys;
  AttributeReport report;
  report.items = labelled.size();
  for (std::size_t i = 0; i < labelled.size(); ++i) {
    for (const auto& [key, value] : labelled[i]) {
      auto& entry = keys[key];
      entry.key = key;
      ++entry.labelled;
      auto it = predicted[i].find(key);
      if (it != predicted[i].end() && normalizeAttributeValue(it->second) == normalizeAttributeValue(value))
        ++entry.correct;
    }
    for (const auto& kv : predicted[i])
      if (!labelled[i].count(kv.first)) ++report.unlabelledPredictions;
  }
  double macroSum = 0.0;
  for (auto& [key, entry] : keys) {
    entry.accuracy = static_cast<double>(entry.correct) / static_cast<double>(entry.labelled);
    macroSum += entry.accuracy;
    report.labelled += entry.labelled;
    report.correct += entry.correct;
    report.perKey.push_back(entry);
  }
  if (report.labelled > 0) {
    report.microAccuracy = static_cast<double>(report.correct) / static_cast<double>(report.labelled);
    report.macroAccuracy = macroSum / static_cast<double>(keys.size());
  }
  return report;
}

}  // namespace moon
