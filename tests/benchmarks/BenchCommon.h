#pragma once

// Shared helpers of the benchmark executables (tests/benchmarks). Every
// benchmark prints its figures as ratios measured in the same run, because
// the machine is shared: absolute timings move with the load, ratios much less.
// The one machine-readable line per figure is
//   RATIO <name> <value> target <target> <PASS|MISS> | <free text>
// which packaging/bench.sh collects into its summary table.

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace moon::bench {

inline double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

inline double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

inline std::string loadAverage() {
  std::ifstream in("/proc/loadavg");
  double a = 0, b = 0, c = 0;
  in >> a >> b >> c;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f %.2f %.2f", a, b, c);
  return buf;
}

// Peak resident set of this process (or of its waited-for children), MiB.
inline double peakRssMiB(int who = RUSAGE_SELF) {
  rusage u{};
  getrusage(who, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux reports KiB
}

inline double currentRssMiB() {
  std::ifstream in("/proc/self/statm");
  long pages = 0, resident = 0;
  in >> pages >> resident;
  return static_cast<double>(resident) * 4096.0 / (1024.0 * 1024.0);
}

// "AMD EPYC 9R14 96-Core Processor, 2 hardware threads, avx512f avx512_bf16": figures from
// different machines must not be mixed (issue #16), so every benchmark names its CPU.
inline std::string machineDescription() {
  std::ifstream in("/proc/cpuinfo");
  std::string line, model = "unknown CPU", flags;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    if (line.rfind("model name", 0) == 0 && model == "unknown CPU") model = value;
    if (line.rfind("flags", 0) == 0 && flags.empty()) flags = " " + value + " ";
  }
  std::string simd;
  for (const char* f : {"avx2", "avx512f", "avx512_bf16", "amx_bf16"})
    if (flags.find(std::string(" ") + f + " ") != std::string::npos) simd += std::string(simd.empty() ? "" : " ") + f;
  long threads = 0;
  for (std::ifstream c("/proc/cpuinfo"); std::getline(c, line);) threads += line.rfind("processor", 0) == 0;
  return model + ", " + std::to_string(threads) + " hardware threads" + (simd.empty() ? "" : ", " + simd);
}

// Once per process, before its first figure.
inline void printMachineOnce() {
  static bool printed = false;
  if (printed) return;
  printed = true;
  std::printf("INFO machine | %s\n", machineDescription().c_str());
}

// `higherIsBetter` false: the target is a ceiling (e.g. memory).
inline void printRatio(const std::string& name, double value, double target, const std::string& note,
                       bool higherIsBetter = true) {
  const bool pass = higherIsBetter ? value >= target : value <= target;
  printMachineOnce();
  std::printf("RATIO %s %.3f target %s%.2f %s | %s | load %s\n", name.c_str(), value,
              higherIsBetter ? ">=" : "<=", target, pass ? "PASS" : "MISS", note.c_str(), loadAverage().c_str());
  std::fflush(stdout);
}

// A figure the issue sets no target for.
inline void printFigure(const std::string& name, double value, const std::string& note) {
  printMachineOnce();
  std::printf("RATIO %s %.3f target - FIGURE | %s | load %s\n", name.c_str(), value, note.c_str(),
              loadAverage().c_str());
  std::fflush(stdout);
}

inline void printInfo(const std::string& name, const std::string& text) {
  std::printf("INFO %s | %s\n", name.c_str(), text.c_str());
  std::fflush(stdout);
}

inline bool hasFlag(int argc, char** argv, const std::string& flag) {
  for (int i = 1; i < argc; ++i)
    if (flag == argv[i]) return true;
  return false;
}

inline std::string option(int argc, char** argv, const std::string& name, const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (name == argv[i]) return argv[i + 1];
  return fallback;
}

}  // namespace moon::bench
