#include "core/system/ProcessStats.h"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

namespace moon {
namespace {

double nowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// The fields after "pid (comm)": comm may hold spaces and parentheses, so
// parse from the last ')'.
bool readStat(int64_t pid, char* state, double* cpuSeconds) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!in || !std::getline(in, line)) return false;
  const auto close = line.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream fields(line.substr(close + 1));
  std::string skip;
  unsigned long long utime = 0, stime = 0;
  fields >> *state;
  // Fields 4..13 (ppid .. cmajflt), then 14 utime and 15 stime.
  for (int i = 4; i <= 13; ++i) fields >> skip;
  fields >> utime >> stime;
  if (!fields) return false;
  const long ticks = sysconf(_SC_CLK_TCK);
  *cpuSeconds = static_cast<double>(utime + stime) / static_cast<double>(ticks > 0 ? ticks : 100);
  return true;
}

}  // namespace

std::optional<ProcessSample> readProcessSample(int64_t pid) {
  if (pid <= 0) return std::nullopt;
  ProcessSample s;
  char state = '?';
  if (!readStat(pid, &state, &s.cpuSeconds) || state == 'Z' || state == 'X') return std::nullopt;
  std::ifstream statm("/proc/" + std::to_string(pid) + "/statm");
  long long size = 0, resident = 0;
  if (!(statm >> size >> resident)) return std::nullopt;
  s.rssBytes = static_cast<int64_t>(resident) * sysconf(_SC_PAGESIZE);
  s.wallTime = nowSeconds();
  return s;
}

bool processAlive(int64_t pid) { return readProcessSample(pid).has_value(); }

std::optional<double> CpuMeter::update(const ProcessSample& sample) {
  std::optional<double> percent;
  if (previous_ && sample.wallTime > previous_->wallTime)
    percent = 100.0 * (sample.cpuSeconds - previous_->cpuSeconds) / (sample.wallTime - previous_->wallTime);
  previous_ = sample;
  return percent;
}

}  // namespace moon
