#pragma once

// JSON-lines files: one JSON object per line. Reading is forgiving (a bad
// line is reported with file and line and skipped); writing is atomic.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/data/DataReport.h"

namespace moon {

// Calls `onRecord(line, object)` for every non-blank line that is valid UTF-8
// and parses to a JSON object. Other lines are added to `report` (kind
// InvalidUtf8 or MalformedJson) and counted as bad in report.file(path).
// A UTF-8 byte-order mark and CRLF line ends are accepted.
// Throws IoError if the file cannot be opened or read.
using JsonlRecordFn = std::function<void(size_t line, const nlohmann::json& object)>;
void readJsonlFile(const std::string& path, DataReport& report, const JsonlRecordFn& onRecord);

// Byte offset of the first byte that does not start a valid UTF-8 sequence
// (overlong forms, surrogates and code points past U+10FFFF are invalid),
// or std::string::npos when `text` is valid.
size_t findInvalidUtf8(const std::string& text);

// Writes one compact JSON document per line to `path` through a temporary
// file and a rename, so a reader never sees half a file. Throws IoError.
void writeJsonlFile(const std::string& path, const std::vector<nlohmann::ordered_json>& records);

// Writes `text` to `path` atomically (temporary file + rename). Throws IoError.
void writeTextFileAtomic(const std::string& path, const std::string& text);

}  // namespace moon
