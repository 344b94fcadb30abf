// Issue #16: the run store of a long run (10,000,000 metric rows in one run,
// ten keys of 1,000,000 steps plus 40 small ones):
//  - metricKeys (the Runs view asks at every poll) against the plain
//    SELECT DISTINCT it replaced, on the same database in the same run — the
//    two must return the same keys;
//  - figures: reading one key's 1,000,000 points, an incremental read of the
//    last 100, and listing runs (`moon runs`).
//
//   bench_store [--quick] [--rows 10000000] [--reps 5]

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <QTemporaryDir>

#include "BenchCommon.h"
#include "core/store/RunStore.h"
#include "core/store/SqliteConnection.h"
#include "core/store/SqliteStatement.h"

using namespace moon;
using namespace moon::bench;

namespace {

std::vector<std::string> distinctKeys(SqliteConnection& db, int64_t run) {
  SqliteStatement st(db, "SELECT DISTINCT key FROM metrics WHERE run_id = ? ORDER BY key");
  st.bindAll(run);
  std::vector<std::string> keys;
  while (st.step()) keys.push_back(st.columnText(0));
  return keys;
}

template <class F>
double timed(int reps, F&& f) {
  std::vector<double> t;
  for (int r = 0; r < reps; ++r) {
    const double t0 = now();
    f();
    t.push_back(now() - t0);
  }
  return median(t);
}

}  // namespace

int main(int argc, char** argv) {
  long rows = 10'000'000;
  int reps = 5;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--quick")
      rows = 200'000, reps = 3;
    else if (a == "--rows" && i + 1 < argc)
      rows = std::atol(argv[++i]);
    else if (a == "--reps" && i + 1 < argc)
      reps = std::atoi(argv[++i]);
  }
  QTemporaryDir dir;
  const std::string path = (std::filesystem::path(dir.path().toStdString()) / "moon.db").string();
  RunStore store(path, true);
  RunRecord run;
  run.name = "long run";
  const int64_t id = store.createRun(run);
  const long big = 10, small = 40;
  const long perBig = (rows - small * 1000) / big;
  const double t0 = now();
  std::vector<MetricPoint> batch;
  batch.reserve(1'000'000);
  for (long k = 0; k < big + small; ++k) {
    const long steps = k < big ? perBig : 1000;
    const std::string key = (k < big ? "loss/part" : "other/metric") + std::to_string(k);
    for (long s = 0; s < steps; ++s) {
      batch.push_back({s, key, double(s % 977) / 977.0, 1.0});
      if (batch.size() == batch.capacity()) {
        store.appendMetrics(id, batch);
        batch.clear();
      }
    }
  }
  store.appendMetrics(id, batch);
  std::printf("INFO store | %ld metric rows in one run written in %.1f s\n", rows, now() - t0);

  SqliteConnection raw(path, false);
  std::vector<std::string> fast, slow;
  const double tKeys = timed(reps, [&] { fast = store.metricKeys(id); });
  const double tDistinct = timed(reps, [&] { slow = distinctKeys(raw, id); });
  if (fast != slow || fast.size() != std::size_t(big + small)) {
    std::printf("ERROR metricKeys returned %zu keys, SELECT DISTINCT %zu\n", fast.size(), slow.size());
    return 1;
  }
  printRatio("store.metric_keys_speedup", tDistinct / tKeys, 10.0,
             "SELECT DISTINCT " + std::to_string(tDistinct * 1e3) + " ms / index skip-scan " +
                 std::to_string(tKeys * 1e3) + " ms, " + std::to_string(rows) + " rows");
  std::size_t n = 0;
  const double tFull = timed(reps, [&] { n = store.metrics(id, "loss/part0").size(); });
  printFigure("store.read_one_key_s", tFull, std::to_string(n) + " points of one key");
  const double tTail = timed(reps, [&] { n = store.metrics(id, "loss/part0", perBig - 101).size(); });
  printFigure("store.read_last_100_ms", tTail * 1e3, std::to_string(n) + " points after a step");
  const double tRuns = timed(reps, [&] { n = store.listRuns().size(); });
  printFigure("store.list_runs_ms", tRuns * 1e3, std::to_string(n) + " run (moon runs)");
  std::printf("INFO store | peak RSS %.0f MiB\n", peakRssMiB());
  return 0;
}
