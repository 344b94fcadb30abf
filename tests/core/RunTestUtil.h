#pragma once

// Helpers shared by the run store tests.

#include <string>

#include "core/store/RunRecords.h"

namespace moon::test {

inline moon::RunRecord namedRun(const std::string& name) {
  moon::RunRecord r;
  r.name = name;
  return r;
}

}  // namespace moon::test
