// Benchmark 7 of issue #9: peak resident memory of a short tiny training run
// (`moon train --preset tiny --steps 5` as a child; getrusage of the child)
// and the resident memory of a process holding the resulting checkpoint
// through loadCheckpointForInference (what the workbench's Compare view holds).
// Ratios are against the bytes of the model's parameters (fp32).
//
//   bench_memory [--quick] [--products 120] [--steps 5] [--moon PATH]

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include <torch/torch.h>

#include "BenchCommon.h"
#include "core/synth/CatalogueGenerator.h"
#include "model/checkpoint/CheckpointLoader.h"
#include "model/compare/CompareRunner.h"
#include "model/inference/InferenceContext.h"

using namespace moon;
using namespace moon::bench;
namespace fs = std::filesystem;

namespace {

// Runs argv as a child; returns its peak RSS in MiB, or -1 on failure.
double childPeakRss(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  rusage u{};
  if (wait4(pid, &status, 0, &u) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

fs::path findCheckpoint(const fs::path& workspace) {
  for (const auto& e : fs::recursive_directory_iterator(workspace))
    if (e.is_regular_file() && e.path().filename() == "model.safetensors") return e.path().parent_path();
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = hasFlag(argc, argv, "--quick");
  const std::string preset = option(argc, argv, "--preset", quick ? "micro" : "tiny");
  const std::string steps = option(argc, argv, "--steps", quick ? "1" : "5");
  const int products = std::stoi(option(argc, argv, "--products", quick ? "24" : "120"));
  const std::string moonCli = option(argc, argv, "--moon", MOON_BENCH_CLI);
  const fs::path root = fs::temp_directory_path() / ("moon_bench_memory_" + std::to_string(::getpid()));
  fs::remove_all(root);
  SynthOptions so;
  so.products = products;
  so.imageSize = preset == "micro" ? 32 : 64;
  generateCatalogue((root / "data").string(), so);

  const double base = currentRssMiB();
  const double trainRss =
      childPeakRss({moonCli, "train", "--workspace", (root / "ws").string(), "--preset", preset, "--data",
                    (root / "data").string(), "--steps", steps, "--set", "schedule.warmup_steps=1", "--set",
                    "eval.max_queries=16", "--set", "eval.query_traces=target"});
  if (trainRss < 0) {
    std::fprintf(stderr, "moon train failed\n");
    return 1;
  }
  const fs::path ckpt = findCheckpoint(root / "ws");
  if (ckpt.empty()) {
    std::fprintf(stderr, "no checkpoint found under %s\n", (root / "ws").string().c_str());
    return 1;
  }
  const double before = currentRssMiB();
  LoadedCheckpoint loaded;
  try {
    loaded = loadCheckpoint(ckpt.string());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cannot load %s: %s\n", ckpt.string().c_str(), e.what());
    return 1;
  }
  const auto& ctx = loaded.context;
  const double after = currentRssMiB();
  int64_t params = 0;
  for (const auto& p : ctx->model()->parameters()) params += p.numel();
  const double paramMiB = static_cast<double>(params) * 4 / (1024.0 * 1024.0);
  fs::remove_all(root);

  char buf[320];
  std::snprintf(buf, sizeof buf, "%s, %s steps: moon train peak RSS %.0f MiB; parameters %.1f MiB (%lld)",
                preset.c_str(), steps.c_str(), trainRss, paramMiB, static_cast<long long>(params));
  printFigure("memory_train_peak_vs_params", trainRss / paramMiB, buf);
  std::snprintf(buf, sizeof buf,
                "checkpoint loaded in-process: RSS %.0f -> %.0f MiB (+%.0f MiB; process base %.0f MiB with LibTorch)",
                before, after, after - before, base);
  printFigure("memory_loaded_vs_params", (after - before) / paramMiB, buf);
  return 0;
}
