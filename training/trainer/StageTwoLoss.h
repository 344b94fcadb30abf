#pragma once
// The stage-2 (GRPO) objective of DESIGN.md §2, on the head of a training batch:
// for each of `grpo.queries` queries, G traces are sampled without gradient;
// each is rewarded (format, length, rank of the positive among the batch's
// candidates using the embedding after that trace); advantages are
// group-normalised; one teacher-forced forward with gradient over
// [prompt; trace; <emb>] gives the token log-probs for the clipped objective
// (KL k3 to the frozen stage-1 reference) and the <emb> state for InfoNCE.
// Tasks: "policy" and "contrastive" (grpo.keep_stage_one adds stage 1's
// terms, TrainingStep.cpp).
#include <cstdint>
#include "core/text/BpeTokenizer.h"
#include "training/trainer/StageOneLoss.h"

namespace moon {

// `reference` is the frozen stage-1 model; `samplingSeed` makes the sampled
// traces a function of the step (exact resume).
//
// Data parallel (`dist` not null; each rank passes its own sampling seed):
// ranks and InfoNCE use every rank's candidates, the InfoNCE term is the
// gathered global one (as in stage 1) and the policy term is this rank's
// token mean divided by the world size, so summed gradients give the mean of
// the ranks' policy losses. The logged numbers other than the InfoNCE ones are
// this rank's.
LossParts stageTwoLoss(MoonModelImpl& model, MoonModelImpl& reference, LogitScaleImpl& scale, const TripletBatch& batch,
                       const TrainConfig& cfg, const BpeTokenizer& tokenizer, uint64_t samplingSeed,
                       DistributedContext* dist = nullptr);

}  // namespace moon
