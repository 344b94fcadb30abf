#pragma once

// What the model layer was built against, as plain strings, so Qt code (the
// About box) can show it without including any Torch header.

#include <string>

namespace moon {

// LibTorch version, e.g. "1.13.0".
std::string torchVersion();

// Whether this LibTorch build can reach a CUDA device at run time.
bool torchCudaAvailable();

}  // namespace moon
