#pragma once
// The stage-1 (cold start) objective of DESIGN.md §2:
//   sft.weight · next-token CE on the query's ground-truth trace
// + weight_emb  · InfoNCE(query <emb> vs positives + hard negatives, in-batch)
// + weight_disc · InfoNCE on <disc_emb>
// + weight_align· symmetric InfoNCE of each positive's image-only vs text-only view.
// Queries come in their own modality with their target trace (teacher
// forcing); candidates are multimodal and embedded without traces (LREM), so
// training matches how a gallery is embedded at evaluation.
#include <torch/torch.h>
#include <map>
#include <string>
#include "model/MoonModel.h"
#include "training/TrainConfig.h"
#include "training/losses/LogitScale.h"

namespace moon {

struct LossParts {
  torch::Tensor total;                    // scalar with gradient
  std::map<std::string, double> numbers;  // "loss_emb", "acc_emb", ... (detached)
};

// `batch` must already be on the model's device.
LossParts stageOneLoss(MoonModelImpl& model, LogitScaleImpl& scale, const TripletBatch& batch, const TrainConfig& cfg);

// `batch` with every trace removed (empty think block): how candidates are embedded.
ProductBatch withoutTraces(const ProductBatch& batch);

}  // namespace moon
