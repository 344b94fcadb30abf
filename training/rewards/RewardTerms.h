#pragma once

// The terms of the GRPO reward, on plain values (DESIGN.md §2). Each is in
// [0, 1]; Reward.h weighs and sums them.

#include <string>

#include "core/data/Product.h"
#include "core/data/TraceFormat.h"

namespace moon {

// Parsable `key: value; …` closed by </think> → 1. Otherwise the share of
// `;`-separated pieces that parse as new key/value pairs, times
// `unclosedCredit` when </think> is missing. No pair at all → 0.
double formatReward(const ParsedTrace& trace, double unclosedCredit = 0.5);
double formatReward(const std::string& traceText, double unclosedCredit = 0.5);

// [tokens ≤ cap]: 1 or 0.
double lengthReward(int traceTokens, int cap);

// 1 − log(rank)/log(N): 1 for rank 1, 0 for rank N (LREM).
// Throws std::invalid_argument unless N ≥ 2 and 1 ≤ rank ≤ N (a caller's bug).
double retrievalReward(int rank, int numCandidates);

// Share of the labelled attributes the trace states with the same value
// (keys and values compared trimmed and case-insensitively). No labels → 0.
double attributeReward(const Attributes& stated, const Attributes& labelled);

}  // namespace moon
