#include "training/events/TrainEvent.h"

#include <array>
#include <chrono>
#include <cmath>
#include <utility>

#include <nlohmann/json.hpp>

namespace moon {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<TrainEventKind, const char*>, 8> kKindNames = {{
    {TrainEventKind::Started, "started"},
    {TrainEventKind::Step, "step"},
    {TrainEventKind::Eval, "eval"},
    {TrainEventKind::Checkpoint, "checkpoint"},
    {TrainEventKind::Stopped, "stopped"},
    {TrainEventKind::Completed, "completed"},
    {TrainEventKind::Error, "error"},
    {TrainEventKind::Log, "log"},
}};

json numberToJson(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

std::optional<double> numberFromJson(const json& j) {
  if (j.is_number()) return j.get<double>();
  if (j.is_null()) return std::numeric_limits<double>::quiet_NaN();  // what other JSON writers emit for NaN
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  return std::nullopt;
}

std::string excerpt(const std::string& s) {
  constexpr size_t kMax = 80;
  return s.size() <= kMax ? s : s.substr(0, kMax) + "...";
}

ParsedTrainEvent fail(std::string message) {
  ParsedTrainEvent out;
  out.error = std::move(message);
  return out;
}

ParsedTrainEvent parse(const std::string& line) {
  const size_t b = line.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return fail("empty line");
  const size_t e = line.find_last_not_of(" \t\r\n");
  const std::string body = line.substr(b, e - b + 1);

  const json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return fail("not JSON: " + excerpt(body));
  if (!j.is_object()) return fail("not a JSON object: " + excerpt(body));

  TrainEvent event;
  const auto kind = j.find("event");
  if (kind == j.end() || !kind->is_string()) return fail("missing string field 'event'");
  const auto parsedKind = parseTrainEventKind(kind->get<std::string>());
  if (!parsedKind) return fail("unknown event kind '" + kind->get<std::string>() + "'");
  event.kind = *parsedKind;

  if (const auto step = j.find("step"); step != j.end()) {
    if (step->is_number_integer()) {
      event.step = step->get<int64_t>();
    } else if (step->is_number_float() && std::isfinite(step->get<double>()) &&
               std::floor(step->get<double>()) == step->get<double>() && std::fabs(step->get<double>()) < 9e15) {
      event.step = static_cast<int64_t>(step->get<double>());
    } else {
      return fail("field 'step' must be an integer");
    }
  }
  if (const auto time = j.find("time"); time != j.end()) {
    const auto t = numberFromJson(*time);
    if (!t) return fail("field 'time' must be a number");
    event.wallTime = *t;
  }
  if (const auto numbers = j.find("numbers"); numbers != j.end()) {
    if (!numbers->is_object()) return fail("field 'numbers' must be an object");
    for (auto it = numbers->begin(); it != numbers->end(); ++it) {
      const auto v = numberFromJson(it.value());
      if (!v) return fail("numbers." + it.key() + " must be a number");
      event.numbers.emplace(it.key(), *v);
    }
  }
  if (const auto strings = j.find("strings"); strings != j.end()) {
    if (!strings->is_object()) return fail("field 'strings' must be an object");
    for (auto it = strings->begin(); it != strings->end(); ++it) {
      if (!it.value().is_string()) return fail("strings." + it.key() + " must be a string");
      event.strings.emplace(it.key(), it.value().get<std::string>());
    }
  }
  ParsedTrainEvent out;
  out.event = std::move(event);
  return out;
}

}  // namespace

const char* trainEventKindName(TrainEventKind kind) {
  for (const auto& [k, name] : kKindNames)
    if (k == kind) return name;
  return "log";
}

std::optional<TrainEventKind> parseTrainEventKind(const std::string& name) {
  for (const auto& [k, n] : kKindNames)
    if (name == n) return k;
  return std::nullopt;
}

double wallClockSeconds() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

TrainEvent TrainEvent::make(TrainEventKind kind, int64_t step) {
  TrainEvent event;
  event.kind = kind;
  event.step = step;
  event.wallTime = wallClockSeconds();
  return event;
}

double TrainEvent::number(const std::string& name, double fallback) const {
  const auto it = numbers.find(name);
  return it == numbers.end() ? fallback : it->second;
}

std::string TrainEvent::text(const std::string& name, const std::string& fallback) const {
  const auto it = strings.find(name);
  return it == strings.end() ? fallback : it->second;
}

std::string TrainEvent::toJsonLine() const {
  try {
    json j = json::object();
    j["event"] = trainEventKindName(kind);
    j["step"] = step;
    j["time"] = numberToJson(wallTime);
    json nums = json::object();
    for (const auto& [name, value] : numbers) nums[name] = numberToJson(value);
    j["numbers"] = std::move(nums);
    json strs = json::object();
    for (const auto& [name, value] : strings) strs[name] = value;
    j["strings"] = std::move(strs);
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
  } catch (...) {
    // Only allocation can fail here; keep the stream line-oriented regardless.
    return std::string("{\"event\":\"error\",\"step\":") + std::to_string(step) +
           ",\"strings\":{\"message\":\"event could not be serialised\"}}";
  }
}

ParsedTrainEvent parseTrainEvent(const std::string& line) noexcept {
  try {
    return parse(line);
  } catch (const std::exception& e) {
    return fail(std::string("malformed event: ") + e.what());
  } catch (...) {
    return fail("malformed event");
  }
}

}  // namespace moon
