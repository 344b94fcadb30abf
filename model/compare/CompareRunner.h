#pragma once

// Runs a comparison on a loaded model. The header names no LibTorch type, so
// GUI code can call it without compiling <torch/torch.h>.
//
//   LoadedCheckpoint ck = loadCheckpoint(path);       // model/checkpoint/CheckpointLoader.h
//   auto result = runComparison(*ck.context, {query, truth, nearDup}, options, progress);

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "model/compare/ComparisonResult.h"

namespace moon {

class InferenceContext;

// Called between steps with the fraction done; return false to cancel.
using CompareProgress = std::function<bool(double fraction)>;

// Every slot that is not empty is run as a product (multimodal with the
// trace and attention; text-only and image-only for the similarity matrix).
// An empty slot stays empty. Returns nullopt when `progress` cancels. Throws
// moon::Error when no slot has input or a title cannot be encoded.
std::optional<ComparisonResult> runComparison(const InferenceContext& context,
                                              const std::array<CompareInput, kCompareSlots>& inputs,
                                              const CompareOptions& options, const CompareProgress& progress = {});

}  // namespace moon
