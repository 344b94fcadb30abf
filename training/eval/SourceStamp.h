#pragma once

// What a derived file (a map cache, a resumable embedding's chunks) was made
// from: the checkpoint's weights file (size, modification time) and the
// dataset folder. A retrained or replaced checkpoint, or another dataset,
// gives another stamp, so stale results are not reused.

#include <string>

namespace moon {

std::string checkpointSourceStamp(const std::string& checkpointDir, const std::string& dataDir);

}  // namespace moon
