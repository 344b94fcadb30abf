#include "training/eval/EvaluationResult.h"

#include <cstdio>

#include "core/base/Error.h"
#include "training/eval/TextTable.h"

namespace moon {

namespace {

using nlohmann::json;
using Align = TextTable::Align;

std::string formatFixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

std::string formatPercent(double fraction) { return formatFixed(fraction * 100.0, 1); }

std::string signedPercentPoints(double fraction) { return (fraction >= 0 ? "+" : "") + formatPercent(fraction); }

const RetrievalReport* EvaluationResult::findRetrieval(const std::string& name) const {
  for (const auto& r : retrieval)
    if (r.name == name) return &r;
  return nullptr;
}

namespace {

std::optional<double> meanRecallOf(const std::vector<RetrievalReport>& reports) {
  double sum = 0.0;
  std::size_t n = 0;
  for (const auto& r : reports) {
    if (r.queries == 0) continue;
    sum += r.recallAt10;
    ++n;
  }
  if (n == 0) return std::nullopt;
  return sum / static_cast<double>(n);
}

}  // namespace

std::optional<double> EvaluationResult::meanRecallAt10() const { return meanRecallOf(retrieval); }
std::optional<double> EvaluationResult::meanDiscRecallAt10() const { return meanRecallOf(discRetrieval); }

std::optional<BootstrapInterval> EvaluationResult::meanRecallAt10Interval() const {
  if (perQuery.empty()) return std::nullopt;
  return bootstrapMeanRecall(perQuery);
}

std::optional<BootstrapInterval> EvaluationResult::thinkingGainInterval() const {
  if (perQuery.empty() || discRetrieval.empty()) return std::nullopt;
  return pairedMeanRecallDifference(perQuery, RankKind::Emb, perQuery, RankKind::Disc);
}

// The report structs say their keys once, in their visit members; this adds
// the top level and the derived mean.
json EvaluationResult::toJson() const {
  EvaluationResult copy = *this;
  json out = configToJson(copy);
  const auto mean = meanRecallAt10(), disc = meanDiscRecallAt10();
  out["mean_recall@10"] = mean ? json(*mean) : json(nullptr);
  out["mean_disc_recall@10"] = disc ? json(*disc) : json(nullptr);
  const auto ci = meanRecallAt10Interval();
  out["mean_recall@10_ci95"] = ci ? json::array({ci->low, ci->high}) : json(nullptr);
  const auto gain = thinkingGainInterval();
  out["thinking_gain@10"] = gain ? json(gain->estimate) : json(nullptr);
  out["thinking_gain@10_ci95"] = gain ? json::array({gain->low, gain->high}) : json(nullptr);
  return out;
}

EvaluationResult EvaluationResult::fromJson(const json& j) {
  EvaluationResult result = recordFromJson<EvaluationResult>(j, "evaluation result");
  if (result.coarseCategory) result.coarseCategory->name = "coarse";
  if (result.fineCategory) result.fineCategory->name = "fine";
  return result;
}

namespace {

std::string retrievalTable(const std::vector<RetrievalReport>& reports, const std::string& title,
                           std::optional<double> mean) {
  TextTable t(
      {title, "queries", "missing", "gallery", "R@1", "R@5", "R@10", "MRR"},
      {Align::Left, Align::Right, Align::Right, Align::Right, Align::Right, Align::Right, Align::Right, Align::Right});
  for (const auto& r : reports) {
    if (r.queries == 0) {
      t.addRow({r.name, "0", "-", std::to_string(r.galleryItems), "-", "-", "-", "-"});
      continue;
    }
    t.addRow({r.name, std::to_string(r.queries), std::to_string(r.missing), std::to_string(r.galleryItems),
              formatPercent(r.recallAt1), formatPercent(r.recallAt5), formatPercent(r.recallAt10),
              formatFixed(r.mrr, 3)});
  }
  t.addRow({"mean", "", "", "", "", "", mean ? formatPercent(*mean) : "-", ""});
  return t.toText();
}

}  // namespace

std::string EvaluationResult::formatTable() const {
  std::string out;
  if (!retrieval.empty()) out += retrievalTable(retrieval, "Retrieval", meanRecallAt10());
  if (const auto ci = meanRecallAt10Interval())
    out += "mean R@10 95 % interval: [" + formatPercent(ci->low) + ", " + formatPercent(ci->high) + "] (±" +
           formatPercent((ci->high - ci->low) / 2) + "; bootstrap over the queries' positive products, " +
           std::to_string(ci->resamples) + " resamples)\n";
  if (!discRetrieval.empty())
    out += "\n" + retrievalTable(discRetrieval, "<disc_emb>", meanDiscRecallAt10()) +
           "(<disc_emb>: the same model's embedding before any trace)\n";
  if (const auto gain = thinkingGainInterval())
    out += "thinking at inference (<emb> - <disc_emb>, mean R@10): " + signedPercentPoints(gain->estimate) +
           " points, 95 % paired interval [" + signedPercentPoints(gain->low) + ", " + signedPercentPoints(gain->high) +
           "]" + (gain->excludesZero() ? "" : " (not resolved by these queries)") + "\n";
  if (!retrieval.empty()) out += "(R@k in %, MRR in [0,1])\n";
  if (nearDuplicate) {
    TextTable t({"Near-duplicate", "triplets", "skipped", "positive wins", "accuracy %", "mean margin"},
                {Align::Left, Align::Right, Align::Right, Align::Right, Align::Right, Align::Right});
    for (const auto* report : {&nearDuplicate, &discNearDuplicate}) {
      if (!*report) continue;
      const auto& n = **report;
      t.addRow({report == &nearDuplicate ? "sim(q,p) > sim(q,n)" : "with <disc_emb>", std::to_string(n.triplets),
                std::to_string(n.skipped), std::to_string(n.wins), n.triplets ? formatPercent(n.accuracy) : "-",
                n.triplets ? formatFixed(n.meanMargin, 4) : "-"});
    }
    out += (out.empty() ? "" : "\n") + t.toText();
  }
  if (traces)
    out += (out.empty() ? "" : "\n") + std::string("Query traces: ") + std::to_string(traces->traces) + ", closed " +
           formatPercent(traces->closedShare) + " %, parsable " + formatPercent(traces->parsableShare) + " %\n";
  if (coarseCategory || fineCategory) {
    TextTable t({"Category", "items", "classes", "unseen", "correct", "accuracy %"},
                {Align::Left, Align::Right, Align::Right, Align::Right, Align::Right, Align::Right});
    for (const auto* c : {&coarseCategory, &fineCategory}) {
      if (!*c) continue;
      const auto& r = **c;
      t.addRow({r.name, std::to_string(r.items), std::to_string(r.classes), std::to_string(r.unseen),
                std::to_string(r.correct), r.items ? formatPercent(r.accuracy) : "-"});
    }
    out += (out.empty() ? "" : "\n") + t.toText();
  }
  if (attributes) {
    const auto& a = *attributes;
    TextTable t({"Attribute", "labelled", "correct", "accuracy %"},
                {Align::Left, Align::Right, Align::Right, Align::Right});
    for (const auto& k : a.perKey)
      t.addRow({k.key, std::to_string(k.labelled), std::to_string(k.correct), formatPercent(k.accuracy)});
    const bool any = a.labelled > 0;
    t.addRow({"micro (all pairs)", std::to_string(a.labelled), std::to_string(a.correct),
              any ? formatPercent(a.microAccuracy) : "-"});
    t.addRow({"macro (mean of keys)", "", "", any ? formatPercent(a.macroAccuracy) : "-"});
    out += (out.empty() ? "" : "\n") + t.toText();
    out += std::to_string(a.items) + " items; " + std::to_string(a.unlabelledPredictions) +
           " predicted attributes had no label\n";
  }
  if (out.empty()) out = "(nothing evaluated)\n";
  return out;
}

}  // namespace moon
