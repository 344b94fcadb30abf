#include "training/ablation/AblationTable.h"

#include <cmath>
#include <cstdio>
#include <optional>

#include "core/base/Error.h"

#include "core/base/AtomicFile.h"
#include "training/eval/PairedBootstrap.h"
#include "training/eval/TextTable.h"

namespace moon {

namespace {

struct Headline {
  std::vector<std::optional<double>> recallAt10;  // per kRetrievalDirections
  std::optional<double> meanRecallAt10;
  std::optional<double> meanDiscRecallAt10;
  std::optional<BootstrapInterval> thinkingGain;  // <emb> minus <disc_emb> of the same model, paired
  std::optional<BootstrapInterval> deltaVsFirst;  // mean R@10 minus the first row's, paired over queries
  std::optional<double> nearDuplicateAccuracy;
  std::optional<double> nearDuplicateMargin;
  std::optional<double> coarseAccuracy;
  std::optional<double> fineAccuracy;
  std::optional<double> attributeAccuracy;
};

// The first row is the reference (the full model); a difference needs both
// evaluations' per-query ranks on the same queries.
std::optional<BootstrapInterval> deltaAgainst(const EvaluationResult& r, const EvaluationResult* reference) {
  if (!reference || &r == reference || r.perQuery.empty() || reference->perQuery.empty()) return std::nullopt;
  try {
    return pairedMeanRecallDifference(r.perQuery, RankKind::Emb, reference->perQuery, RankKind::Emb);
  } catch (const FormatError&) {
    return std::nullopt;  // evaluated on different queries: no paired difference
  }
}

Headline headline(const EvaluationResult& r, const EvaluationResult* reference) {
  Headline h;
  for (const char* direction : kRetrievalDirections) {
    const RetrievalReport* report = r.findRetrieval(direction);
    h.recallAt10.push_back(report && report->queries > 0 ? std::optional<double>(report->recallAt10) : std::nullopt);
  }
  h.meanRecallAt10 = r.meanRecallAt10();
  h.meanDiscRecallAt10 = r.meanDiscRecallAt10();
  h.thinkingGain = r.thinkingGainInterval();
  h.deltaVsFirst = deltaAgainst(r, reference);
  if (r.nearDuplicate && r.nearDuplicate->triplets > 0) {
    h.nearDuplicateAccuracy = r.nearDuplicate->accuracy;
    h.nearDuplicateMargin = r.nearDuplicate->meanMargin;
  }
  if (r.coarseCategory && r.coarseCategory->items > 0) h.coarseAccuracy = r.coarseCategory->accuracy;
  if (r.fineCategory && r.fineCategory->items > 0) h.fineAccuracy = r.fineCategory->accuracy;
  if (r.attributes && r.attributes->labelled > 0) h.attributeAccuracy = r.attributes->microAccuracy;
  return h;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string percentOrNa(const std::optional<double>& v) { return v ? formatPercent(*v) : "n/a"; }

// "-3.1 [-5.0, -1.2]" in points of R@10; "—" for the reference row.
std::string deltaCell(const std::optional<BootstrapInterval>& d, bool reference) {
  if (reference) return "—";
  if (!d) return "n/a";
  return signedPercentPoints(d->estimate) + " [" + signedPercentPoints(d->low) + ", " + signedPercentPoints(d->high) +
         "]";
}
std::string csvNumber(const std::optional<double>& v, int decimals = 6) { return v ? fixed(*v, decimals) : ""; }

}  // namespace

std::string formatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "n/a";
  const long long total = std::llround(seconds);
  char buf[64];
  if (total < 60)
    std::snprintf(buf, sizeof buf, "%lld s", total);
  else if (total < 3600)
    std::snprintf(buf, sizeof buf, "%lld min %02lld s", total / 60, total % 60);
  else
    std::snprintf(buf, sizeof buf, "%lld h %02lld min", total / 3600, (total % 3600) / 60);
  return buf;
}

std::string formatAblationMarkdown(const std::vector<AblationRow>& rows) {
  using Align = TextTable::Align;
  std::vector<std::string> header = {"Variant"};
  for (const char* direction : kRetrievalDirections) header.push_back(std::string("R@10 ") + direction);
  for (const char* name : {"mean R@10", "Δ vs first [95% CI]", "mean disc R@10", "emb − disc [95% CI]", "near-dup acc",
                           "margin", "coarse acc", "fine acc", "attr acc", "train time"})
    header.emplace_back(name);
  std::vector<Align> align(header.size(), Align::Right);
  align[0] = Align::Left;
  TextTable table(header, align);
  const EvaluationResult* reference = rows.empty() ? nullptr : &rows.front().result;
  for (const auto& row : rows) {
    const Headline h = headline(row.result, reference);
    std::vector<std::string> cells = {row.variant};
    for (const auto& v : h.recallAt10) cells.push_back(percentOrNa(v));
    cells.push_back(percentOrNa(h.meanRecallAt10));
    cells.push_back(deltaCell(h.deltaVsFirst, &row == &rows.front()));
    cells.push_back(percentOrNa(h.meanDiscRecallAt10));
    cells.push_back(deltaCell(h.thinkingGain, false));
    cells.push_back(percentOrNa(h.nearDuplicateAccuracy));
    cells.push_back(h.nearDuplicateMargin ? fixed(*h.nearDuplicateMargin, 4) : "n/a");
    cells.push_back(percentOrNa(h.coarseAccuracy));
    cells.push_back(percentOrNa(h.fineAccuracy));
    cells.push_back(percentOrNa(h.attributeAccuracy));
    cells.push_back(formatDuration(row.trainSeconds));
    table.addRow(std::move(cells));
  }
  return table.toMarkdown() +
         "\nR@10 and accuracies in %. Δ vs first: mean R@10 minus the first row's, in points, with a 95% paired "
         "bootstrap interval over the test queries (1,000 resamples; an interval that excludes 0 is a difference "
         "these queries can tell). mean disc R@10: the same model's <disc_emb>, embedded before any trace; emb − disc: "
         "what thinking at inference changes, <emb> minus <disc_emb> mean R@10 with its paired interval. "
         "near-dup acc: share of test triplets whose query is more similar to its "
         "positive than to the near-duplicate negative; margin: mean cosine sim(q,p) - sim(q,n). Category accuracy "
         "by nearest class prototype. attr acc: attributes from generated traces, micro-averaged over labelled "
         "(item, attribute) pairs. n/a: not evaluated.\n";
}

std::string formatAblationCsv(const std::vector<AblationRow>& rows) {
  std::string out = "variant";
  for (const char* direction : {"t2mm", "i2mm", "mm2mm", "t2i", "i2t"}) out += std::string(",recall10_") + direction;
  out +=
      ",mean_recall10,delta_mean_recall10,delta_low,delta_high,mean_disc_recall10,thinking_gain10,thinking_low,"
      "thinking_high,near_dup_accuracy,near_dup_margin,"
      "coarse_accuracy,fine_accuracy,attribute_accuracy,"
      "train_seconds\n";
  const EvaluationResult* reference = rows.empty() ? nullptr : &rows.front().result;
  for (const auto& row : rows) {
    const Headline h = headline(row.result, reference);
    out += csvField(row.variant);
    for (const auto& v : h.recallAt10) out += "," + csvNumber(v);
    out += "," + csvNumber(h.meanRecallAt10);
    for (auto part : {&BootstrapInterval::estimate, &BootstrapInterval::low, &BootstrapInterval::high})
      out += "," + csvNumber(h.deltaVsFirst ? std::optional<double>((*h.deltaVsFirst).*part) : std::nullopt);
    out += "," + csvNumber(h.meanDiscRecallAt10);
    for (auto part : {&BootstrapInterval::estimate, &BootstrapInterval::low, &BootstrapInterval::high})
      out += "," + csvNumber(h.thinkingGain ? std::optional<double>((*h.thinkingGain).*part) : std::nullopt);
    for (const auto* v :
         {&h.nearDuplicateAccuracy, &h.nearDuplicateMargin, &h.coarseAccuracy, &h.fineAccuracy, &h.attributeAccuracy})
      out += "," + csvNumber(*v);
    out += "," + csvNumber(row.trainSeconds, 1) + "\n";
  }
  return out;
}

void writeAblationTables(const std::vector<AblationRow>& rows, const std::string& markdownPath,
                         const std::string& csvPath) {
  writeFileAtomically(markdownPath, formatAblationMarkdown(rows));
  writeFileAtomically(csvPath, formatAblationCsv(rows));
}

}  // namespace moon
