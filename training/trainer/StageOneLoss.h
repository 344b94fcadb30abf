#pragma once
// The stage-1 (cold start) objective of DESIGN.md §2:
//   sft.weight · next-token CE on the query's ground-truth trace
// + weight_emb  · InfoNCE(query <emb> vs positives + hard negatives, in-batch)
// + weight_disc · InfoNCE on <disc_emb>
// + weight_align· symmetric InfoNCE of each positive's image-only vs text-only view.
// Queries come in their own modality with their target trace (teacher
// forcing) for the next-token loss; their <emb> follows that target trace or,
// with contrastive.query_traces = greedy, the model's own greedy trace (a
// second forward), as at evaluation. Candidates are multimodal and embedded
// without traces (LREM), so training matches how a gallery is embedded at
// evaluation. The loss comes split into its tasks, "trace" and "contrastive",
// for optim.task_balance (TaskGradients.h).
//
// Data parallel (a DistributedContext): every rank holds its shard of the
// global batch. The contrastive terms gather every rank's embeddings, so the
// in-batch negatives are the global batch's, and each rank evaluates the
// whole global loss with the gradient flowing only into its own rows; the SFT
// term is this rank's token sum over the global token count. Summing the
// ranks' gradients thus gives exactly the single-process gradient of the
// global batch for the network, while parameters every rank sees whole (the
// logit scale) must be averaged, not summed (the Trainer does both).
#include <torch/torch.h>
#include <map>
#include <string>
#include "model/MoonModel.h"
#include "training/TrainConfig.h"
#include "training/losses/LogitScale.h"
#include "training/trainer/LossParts.h"

namespace moon {

class DistributedContext;

// Which terms a step trains (training/trainer/Curriculum.h).
enum class StageOneTerms {
  All,          // SFT + contrastive (the joint stage)
  TraceOnly,    // the next-token loss alone at full weight: no candidate forward, no contrastive terms
  Contrastive,  // the contrastive terms alone: no trace loss
};

// `batch` must already be on the model's device. `dist` may be null (one process).
// `vocabLimit` (> 0: the tokenizer's size) bounds the ids of the queries' own
// traces (contrastive.query_traces = greedy).
LossParts stageOneLoss(MoonModelImpl& model, LogitScaleImpl& scale, const TripletBatch& batch, const TrainConfig& cfg,
                       DistributedContext* dist = nullptr, StageOneTerms terms = StageOneTerms::All,
                       int64_t vocabLimit = 0);

}  // namespace moon
