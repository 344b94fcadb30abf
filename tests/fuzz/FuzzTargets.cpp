#include "FuzzTargets.h"

#include <cstdio>
#include <cstdlib>

namespace moon::fuzz {

const std::vector<FuzzTarget>& fuzzTargets() {
  static const std::vector<FuzzTarget> targets = {
      {"dataset_jsonl", fuzzDatasetJsonl},
      {"safetensors", fuzzSafetensors},
      {"npy", fuzzNpy},
      {"tokenizer_json", fuzzTokenizerJson},
      {"image", fuzzImage},
      {"train_config", fuzzTrainConfig},
      {"train_event", fuzzTrainEvent},
  };
  return targets;
}

void violated(const std::string& what) {
  std::fprintf(stderr, "fuzz invariant violated: %s\n", what.c_str());
  std::abort();
}

}  // namespace moon::fuzz
