#pragma once

// What a training process reports, one JSON object per line on stdout:
//   {"event":"step","step":120,"time":1767225600.25,
//    "numbers":{"loss":1.93,"lr":0.0003,"samples_per_s":41.5},"strings":{}}
// The trainer writes it with toJsonLine(); the GUI and tests read it back
// with parseTrainEvent(), which never throws: a line that is not an event
// (a stray print, a truncated write) comes back as an error value.
// Plain C++ (no Qt, no Torch), so it can cross threads and processes.
//
// Non-finite numbers, which JSON cannot hold, are written as the strings
// "NaN", "Infinity" and "-Infinity" and read back as such.

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>

namespace moon {

enum class TrainEventKind { Started, Step, Eval, Checkpoint, Stopped, Completed, Error, Log };

// "started", "step", "eval", "checkpoint", "stopped", "completed", "error", "log".
const char* trainEventKindName(TrainEventKind kind);
std::optional<TrainEventKind> parseTrainEventKind(const std::string& name);

// Names shared by the trainer and its readers. Loss parts are "loss" (the
// total) and "loss_<part>" (e.g. loss_emb, loss_disc, loss_align, loss_sft,
// loss_policy); eval metrics are named as the evaluator reports them.
namespace event_key {
inline constexpr const char* kLoss = "loss";
inline constexpr const char* kLr = "lr";
inline constexpr const char* kTemperature = "temperature";
inline constexpr const char* kRewardMean = "reward_mean";
inline constexpr const char* kRewardStd = "reward_std";
inline constexpr const char* kKl = "kl";
inline constexpr const char* kClipFraction = "clip_fraction";
inline constexpr const char* kGradNorm = "grad_norm";
inline constexpr const char* kSamplesPerS = "samples_per_s";
inline constexpr const char* kEtaS = "eta_s";
inline constexpr const char* kTotalSteps = "total_steps";
inline constexpr const char* kEpoch = "epoch";
// Position of the step's stage in the run's curriculum (0, 1, ...; GRPO last):
// the Runs view marks where it changes on every chart.
inline constexpr const char* kStage = "stage";
// strings
inline constexpr const char* kMessage = "message";
inline constexpr const char* kPath = "path";
inline constexpr const char* kRunId = "run_id";
inline constexpr const char* kLevel = "level";  // log events: "info", "warn", ...
}  // namespace event_key

// Seconds since the Unix epoch, with sub-second resolution.
double wallClockSeconds();

struct TrainEvent {
  TrainEventKind kind = TrainEventKind::Log;
  int64_t step = 0;
  double wallTime = 0.0;  // seconds since the Unix epoch
  std::map<std::string, double> numbers;
  std::map<std::string, std::string> strings;

  // An event of `kind` at `step`, stamped with the current wall time.
  static TrainEvent make(TrainEventKind kind, int64_t step);

  double number(const std::string& name, double fallback = std::numeric_limits<double>::quiet_NaN()) const;
  std::string text(const std::string& name, const std::string& fallback = {}) const;
  bool has(const std::string& name) const { return numbers.count(name) > 0 || strings.count(name) > 0; }

  // One line of JSON without the trailing newline. Never throws; invalid
  // UTF-8 in strings is replaced by U+FFFD.
  std::string toJsonLine() const;
};

// The result of reading one line: an event, or why the line is not one.
struct ParsedTrainEvent {
  std::optional<TrainEvent> event;
  std::string error;  // empty when event is set
  bool ok() const { return event.has_value(); }
};

// Tolerates surrounding whitespace (and "\r\n") and ignores unknown
// top-level keys, so a newer trainer's events still read.
ParsedTrainEvent parseTrainEvent(const std::string& line) noexcept;

}  // namespace moon
