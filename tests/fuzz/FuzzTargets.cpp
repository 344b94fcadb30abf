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

const FuzzTarget& fuzzTarget(const std::string& name) {
  for (const FuzzTarget& t : fuzzTargets())
    if (name == t.name) return t;
  violated("no fuzz target called '" + name + "'");
}

void violated(const std::string& what) {
  std::fprintf(stderr, "fuzz invariant violated: %s\n", what.c_str());
  std::abort();
}

}  // namespace moon::fuzz
