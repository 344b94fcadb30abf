// The JSON lines a training process prints, which the GUI reads from its
// stdout (views/runs/TrainProcess.cpp): parseTrainEvent() promises never to
// throw, and what it accepts must survive toJsonLine() unchanged.
#include <cmath>
#include <string>

#include "FuzzTargets.h"
#include "training/events/TrainEvent.h"

namespace moon::fuzz {
namespace {

bool sameNumber(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

void requireSame(const TrainEvent& a, const TrainEvent& b) {
  if (a.kind != b.kind || a.step != b.step || !sameNumber(a.wallTime, b.wallTime) || a.strings != b.strings ||
      a.numbers.size() != b.numbers.size())
    violated("round trip through toJsonLine changed the event: " + a.toJsonLine() + " vs " + b.toJsonLine());
  for (const auto& [name, value] : a.numbers) {
    const auto it = b.numbers.find(name);
    if (it == b.numbers.end() || !sameNumber(value, it->second))
      violated("round trip changed number '" + name + "': " + a.toJsonLine() + " vs " + b.toJsonLine());
  }
}

}  // namespace

bool fuzzTrainEvent(const uint8_t* data, size_t size) {
  const std::string line(reinterpret_cast<const char*>(data), size);
  const ParsedTrainEvent parsed = parseTrainEvent(line);
  if (!parsed.ok()) {
    if (parsed.error.empty()) violated("a rejected line comes without a reason");
    return false;
  }
  const std::string written = parsed.event->toJsonLine();
  if (written.find('\n') != std::string::npos) violated("toJsonLine wrote a line break: " + written);
  const ParsedTrainEvent again = parseTrainEvent(written);
  if (!again.ok()) violated("toJsonLine wrote a line parseTrainEvent rejects (" + again.error + "): " + written);
  requireSame(*parsed.event, *again.event);
  return true;
}

}  // namespace moon::fuzz
