#include "model/inference/InferenceResult.h"

#include <cassert>
#include <cmath>

#include "model/fusion/FusionSets.h"

namespace moon {

std::vector<float> AttentionMaps::row(int layer, int head, int query) const {
  assert(layer >= 0 && layer < layers && head >= 0 && head < heads && query >= 0 && query < queries);
  const size_t start = ((static_cast<size_t>(layer) * heads + head) * queries + query) * keys;
  return {weights.begin() + static_cast<std::ptrdiff_t>(start),
          weights.begin() + static_cast<std::ptrdiff_t>(start + static_cast<size_t>(keys))};
}

std::vector<float> AttentionMaps::imageMap(int layer, int head, int query) const {
  if (imageKeys.empty()) return {};
  const auto r = row(layer, head, query);
  std::vector<float> map;
  map.reserve(imageKeys.size());
  for (int k : imageKeys) map.push_back(r[static_cast<size_t>(k)]);
  return map;
}

float AttentionMaps::imageShare(int layer, int head, int query) const {
  float sum = 0;
  for (float w : imageMap(layer, head, query)) sum += w;
  return sum;
}

float cosineSimilarity(const std::vector<float>& a, const std::vector<float>& b) {
  assert(a.size() == b.size());
  double dot = 0, na = 0, nb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    dot += static_cast<double>(a[i]) * b[i];
    na += static_cast<double>(a[i]) * a[i];
    nb += static_cast<double>(b[i]) * b[i];
  }
  return na > 0 && nb > 0 ? static_cast<float>(dot / std::sqrt(na * nb)) : 0.0f;
}

nlohmann::json viewResultToJson(const ViewResult& v, bool embeddings) {
  nlohmann::json j;
  j["modality"] = modalityName(v.modality);
  j["trace"] = v.traceText;
  j["trace_tokens"] = v.traceTokens;
  j["trace_closed"] = v.traceClosed;
  if (!v.traceCopyShare.empty()) j["trace_copy_share"] = v.traceCopyShare;
  nlohmann::json attributes = nlohmann::json::object();
  for (const auto& [key, value] : v.parsed.attributes) attributes[key] = value;
  j["attributes"] = attributes;
  j["parse_problems"] = v.parsed.problems;
  if (!v.gates.empty()) {
    nlohmann::json gates = nlohmann::json::object();
    for (int s = 0; s < kFusionSets; ++s)
      gates[fusionSetName(static_cast<FusionSet>(s))] =
          std::vector<float>(v.gates.begin() + s * v.gateHeads, v.gates.begin() + (s + 1) * v.gateHeads);
    j["gates"] = gates;
  }
  if (embeddings) {
    j["embedding"] = v.embedding;
    if (!v.discEmbedding.empty()) {
      j["disc_embedding"] = v.discEmbedding;
      j["disc_cosine"] = cosineSimilarity(v.embedding, v.discEmbedding);
    }
  }
  return j;
}

}  // namespace moon
