#include "views/runs/ChartDecimation.h"

#include <algorithm>
#include <cmath>

namespace moon {

DecimatedSeries decimateM4(const QVector<double>& steps, const QVector<double>& values, double from, double to,
                           int buckets) {
  DecimatedSeries out;
  const int n = int(std::min(steps.size(), values.size()));
  if (n == 0 || buckets <= 0 || !(to >= from)) return out;
  int begin = int(std::lower_bound(steps.begin(), steps.begin() + n, from) - steps.begin());
  int end = int(std::upper_bound(steps.begin(), steps.begin() + n, to) - steps.begin());
  // One point beyond each edge keeps the line going out of view.
  begin = std::max(0, begin - 1);
  end = std::min(n, end + 1);
  auto push = [&](int i) {
    if (std::isfinite(values[i]) && (out.steps.isEmpty() || steps[i] > out.steps.constLast())) {
      out.steps << steps[i];
      out.values << values[i];
    }
  };
  if (end - begin <= 4 * buckets) {
    for (int i = begin; i < end; ++i) push(i);
    return out;
  }
  const double width = (to - from) / buckets;
  int i = begin;
  while (i < end) {
    // The bucket of point i (the edge points get buckets of their own).
    const double b = width > 0 ? std::floor((steps[i] - from) / width) : 0.0;
    int j = i, lo = -1, hi = -1, first = -1, last = -1;
    for (; j < end && (width > 0 ? std::floor((steps[j] - from) / width) : 0.0) == b; ++j) {
      if (!std::isfinite(values[j])) continue;
      if (first < 0) first = j;
      last = j;
      if (lo < 0 || values[j] < values[lo]) lo = j;
      if (hi < 0 || values[j] > values[hi]) hi = j;
    }
    if (first >= 0) {
      int picks[4] = {first, lo, hi, last};
      std::sort(picks, picks + 4);
      for (int p : picks) push(p);
    }
    i = j;
  }
  return out;
}

}  // namespace moon
