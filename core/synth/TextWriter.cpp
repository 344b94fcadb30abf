#include "core/synth/TextWriter.h"

#include <algorithm>
#include <cctype>

namespace moon::synth {
namespace {

std::string titleCase(const std::string& s) {
  std::string out = s;
  bool start = true;
  for (char& c : out) {
    if (start && std::isalpha(static_cast<unsigned char>(c))) c = char(std::toupper(static_cast<unsigned char>(c)));
    start = c == ' ' || c == '-';
  }
  return out;
}

std::string upper(std::string s) {
  for (char& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TitleLayout makeTitleLayout(Rng& rng) {
  TitleLayout layout;
  layout.brandUpper = rng.chance(0.4);
  std::vector<std::string> rest = {"material", "season", "style", "#noun", "#noun"};
  std::vector<std::string> fillers = titleFillers();
  rng.shuffle(fillers);
  const int fillerCount = rng.range(2, 4);
  for (int i = 0; i < fillerCount; ++i) rest.push_back(fillers[size_t(i)]);
  rng.shuffle(rest);
  // Most listings lead with the brand.
  if (rng.chance(0.75)) {
    layout.slots.push_back("brand");
    layout.slots.insert(layout.slots.end(), rest.begin(), rest.end());
  } else {
    layout.slots = rest;
    layout.slots.insert(layout.slots.begin() + rng.range(1, int(rest.size())), "brand");
  }
  return layout;
}

std::string writeTitle(const TitleLayout& layout, const CategorySpec& category, const Attributes& textAttributes,
                       Rng& nounRng) {
  std::vector<std::string> nouns = category.titleNouns;
  nounRng.shuffle(nouns);
  size_t nextNoun = 0;
  std::string title;
  for (const auto& slot : layout.slots) {
    std::string word;
    if (slot == "#noun") {
      word = nouns[nextNoun++ % nouns.size()];
    } else if (auto it = textAttributes.find(slot); it != textAttributes.end()) {
      word = slot == "brand" && layout.brandUpper ? upper(it->second) : titleCase(it->second);
    } else if (slot == "brand" || slot == "material" || slot == "season" || slot == "style") {
      continue;
    } else {
      word = slot;
    }
    if (!title.empty()) title += ' ';
    title += word;
  }
  return title;
}

QueryText writeQueryText(const CategorySpec& category, const Attributes& attributes,
                         const std::vector<std::string>& mustMention, int extra, Rng& rng) {
  std::vector<std::string> keys = mustMention;
  std::vector<std::string> others;
  for (const auto& [key, value] : attributes)
    if (!contains(keys, key)) others.push_back(key);
  rng.shuffle(others);
  for (int i = 0; i < extra && size_t(i) < others.size(); ++i) keys.push_back(others[size_t(i)]);

  QueryText q;
  // Adjectives in the order people stack them: brand, style, season, colour, pattern, material.
  static const std::vector<std::string> kAdjectiveOrder = {"brand", "style", "season", "color", "pattern", "material"};
  std::string before;
  for (const auto& key : kAdjectiveOrder) {
    if (!contains(keys, key)) continue;
    const std::string& value = attributes.at(key);
    // "plain" is often left unsaid, unless it is what tells the products apart.
    if (key == "pattern" && value == "solid" && !contains(mustMention, key) && rng.chance(0.5)) continue;
    q.mentioned[key] = value;
    before += queryPhrase(category, key, value) + " ";
  }
  std::vector<std::string> after;
  for (const auto& key : keys) {
    if (contains(kAdjectiveOrder, key)) continue;
    q.mentioned[key] = attributes.at(key);
    after.push_back(queryPhrase(category, key, attributes.at(key)));
  }
  static const std::vector<std::string> kPrefixes = {"", "", "", "looking for ", "need ", "want ", "searching "};
  std::string text = rng.pick(kPrefixes) + before + rng.pick(category.queryNouns);
  for (size_t i = 0; i < after.size(); ++i)
    text += (i == 0 ? " with " : (i + 1 == after.size() ? " and " : ", ")) + after[i];
  q.text = text;
  return q;
}

}  // namespace moon::synth
