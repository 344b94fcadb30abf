#include "training/trainer/StageTwoLoss.h"

#include "training/rewards/RolloutStats.h"

#include <algorithm>

#include "core/data/TraceFormat.h"
#include "model/generation/TraceGenerator.h"
#include "model/inference/BatchViews.h"
#include "training/distributed/DistributedContext.h"
#include "training/losses/GrpoLoss.h"
#include "training/losses/InfoNce.h"
#include "training/losses/TokenLogProbs.h"
#include "training/rewards/GroupAdvantages.h"
#include "training/rewards/RetrievalRank.h"
#include "training/rewards/Reward.h"

namespace moon {
namespace {

// The first `queries` rows' labelled attributes: their target traces (the
// labels written as `key: value; …`), parsed back. A row without a target
// trace has none, and its samples get no attribute reward.
std::vector<Attributes> labelledAttributes(const ProductBatch& query, int64_t queries, const BpeTokenizer& tokenizer) {
  std::vector<Attributes> out;
  const auto ids = query.traceIds.to(torch::kCPU);
  const auto lengths = query.traceLengths.to(torch::kCPU);
  for (int64_t q = 0; q < queries; ++q) {
    std::vector<int32_t> row;
    for (int64_t t = 0; t < lengths[q].item<int64_t>(); ++t)
      row.push_back(static_cast<int32_t>(ids[q][t].item<int64_t>()));
    out.push_back(row.empty() ? Attributes{} : parseTrace(tokenizer.decode(row, true)).attributes);
  }
  return out;
}

}  // namespace

LossParts stageTwoLoss(MoonModelImpl& model, MoonModelImpl& reference, LogitScaleImpl& scale, const TripletBatch& batch,
                       const TrainConfig& cfg, const BpeTokenizer& tokenizer, uint64_t samplingSeed,
                       DistributedContext* dist) {
  const GrpoConfig& g = cfg.grpo.options;
  const int64_t B = batch.query.size();
  const int64_t Q = std::min<int64_t>(cfg.grpo.queries, B);
  const int64_t G = g.group_size;

  // Each query repeated G times, groups back to back.
  std::vector<int64_t> rows;
  for (int64_t q = 0; q < Q; ++q)
    for (int64_t k = 0; k < G; ++k) rows.push_back(q);
  const ProductBatch prompts = withoutTraces(selectRows(batch.query, rows));

  GenerationOptions gen;
  gen.sampling.greedy = false;
  gen.sampling.temperature = g.temperature;
  gen.sampling.topP = g.top_p;
  gen.sampling.seed = samplingSeed;
  gen.maxTokens = std::min(g.max_new_tokens, cfg.model.max_trace_tokens);
  gen.vocabLimit = tokenizer.vocabSize();
  const GenerationResult sampled = generateTraces(model, prompts, gen);
  const ProductBatch traced = withTraces(prompts, sampled);

  // Candidates (positives then negatives) without traces, with gradient for InfoNCE.
  ForwardOptions embedOnly;
  embedOnly.traceLogits = false;
  const ModelOutput cand = model.forward(
      concatBatches({withoutTraces(batch.positive), withoutTraces(batch.negative)}, model.specialTokens().pad),
      embedOnly);
  const ModelOutput out = model.forward(traced);
  torch::Tensor refLogProbs;
  {
    torch::NoGradGuard noGrad;
    const ModelOutput ref = reference.forward(traced);
    refLogProbs = tokenLogProbs(ref.traceLogits, ref.traceTargets);
  }
  const torch::Tensor logProbs = tokenLogProbs(out.traceLogits, out.traceTargets);
  torch::Tensor mask = out.traceMask;
  if (sampled.logProbMask.sizes() == mask.sizes()) mask = mask & sampled.logProbMask.to(mask.device());

  // Rewards: the rank of the query's positive among all 2B candidates (of every rank).
  const int64_t offset = dist ? int64_t(dist->rank()) * cand.embedding.size(0) : 0;
  const auto targets = (torch::tensor(rows, torch::kLong) + offset).to(out.embedding.device());
  const torch::Tensor candidates = dist ? dist->allGather(cand.embedding) : cand.embedding;
  const std::vector<int> ranks = positiveRanks(torch::matmul(out.embedding.detach(), candidates.detach().t()), targets);
  const auto tokens = sampled.tokens.to(torch::kCPU);
  const auto lengths = sampled.lengths.to(torch::kCPU);
  const auto closed = sampled.closed.to(torch::kCPU);
  const std::vector<Attributes> labels = labelledAttributes(batch.query, Q, tokenizer);
  std::vector<RewardBreakdown> rewards;
  std::vector<double> totals;
  std::vector<int> sampleLengths;
  std::vector<bool> sampleClosed;
  for (int64_t i = 0; i < Q * G; ++i) {
    const int64_t len = lengths[i].item<int64_t>();
    sampleLengths.push_back(static_cast<int>(len));
    sampleClosed.push_back(closed[i].item<bool>());
    std::vector<int32_t> ids;
    for (int64_t t = 0; t < len; ++t) ids.push_back(static_cast<int32_t>(tokens[i][t].item<int64_t>()));
    RewardInputs in;
    in.trace = tokenizer.decode(ids, true) + (sampleClosed.back() ? "</think>" : "");
    in.traceTokens = static_cast<int>(len);
    in.rank = ranks[static_cast<size_t>(i)];
    in.numCandidates = static_cast<int>(candidates.size(0));
    in.labels = labels[static_cast<size_t>(rows[static_cast<size_t>(i)])];
    rewards.push_back(computeReward(in, g.rewards));
    totals.push_back(rewards.back().total);
  }
  const GroupAdvantages adv = groupAdvantages(totals, static_cast<int>(G));
  const auto advantages = torch::tensor(adv.advantages, torch::kDouble).to(logProbs.options());

  const GrpoResult policy = grpoLoss(logProbs, torch::Tensor(), refLogProbs, mask, advantages, g);
  // Collectives in a fixed order on every rank (not as arguments of one call).
  const torch::Tensor queries = dist ? dist->allGather(out.embedding) : out.embedding;
  const torch::Tensor queryTargets = dist ? dist->allGather(targets) : targets;
  const InfoNceResult nce = infoNceOverCandidates(queries, candidates, queryTargets, scale.forward());

  LossParts parts;
  const double worldSize = dist ? dist->worldSize() : 1;
  parts.add("policy", g.weight_policy * policy.loss / worldSize);
  parts.add("contrastive", g.weight_contrastive * nce.loss);
  parts.value = g.weight_policy * policy.loss.item<double>() + g.weight_contrastive * nce.loss.item<double>();
  const RewardSummary summary = summarizeRewards(rewards);
  parts.numbers["loss_policy"] = policy.policyLoss;
  parts.numbers["loss_rl_emb"] = nce.loss.item<double>();
  parts.numbers["acc_rl_emb"] = nce.stats.accuracy;
  parts.numbers["reward_mean"] = summary.mean.total;
  parts.numbers["reward_std"] = summary.totalStd;
  parts.numbers["reward_format"] = summary.mean.format;
  parts.numbers["reward_length"] = summary.mean.length;
  parts.numbers["reward_retrieval"] = summary.mean.retrieval;
  parts.numbers["reward_attribute"] = summary.mean.attribute;
  parts.numbers["kl"] = policy.klMean;
  parts.numbers["clip_fraction"] = policy.clipFraction;
  parts.numbers["entropy"] = maskedMean(tokenEntropy(out.traceLogits, gen.vocabLimit), mask);
  parts.numbers["kept_groups"] = adv.keptGroups();
  const RolloutStats rollout = rolloutStats(sampleLengths, sampleClosed, rewards, adv);
  parts.numbers["rollout_len_mean"] = rollout.lengthMean;
  parts.numbers["rollout_len_min"] = rollout.lengthMin;
  parts.numbers["rollout_len_max"] = rollout.lengthMax;
  parts.numbers["rollout_cut_share"] = rollout.cutShare;
  parts.numbers["zero_spread_share"] = rollout.zeroSpreadShare;
  parts.numbers["reward_format_std"] = rollout.termStd.format;
  parts.numbers["reward_length_std"] = rollout.termStd.length;
  parts.numbers["reward_retrieval_std"] = rollout.termStd.retrieval;
  parts.numbers["reward_attribute_std"] = rollout.termStd.attribute;
  return parts;
}

}  // namespace moon
