#include "training/events/ValidationSamples.h"

#include "core/base/Error.h"
#include "training/eval/TextTable.h"

namespace moon {
namespace {

using nlohmann::json;

json rewardJson(const RewardBreakdown& r) {
  return {{"format", r.format},
          {"length", r.length},
          {"retrieval", r.retrieval},
          {"attribute", r.attribute},
          {"total", r.total}};
}

RewardBreakdown rewardFrom(const json& j) {
  RewardBreakdown r;
  r.format = j.at("format").get<double>();
  r.length = j.at("length").get<double>();
  r.retrieval = j.at("retrieval").get<double>();
  r.attribute = j.at("attribute").get<double>();
  r.total = j.at("total").get<double>();
  return r;
}

}  // namespace

json ValidationSamples::toJson() const {
  json cos = json::object();
  for (const auto& [name, h] : cosines)
    cos[name] = {{"low", h.low}, {"high", h.high}, {"counts", h.counts}, {"total", h.total}, {"mean", h.mean}};
  json gs = json::array();
  for (const auto& g : groups) {
    json samples = json::array();
    for (const auto& s : g.samples)
      samples.push_back({{"trace", s.trace},
                         {"closed", s.closed},
                         {"tokens", s.tokens},
                         {"rank", s.rank},
                         {"reward", rewardJson(s.reward)},
                         {"advantage", s.advantage}});
    gs.push_back({{"query", g.query},
                  {"title", g.title},
                  {"image", g.image},
                  {"positive", g.positive},
                  {"labels", g.labels},
                  {"zero_spread", g.zeroSpread},
                  {"samples", samples}});
  }
  return {{"step", step}, {"direction", direction}, {"cosines", cos}, {"groups", gs}};
}

ValidationSamples ValidationSamples::fromJson(const json& j) {
  try {
    ValidationSamples out;
    out.step = j.at("step").get<int64_t>();
    out.direction = j.at("direction").get<std::string>();
    for (const auto& [name, h] : j.at("cosines").items()) {
      CosineHistogram c;
      c.low = h.at("low").get<double>();
      c.high = h.at("high").get<double>();
      c.counts = h.at("counts").get<std::vector<int64_t>>();
      c.total = h.at("total").get<int64_t>();
      c.mean = h.at("mean").get<double>();
      if (c.counts.empty() || !(c.high > c.low))
        throw FormatError("cosine histogram '" + name + "' has no bins or an empty range");
      out.cosines[name] = std::move(c);
    }
    for (const auto& g : j.at("groups")) {
      TraceGroup group;
      group.query = g.at("query").get<std::string>();
      group.title = g.at("title").get<std::string>();
      group.image = g.at("image").get<std::string>();
      group.positive = g.at("positive").get<std::string>();
      group.labels = g.at("labels").get<Attributes>();
      group.zeroSpread = g.at("zero_spread").get<bool>();
      for (const auto& s : g.at("samples")) {
        SampledTrace t;
        t.trace = s.at("trace").get<std::string>();
        t.closed = s.at("closed").get<bool>();
        t.tokens = s.at("tokens").get<int>();
        t.rank = s.at("rank").get<int>();
        t.reward = rewardFrom(s.at("reward"));
        t.advantage = s.at("advantage").get<double>();
        group.samples.push_back(std::move(t));
      }
      out.groups.push_back(std::move(group));
    }
    return out;
  } catch (const json::exception& e) {
    throw FormatError(std::string("validation samples: ") + e.what());
  }
}

std::string ValidationSamples::traceGroupsCsv() const {
  std::string out =
      "step,query,title,positive,sample,trace,closed,tokens,rank,reward_format,reward_length,reward_retrieval,"
      "reward_attribute,reward_total,advantage\n";
  for (const auto& g : groups)
    for (std::size_t i = 0; i < g.samples.size(); ++i) {
      const SampledTrace& s = g.samples[i];
      out += std::to_string(step) + "," + csvField(g.query) + "," + csvField(g.title) + "," + csvField(g.positive) +
             "," + std::to_string(i + 1) + "," + csvField(s.trace) + "," + (s.closed ? "1" : "0") + "," +
             std::to_string(s.tokens) + "," + std::to_string(s.rank);
      for (double v :
           {s.reward.format, s.reward.length, s.reward.retrieval, s.reward.attribute, s.reward.total, s.advantage})
        out += "," + nlohmann::json(v).dump();
      out += "\n";
    }
  return out;
}

}  // namespace moon
