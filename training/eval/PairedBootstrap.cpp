#include "training/eval/PairedBootstrap.h"

#include <algorithm>
#include <map>
#include <string>

#include "core/base/Error.h"
#include "training/data/SampleRng.h"

namespace moon {
namespace {

// Hits (1/0) per direction, in query order; the directions in name order.
using Hits = std::map<std::string, std::vector<double>>;

Hits hitsOf(const std::vector<QueryResult>& queries, std::size_t k, RankKind kind) {
  Hits hits;
  for (const auto& q : queries) {
    const std::size_t r = kind == RankKind::Emb ? q.rank : q.discRank;
    hits[q.direction].push_back(r >= 1 && r <= k ? 1.0 : 0.0);
  }
  return hits;
}

double meanOverDirections(const Hits& hits, const std::map<std::string, std::vector<std::size_t>>* draws) {
  double sum = 0.0;
  for (const auto& [direction, h] : hits) {
    double s = 0.0;
    if (draws) {
      for (std::size_t i : draws->at(direction)) s += h[i];
    } else {
      for (double x : h) s += x;
    }
    sum += s / static_cast<double>(h.size());
  }
  return hits.empty() ? 0.0 : sum / static_cast<double>(hits.size());
}

// Draws `resamples` index sets per direction and returns the statistic of each, sorted.
template <class Stat>
BootstrapInterval interval(const std::map<std::string, std::size_t>& sizes, double estimate, std::size_t resamples,
                           std::uint64_t seed, Stat stat) {
  std::vector<double> values;
  values.reserve(resamples);
  for (std::size_t r = 0; r < resamples; ++r) {
    std::map<std::string, std::vector<std::size_t>> draws;
    std::uint64_t d = 0;
    for (const auto& [direction, n] : sizes) {
      SampleRng rng({seed, r, d++});
      auto& v = draws[direction];
      v.resize(n);
      for (auto& i : v) i = static_cast<std::size_t>(rng.below(n));
    }
    values.push_back(stat(draws));
  }
  std::sort(values.begin(), values.end());
  auto at = [&](double q) { return values[std::min(values.size() - 1, static_cast<std::size_t>(q * values.size()))]; };
  BootstrapInterval out;
  out.estimate = estimate;
  out.resamples = resamples;
  if (!values.empty()) {
    out.low = at(0.025);
    out.high = at(0.975);
  }
  return out;
}

std::map<std::string, std::size_t> sizesOf(const Hits& hits) {
  std::map<std::string, std::size_t> sizes;
  for (const auto& [direction, h] : hits) sizes[direction] = h.size();
  return sizes;
}

}  // namespace

BootstrapInterval bootstrapMeanRecall(const std::vector<QueryResult>& queries, std::size_t k, RankKind kind,
                                      std::size_t resamples, std::uint64_t seed) {
  const Hits hits = hitsOf(queries, k, kind);
  return interval(sizesOf(hits), meanOverDirections(hits, nullptr), resamples, seed,
                  [&](const auto& draws) { return meanOverDirections(hits, &draws); });
}

BootstrapInterval pairedMeanRecallDifference(const std::vector<QueryResult>& a, RankKind kindA,
                                             const std::vector<QueryResult>& b, RankKind kindB, std::size_t k,
                                             std::size_t resamples, std::uint64_t seed) {
  if (a.size() != b.size())
    throw FormatError("paired bootstrap: " + std::to_string(a.size()) + " and " + std::to_string(b.size()) +
                      " queries: not the same queries");
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].direction != b[i].direction || a[i].index != b[i].index)
      throw FormatError("paired bootstrap: query " + std::to_string(i) + " is " + a[i].direction + " #" +
                        std::to_string(a[i].index) + " in one evaluation and " + b[i].direction + " #" +
                        std::to_string(b[i].index) + " in the other");
  const Hits ha = hitsOf(a, k, kindA), hb = hitsOf(b, k, kindB);
  return interval(sizesOf(ha), meanOverDirections(ha, nullptr) - meanOverDirections(hb, nullptr), resamples, seed,
                  [&](const auto& draws) { return meanOverDirections(ha, &draws) - meanOverDirections(hb, &draws); });
}

}  // namespace moon
