#pragma once

// File writing shared by the evaluation writers.

#include <string>

namespace moon {

// Writes `content` to a temporary file beside `path` and renames it over
// `path`, so a reader never sees half a file and a failed write leaves the
// old file intact. Throws IoError naming the file.
void writeTextFileAtomic(const std::string& path, const std::string& content);

}  // namespace moon
