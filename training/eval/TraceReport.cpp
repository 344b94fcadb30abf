#include "training/eval/TraceReport.h"

#include "core/base/Error.h"
#include "core/data/TraceFormat.h"

namespace moon {

TraceReport traceReport(const std::vector<std::string>& texts, const std::vector<bool>& closed) {
  if (texts.size() != closed.size())
    throw FormatError("trace report: " + std::to_string(texts.size()) + " traces, " + std::to_string(closed.size()) +
                      " closed flags");
  TraceReport r;
  r.traces = texts.size();
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (!closed[i]) continue;
    ++r.closed;
    if (parseTrace(texts[i]).wellFormed()) ++r.parsable;
  }
  if (r.traces > 0) {
    r.closedShare = static_cast<double>(r.closed) / static_cast<double>(r.traces);
    r.parsableShare = static_cast<double>(r.parsable) / static_cast<double>(r.traces);
  }
  return r;
}

}  // namespace moon
