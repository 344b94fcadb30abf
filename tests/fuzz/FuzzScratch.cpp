#include "FuzzScratch.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "FuzzTargets.h"

namespace moon::fuzz {
namespace {

std::string makeScratchDir() {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("moon-fuzz-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  static const std::string removeAtExit = dir.string();
  std::atexit([] {
    std::error_code ec;
    std::filesystem::remove_all(removeAtExit, ec);
  });
  return dir.string();
}

}  // namespace

const std::string& scratchDir() {
  static const std::string dir = makeScratchDir();
  return dir;
}

std::string writeScratchFile(const std::string& name, const std::string& bytes) {
  const std::string path = scratchDir() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) violated("cannot write the scratch file " + path);
  return path;
}

}  // namespace moon::fuzz
