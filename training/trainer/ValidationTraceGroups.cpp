#include "training/trainer/ValidationTraceGroups.h"

#include <algorithm>

#include "training/data/SampleRng.h"
#include "training/rewards/GroupAdvantages.h"
#include "training/rewards/Reward.h"

namespace moon {

ValidationSamples validationSamples(const ValidationRetrieval& validation, MoonModelImpl& model, const TrainConfig& cfg,
                                    int64_t step) {
  ValidationSamples out;
  out.step = step;
  out.cosines = validation.cosineHistograms();
  const GrpoConfig& g = cfg.grpo.options;
  SamplingOptions sampling;
  sampling.greedy = false;
  sampling.temperature = g.temperature;
  sampling.topP = g.top_p;
  sampling.seed = SampleRng({static_cast<uint64_t>(cfg.seed), static_cast<uint64_t>(step), 0x7a11}).next();
  const int maxTokens = std::min(g.max_new_tokens, cfg.model.max_trace_tokens);
  const int candidates = static_cast<int>(std::max<std::size_t>(2, validation.galleryItems()));
  for (const SampledQueryTraces& q :
       validation.sampleQueryTraces(model, cfg.eval.trace_groups, g.group_size, sampling, maxTokens)) {
    TraceGroup group;
    group.query = q.query.id;
    group.title = q.query.title;
    group.image = q.query.imagePath;
    group.positive = q.positive;
    group.labels = q.query.allAttributes();
    std::vector<double> totals;
    for (std::size_t i = 0; i < q.traces.size(); ++i) {
      SampledTrace s;
      s.trace = q.traces[i];
      s.closed = q.closed[i];
      s.tokens = q.tokens[i];
      s.rank = q.ranks[i];
      RewardInputs in;
      in.trace = q.traces[i] + (q.closed[i] ? "</think>" : "");
      in.traceTokens = q.tokens[i];
      in.rank = q.ranks[i] > 0 ? q.ranks[i] : candidates;  // not embedded: ranked last
      in.numCandidates = candidates;
      in.labels = group.labels;
      s.reward = computeReward(in, g.rewards);
      totals.push_back(s.reward.total);
      group.samples.push_back(std::move(s));
    }
    // A query whose image could not be read has fewer samples than the group size; score what it has.
    const GroupAdvantages adv = groupAdvantages(totals, static_cast<int>(totals.size()));
    for (std::size_t i = 0; i < group.samples.size(); ++i) group.samples[i].advantage = adv.advantages[i];
    group.zeroSpread = !adv.droppedGroups.empty();
    out.groups.push_back(std::move(group));
  }
  return out;
}

}  // namespace moon
