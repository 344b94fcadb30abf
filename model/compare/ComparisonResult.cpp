#include "model/compare/ComparisonResult.h"

#include <cmath>
#include <limits>
#include <set>

namespace moon {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr Modality kModalities[] = {Modality::Text, Modality::Image, Modality::Multimodal};

nlohmann::json number(float v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json attributesJson(const Attributes& a) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : a) j[k] = v;
  return j;
}

std::optional<std::string> lookup(const Attributes& a, const std::string& key) {
  const auto it = a.find(key);
  if (it == a.end()) return std::nullopt;
  return it->second;
}

}  // namespace

const char* compareSlotKey(int slot) {
  static const char* keys[] = {"query", "ground_truth", "near_duplicate"};
  return keys[slot];
}

const char* compareSlotTitle(int slot) {
  static const char* titles[] = {"Query", "Ground truth", "Near-duplicate"};
  return titles[slot];
}

const ViewResult& CompareSlotResult::view(Modality m) const {
  switch (m) {
    case Modality::Text:
      return text;
    case Modality::Image:
      return image;
    case Modality::Multimodal:
      break;
  }
  return multimodal;
}

const CompareMargin* ComparisonResult::margin(Modality queryModality) const {
  for (const auto& m : margins)
    if (m.queryModality == queryModality) return &m;
  return nullptr;
}

SimilarityMatrix similarityMatrix(const std::array<CompareSlotResult, kCompareSlots>& slots) {
  SimilarityMatrix s;
  s.size = kCompareSlots * 3;
  for (int slot = 0; slot < kCompareSlots; ++slot)
    for (Modality m : kModalities) s.labels.push_back(std::string(compareSlotKey(slot)) + "/" + modalityName(m));
  s.values.assign(static_cast<size_t>(s.size * s.size), kNaN);
  for (int a = 0; a < s.size; ++a)
    for (int b = 0; b < s.size; ++b) {
      const auto& ea = slots[static_cast<size_t>(a / 3)].embedding(kModalities[a % 3]);
      const auto& eb = slots[static_cast<size_t>(b / 3)].embedding(kModalities[b % 3]);
      if (ea.empty() || eb.empty() || ea.size() != eb.size()) continue;
      s.values[static_cast<size_t>(a * s.size + b)] = a == b ? 1.0f : cosineSimilarity(ea, eb);
    }
  // Symmetric by construction: the cosine is, and one value is kept for both halves.
  for (int a = 0; a < s.size; ++a)
    for (int b = a + 1; b < s.size; ++b) s.values[static_cast<size_t>(b * s.size + a)] = s.at(a, b);
  return s;
}

std::vector<CompareMargin> compareMargins(const std::array<CompareSlotResult, kCompareSlots>& slots) {
  std::vector<CompareMargin> out;
  const auto& pos = slots[kGroundTruthSlot].embedding(Modality::Multimodal);
  const auto& neg = slots[kNearDuplicateSlot].embedding(Modality::Multimodal);
  for (Modality m : kModalities) {
    CompareMargin c;
    c.queryModality = m;
    const auto& q = slots[kQuerySlot].embedding(m);
    c.positive = q.empty() || pos.empty() ? kNaN : cosineSimilarity(q, pos);
    c.negative = q.empty() || neg.empty() ? kNaN : cosineSimilarity(q, neg);
    c.margin = c.positive - c.negative;
    const auto& dq = slots[kQuerySlot].discEmbedding(m);
    const auto& dpos = slots[kGroundTruthSlot].discEmbedding(Modality::Multimodal);
    const auto& dneg = slots[kNearDuplicateSlot].discEmbedding(Modality::Multimodal);
    c.discPositive = dq.empty() || dpos.empty() ? kNaN : cosineSimilarity(dq, dpos);
    c.discNegative = dq.empty() || dneg.empty() ? kNaN : cosineSimilarity(dq, dneg);
    c.discMargin = c.discPositive - c.discNegative;
    out.push_back(c);
  }
  return out;
}

std::vector<AttributeRow> attributeRows(const ComparisonResult& result) {
  std::set<std::string> keys;
  for (const auto& s : result.slots) {
    for (const auto& [k, v] : s.multimodal.parsed.attributes) keys.insert(k);
    if (s.input.truth)
      for (const auto& [k, v] : *s.input.truth) keys.insert(k);
  }
  std::vector<AttributeRow> rows;
  for (const auto& key : keys) {
    AttributeRow r;
    r.key = key;
    for (size_t s = 0; s < result.slots.size(); ++s) {
      const auto& slot = result.slots[s];
      r.predicted[s] = lookup(slot.multimodal.parsed.attributes, key);
      if (slot.input.truth) r.truth[s] = lookup(*slot.input.truth, key);
    }
    for (size_t s = 1; s < result.slots.size(); ++s)
      r.differs[s] = r.predicted[0] && r.predicted[s] && *r.predicted[0] != *r.predicted[s];
    rows.push_back(std::move(r));
  }
  return rows;
}

nlohmann::json comparisonToJson(const ComparisonResult& result) {
  nlohmann::json j;
  j["checkpoint"] = result.checkpoint;
  j["seconds"] = result.seconds;
  j["options"] = {{"greedy", result.options.greedy},
                  {"temperature", result.options.temperature},
                  {"top_p", result.options.topP},
                  {"seed", result.options.seed},
                  {"max_tokens", result.options.maxTokens}};
  nlohmann::json slots = nlohmann::json::object();
  for (int s = 0; s < kCompareSlots; ++s) {
    const auto& slot = result.slots[static_cast<size_t>(s)];
    nlohmann::json js = viewResultToJson(slot.multimodal, /*embeddings=*/false);
    js["id"] = slot.input.id;
    js["title"] = slot.input.title;
    js["image"] = slot.input.imagePath;
    js["has_image"] = !slot.input.image.empty();
    js["truth"] = slot.input.truth ? attributesJson(*slot.input.truth) : nlohmann::json(nullptr);
    js["text_trace"] = slot.text.traceText;
    js["image_trace"] = slot.image.traceText;
    slots[compareSlotKey(s)] = js;
  }
  j["slots"] = slots;
  nlohmann::json attrs = nlohmann::json::array();
  for (const auto& r : attributeRows(result)) {
    nlohmann::json a;
    a["key"] = r.key;
    for (int s = 0; s < kCompareSlots; ++s) {
      const auto i = static_cast<size_t>(s);
      a[compareSlotKey(s)] = {{"predicted", r.predicted[i] ? nlohmann::json(*r.predicted[i]) : nullptr},
                              {"truth", r.truth[i] ? nlohmann::json(*r.truth[i]) : nullptr},
                              {"differs_from_query", r.differs[i]}};
    }
    attrs.push_back(a);
  }
  j["attributes"] = attrs;
  nlohmann::json matrix = nlohmann::json::array();
  for (int a = 0; a < result.similarity.size; ++a) {
    nlohmann::json row = nlohmann::json::array();
    for (int b = 0; b < result.similarity.size; ++b) row.push_back(number(result.similarity.at(a, b)));
    matrix.push_back(row);
  }
  j["similarity"] = {{"labels", result.similarity.labels}, {"matrix", matrix}};
  nlohmann::json margins = nlohmann::json::object();
  for (const auto& m : result.margins)
    margins[std::string(modalityName(m.queryModality)) + "->mm"] = {{"positive", number(m.positive)},
                                                                    {"negative", number(m.negative)},
                                                                    {"margin", number(m.margin)},
                                                                    {"disc_positive", number(m.discPositive)},
                                                                    {"disc_negative", number(m.discNegative)},
                                                                    {"disc_margin", number(m.discMargin)}};
  j["margins"] = margins;
  return j;
}

std::string comparisonJsonText(const ComparisonResult& result) {
  return comparisonToJson(result).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace moon
