#pragma once

// A private folder for harnesses whose reader takes a path: created once per
// process under the system temp folder, removed at exit.

#include <string>

namespace moon::fuzz {

const std::string& scratchDir();
// Writes `bytes` to scratchDir()/name and returns the path.
std::string writeScratchFile(const std::string& name, const std::string& bytes);

}  // namespace moon::fuzz
