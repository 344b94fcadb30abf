// Benchmarks 1 and 2 of issue #9: the stage-1 training step (forward +
// backward + AdamW, no data loading) against its Python PyTorch peer
// (python/train_step.py, same LibTorch underneath), once running the same
// algorithm (fused GEMMs, folded heads; test_peer_parity proves it) and once
// the plain textbook layers, and against the machine's
// matmul rate. Runs alternate (ours, peer, matmul) so both see the same load.
//
//   bench_train [--quick] [--presets micro,tiny] [--threads N] [--reps 5] [--steps N] [--no-python]
//   (--threads: default 1 intra-op thread without MKL, the workbench's own policy)

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <torch/torch.h>

#include "BenchCommon.h"
#include "FlopCount.h"
#include "TrainStepSetup.h"
#include "core/config/Config.h"
#include "model/inference/BatchViews.h"
#include "model/runtime/AllocatorPolicy.h"
#include "model/runtime/IntraOpThreads.h"

using namespace moon;
using namespace moon::bench;

namespace {

double stepFlops(TrainStepSetup& s) {
  const auto& b = s.batch;
  const auto q = s.model->layout(b.query, SequenceMode::TeacherForced);
  std::vector<ProductBatch> views{withoutTraces(b.positive), withoutTraces(b.negative)};
  views.push_back(modalityView(views[0], Modality::Image));
  views.push_back(modalityView(views[0], Modality::Text));
  const auto c = s.model->layout(concatBatches(views, s.model->specialTokens().pad), SequenceMode::TeacherForced);
  return 3.0 * (forwardFlops(s.cfg.model, q, true) + forwardFlops(s.cfg.model, c, false));
}

// Seconds per call of `fn`, measured over at least `minSeconds`.
template <class Fn>
double secondsPerCall(Fn&& fn, double minSeconds, int minCalls) {
  const double t0 = now();
  int n = 0;
  while (n < minCalls || now() - t0 < minSeconds) {
    fn();
    ++n;
  }
  return (now() - t0) / n;
}

// Runs the Python peer once with `algorithm` ("same" or "plain");
// returns {samples/s, parameter count} or {0,0}.
std::pair<double, int64_t> runPeer(const std::string& python, const std::string& script, const std::string& configFile,
                                   const std::string& algorithm, const TrainStepSetup& s, int threads, int steps) {
  std::ostringstream cmd;
  // The peer runs under our allocator policy too, so the ratio compares languages, not malloc settings.
  cmd << "GLIBC_TUNABLES=" << keepFreedMemoryTunables() << " " << python << " " << script << " --config " << configFile
      << " --algorithm " << algorithm << " --batch " << s.cfg.loader.batch_size << " --trace "
      << s.cfg.model.max_trace_tokens << " --threads " << threads << " --steps " << steps << " --lr " << s.cfg.optim.lr
      << " 2>&1";
  FILE* pipe = popen(cmd.str().c_str(), "r");
  if (!pipe) return {0, 0};
  char line[1024];
  double sps = 0;
  int64_t params = 0;
  std::string all;
  while (fgets(line, sizeof line, pipe)) {
    all += line;
    std::sscanf(line, "samples_per_s %lf", &sps);
    long long p = 0;
    if (std::sscanf(line, "params %lld", &p) == 1) params = p;
  }
  const int rc = pclose(pipe);
  if (rc != 0 || sps <= 0)
    std::fprintf(stderr, "python peer (%s) failed (%d):\n%s\n", algorithm.c_str(), rc, all.c_str());
  return {sps, params};
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = hasFlag(argc, argv, "--quick");
  const int threads = std::stoi(option(argc, argv, "--threads", std::to_string(defaultIntraOpThreads())));
  const int reps = std::stoi(option(argc, argv, "--reps", quick ? "1" : "5"));
  const bool python = !quick && !hasFlag(argc, argv, "--no-python");
  const std::string presets = option(argc, argv, "--presets", quick ? "micro" : "micro,tiny");
  const std::string interpreter = option(argc, argv, "--python", "/usr/bin/python3");
  const std::string script = option(argc, argv, "--peer", MOON_BENCH_PYTHON_DIR "/train_step.py");
  torch::set_num_threads(threads);
  printInfo("train", "threads " + std::to_string(torch::get_num_threads()) + ", reps " + std::to_string(reps));

  std::stringstream list(presets);
  std::string preset;
  while (std::getline(list, preset, ',')) {
    auto s = makeTrainStepSetup(trainPreset(preset));
    const int64_t B = s->cfg.loader.batch_size;
    const int steps = std::stoi(option(argc, argv, "--steps", quick ? "1" : (preset == "micro" ? "10" : "3")));
    int64_t ours = 0;
    for (const auto& p : s->params) ours += p.numel();
    const double flops = stepFlops(*s);
    const auto q = s->model->layout(s->batch.query, SequenceMode::TeacherForced);
    // The matmul the step is made of most: decoder tokens x width -> SwiGLU width.
    const int64_t M = q.batch() * q.length(), K = s->cfg.model.language.dim, N = s->cfg.model.language.ffn_dim;
    const auto a = torch::randn({M, K}), b = torch::randn({K, N});
    const auto big = torch::randn({1024, 1024});

    const auto configFile =
        (std::filesystem::temp_directory_path() / ("moon_bench_" + preset + "_model.json")).string();
    std::ofstream(configFile) << configToJson(s->cfg.model).dump(2);

    trainStep(*s);  // warm-up: allocations, AdamW state
    std::vector<double> oursSps, mmFlops, bigFlops, achieved;
    struct Peer {
      const char* algorithm;
      std::vector<double> sps;
      int64_t params = 0;
    };
    Peer peers[] = {{"same", {}, 0}, {"plain", {}, 0}};
    for (int r = 0; r < reps; ++r) {
      const double t = secondsPerCall([&] { trainStep(*s); }, 0.0, steps);
      oursSps.push_back(B / t);
      achieved.push_back(flops / t);
      const double tm = secondsPerCall([&] { (void)torch::mm(a, b); }, quick ? 0.05 : 0.5, 3);
      mmFlops.push_back(2.0 * M * K * N / tm);
      const double tb = secondsPerCall([&] { (void)torch::mm(big, big); }, quick ? 0.05 : 0.5, 2);
      bigFlops.push_back(2.0 * 1024 * 1024 * 1024 / tb);
      if (!python) continue;
      for (auto& peer : peers) {
        auto [sps, params] = runPeer(interpreter, script, configFile, peer.algorithm, *s, threads, steps);
        if (sps > 0) peer.sps.push_back(sps);
        peer.params = params;
      }
    }
    const double sOurs = median(oursSps), sMm = median(mmFlops), sAch = median(achieved);
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "%s: %.2f samples/s (%.1f ms/step, B=%lld), %.2f GFLOP/step, %.1f GFLOP/s achieved; "
                  "mm %lldx%lldx%lld %.1f GFLOP/s, mm 1024^3 %.1f GFLOP/s; params ours %lld",
                  preset.c_str(), sOurs, 1000.0 * B / sOurs, static_cast<long long>(B), flops / 1e9, sAch / 1e9,
                  static_cast<long long>(M), static_cast<long long>(K), static_cast<long long>(N), sMm / 1e9,
                  median(bigFlops) / 1e9, static_cast<long long>(ours));
    printInfo("train_" + preset, buf);
    bool mismatch = false;
    for (const auto& peer : peers) {
      if (!python) break;
      const double sPeer = peer.sps.empty() ? 0.0 : median(peer.sps);
      const bool same = std::string(peer.algorithm) == "same";
      mismatch = mismatch || peer.params != ours;
      // Both sides do the same arithmetic (the same FLOP count per step), so
      // each side's FLOP/s is that count over its own step time.
      std::snprintf(buf, sizeof buf,
                    "ours %.2f / pytorch-%s %.2f samples/s (%.1f vs %.1f GFLOP/s); params ours %lld pytorch %lld%s",
                    sOurs, peer.algorithm, sPeer, sAch / 1e9, sPeer * flops / B / 1e9, static_cast<long long>(ours),
                    static_cast<long long>(peer.params), ours == peer.params ? " (match)" : " (MISMATCH)");
      // Against the same algorithm: language and framework overhead (issue
      // #9's targets); against the plain layers: what our algorithm buys.
      const double target = same ? (preset == "micro" ? 1.5 : 1.05) : 0.0;
      printRatio(std::string("train_vs_pytorch_") + peer.algorithm + "_" + preset, sPeer > 0 ? sOurs / sPeer : 0,
                 target, buf);
    }
    std::snprintf(buf, sizeof buf, "%.1f GFLOP/s of %.1f GFLOP/s (mm %lldx%lldx%lld)", sAch / 1e9, sMm / 1e9,
                  static_cast<long long>(M), static_cast<long long>(K), static_cast<long long>(N));
    printRatio("train_flops_vs_mm_" + preset, sAch / sMm, preset == "tiny" ? 0.6 : 0.0, buf);
    if (mismatch) {
      std::fprintf(stderr, "the peer's parameter count differs from ours: not the same model\n");
      return 1;
    }
  }
  return 0;
}
