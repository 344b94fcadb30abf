#pragma once

// CPU time and resident memory of a process, read from /proc (Linux). The
// workbench samples a running training process twice and turns the CPU time
// difference into a percentage (CpuMeter).

#include <cstdint>
#include <optional>

namespace moon {

struct ProcessSample {
  double cpuSeconds = 0;  // user + system time consumed so far
  int64_t rssBytes = 0;   // resident set size
  double wallTime = 0;    // when sampled, seconds since the epoch (monotonic enough for differences)
};

// /proc/<pid>/stat and /proc/<pid>/statm; nullopt when the process does not
// exist (or is a zombie) or /proc is unreadable.
std::optional<ProcessSample> readProcessSample(int64_t pid);

// True when `pid` names a live process on this machine (not a zombie).
bool processAlive(int64_t pid);

// CPU percentage between consecutive samples of one process (100 = one core busy).
class CpuMeter {
 public:
  // The percentage since the previous sample, or nullopt for the first one.
  std::optional<double> update(const ProcessSample& sample);
  void reset() { previous_.reset(); }

 private:
  std::optional<ProcessSample> previous_;
};

}  // namespace moon
