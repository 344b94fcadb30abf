#pragma once

// What this build is and what it was built against, as plain strings, so Qt
// code (the About box) and the CLI (`moon --version`) can show it without
// including any Torch header.

#include <string>

namespace moon {

// The project's version, e.g. "0.1.0".
std::string moonVersion();

// The git commit the binary was built from ("1a2b3c4d5e6f", with
// "-modified" when the tree had uncommitted changes; "unknown" outside git).
std::string gitCommit();

// LibTorch version, e.g. "1.13.0".
std::string torchVersion();

// Whether this LibTorch build can reach a CUDA device at run time.
bool torchCudaAvailable();

// What this LibTorch can run on: "CPU only" (a CPU-only build), "CUDA, no
// device found" or "CUDA, 2 devices".
std::string torchCudaSummary();

// The lines `moon --version` prints: version, commit, LibTorch and CUDA.
std::string versionReport(const std::string& program);

}  // namespace moon
