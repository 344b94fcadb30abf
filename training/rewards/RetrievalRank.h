#pragma once

// Rank of each query's positive among its candidates, for the retrieval
// reward. Ties count against the positive (rank = 1 + #others scoring ≥ it),
// so collapsed embeddings cannot earn rank 1; a NaN positive score ranks last.

#include <vector>

#include <torch/torch.h>

namespace moon {

// scores [Q,N] (higher = closer), positiveIndex [Q] int → 1-based ranks.
std::vector<int> positiveRanks(const torch::Tensor& scores, const torch::Tensor& positiveIndex);

}  // namespace moon
