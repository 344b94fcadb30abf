#pragma once

// "Why are these two close?" for a (query, candidate) pair: which parts of
// the candidate's picture and which of the query's title and trace tokens
// move their cosine, and what the query's embedding becomes when its trace
// is edited (a counterfactual). The header names no LibTorch type.
//
// Both products are embedded after their own trace (greedy, as the Compare
// view shows them), teacher-forced so gradients flow:
//   * image: gradient × input of the candidate's pixels (all paths: decoder
//     tokens, FIRE, MMF's image set), |·| summed over channels and pooled on
//     the merged patch grid the attention maps use;
//   * tokens: gradient × input at the decoder's input embeddings of the
//     query's title and trace tokens, summed over the dimensions (signed:
//     positive raises the cosine). MMF's direct read of the title embeddings
//     is not included.
// Faithfulness (ROAD-style, after Rong et al. 2022, but imputing the
// attribution's own baseline): the candidate's most- and least-attributed
// patches (a share of them) are set to mid-grey and the cosine measured
// again; a faithful map moves the cosine more when its top patches go.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/compare/ComparisonResult.h"

namespace moon {

class InferenceContext;

struct AttributionOptions {
  int maxTraceTokens = 0;     // 0: the model's max_trace_tokens
  double removedShare = 0.2;  // of the patches, for the faithfulness check
  // The query's trace as text to embed after, instead of its greedy one (a counterfactual).
  std::optional<std::string> queryTrace;
};

struct TokenAttribution {
  std::string text;
  bool inTrace = false;  // else in the title
  float score = 0;       // gradient × input, signed
};

struct SimilarityAttribution {
  float cosine = 0;  // cos(query <emb>, candidate <emb>)
  std::string queryTrace, candidateTrace;
  int gridSide = 0;                           // 0: the candidate has no image
  std::vector<float> patches;                 // gridSide², row-major, ≥ 0, the largest 1 (all 0 when flat)
  std::vector<TokenAttribution> queryTokens;  // title then trace, in order
  // Faithfulness: the cosine with the top / bottom `removedShare` of patches replaced.
  float cosineWithoutMost = 0, cosineWithoutLeast = 0;
  double removedShare = 0;
};

// Throws moon::Error when either input is empty or a title cannot be encoded.
SimilarityAttribution attributeSimilarity(const InferenceContext& context, const CompareInput& query,
                                          const CompareInput& candidate, const AttributionOptions& options = {});

// Keys: "cosine", "query_trace", "candidate_trace", "grid_side", "patches",
// "query_tokens" [{"text", "in_trace", "score"}], "faithfulness"
// {"removed_share", "cosine_without_most", "cosine_without_least"}.
nlohmann::json attributionToJson(const SimilarityAttribution& attribution);

// The query's <emb> after `trace` (text, encoded by the context's codec; "" =
// an empty trace), L2-normalised: what the embedding would be had the model
// written that trace. Throws moon::Error without a codec that encodes.
std::vector<float> embedAfterTrace(const InferenceContext& context, const CompareInput& query, const std::string& trace,
                                   int maxTraceTokens = 0);

}  // namespace moon
