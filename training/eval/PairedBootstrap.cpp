#include "training/eval/PairedBootstrap.h"

#include <algorithm>
#include <map>
#include <string>

#include "core/base/Error.h"
#include "training/data/SampleRng.h"

namespace moon {
namespace {

// One direction's queries as resampling units: the hits (1/0) and query count
// of each positive product, in first-seen order.
struct Units {
  std::vector<double> hits;
  std::vector<double> queries;
};
using Hits = std::map<std::string, Units>;  // by direction, in name order

bool isHit(const QueryResult& q, std::size_t k, RankKind kind) {
  const std::size_t r = kind == RankKind::Emb ? q.rank : q.discRank;
  return r >= 1 && r <= k;
}

// Units from `grouping` (whose positives define them), hits read from `queries`
// (the same queries in the same order).
Hits hitsOf(const std::vector<QueryResult>& queries, const std::vector<QueryResult>& grouping, std::size_t k,
            RankKind kind) {
  Hits hits;
  std::map<std::string, std::map<std::string, std::size_t>> unitOf;  // direction -> positive -> unit
  for (std::size_t i = 0; i < queries.size(); ++i) {
    const QueryResult& g = grouping[i];
    Units& u = hits[g.direction];
    std::size_t unit = u.hits.size();
    if (!g.positive.empty()) unit = unitOf[g.direction].emplace(g.positive, unit).first->second;
    if (unit == u.hits.size()) {
      u.hits.push_back(0.0);
      u.queries.push_back(0.0);
    }
    u.hits[unit] += isHit(queries[i], k, kind) ? 1.0 : 0.0;
    u.queries[unit] += 1.0;
  }
  return hits;
}

// R@k of each direction over the drawn units (all of them once when `draws`
// is null: the estimate itself), averaged over directions.
double meanOverDirections(const Hits& hits, const std::map<std::string, std::vector<std::size_t>>* draws) {
  double sum = 0.0;
  for (const auto& [direction, u] : hits) {
    const std::vector<std::size_t>* drawn = draws ? &draws->at(direction) : nullptr;
    const std::size_t count = drawn ? drawn->size() : u.hits.size();
    double h = 0.0, n = 0.0;
    for (std::size_t j = 0; j < count; ++j) {
      const std::size_t i = drawn ? (*drawn)[j] : j;
      h += u.hits[i];
      n += u.queries[i];
    }
    sum += n > 0 ? h / n : 0.0;
  }
  return hits.empty() ? 0.0 : sum / static_cast<double>(hits.size());
}

// Draws `resamples` unit sets per direction and returns the statistic of each, sorted.
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
  for (const auto& [direction, u] : hits) sizes[direction] = u.hits.size();
  return sizes;
}

}  // namespace

BootstrapInterval bootstrapMeanRecall(const std::vector<QueryResult>& queries, std::size_t k, RankKind kind,
                                      std::size_t resamples, std::uint64_t seed) {
  const Hits hits = hitsOf(queries, queries, k, kind);
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
    if (a[i].direction != b[i].direction || a[i].index != b[i].index || a[i].positive != b[i].positive)
      throw FormatError("paired bootstrap: query " + std::to_string(i) + " is " + a[i].direction + " #" +
                        std::to_string(a[i].index) + " in one evaluation and " + b[i].direction + " #" +
                        std::to_string(b[i].index) + " in the other");
  // Both sides grouped by a's positives (the same as b's): the same units, the same draws.
  const Hits ha = hitsOf(a, a, k, kindA), hb = hitsOf(b, a, k, kindB);
  return interval(sizesOf(ha), meanOverDirections(ha, nullptr) - meanOverDirections(hb, nullptr), resamples, seed,
                  [&](const auto& draws) { return meanOverDirections(ha, &draws) - meanOverDirections(hb, &draws); });
}

}  // namespace moon
