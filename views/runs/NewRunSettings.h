#pragma once

// What the New Run form asks for, as plain values, and how it becomes a
// `moon train` command line. Validation resolves the config the way the
// trainer will (resolveTrainConfig), so the form shows the trainer's own
// error text, naming the key.

#include <cstdint>
#include <string>
#include <vector>

namespace moon {

struct NewRunSettings {
  std::string preset = "micro";
  std::string data;  // dataset folder
  std::string name;
  int64_t steps = 100;
  int batchSize = 8;
  std::string lr = "0.002";  // as typed: "1e-3" is fine, "abc" is an error naming optim.lr
  int warmupSteps = 10;
  bool rl = false;
  int evalEvery = 50;
  int checkpointEvery = 50;
  std::string device = "cpu";      // "cpu" or "cuda"
  std::vector<std::string> extra;  // further key=value overrides

  // The preset's own values for the hyper-parameters above. Throws ConfigError for an unknown preset.
  static NewRunSettings fromPreset(const std::string& preset, const std::string& data);

  // key=value overrides for `--set`, in a stable order.
  std::vector<std::string> overrides() const;
  // Arguments after the program: train --workspace W --preset P --data D [--name N] --set k=v ...
  std::vector<std::string> trainArguments(const std::string& workspace) const;
  // Empty when the run can start; otherwise the reason (naming the key or the folder).
  std::string validationError() const;
};

// The model presets offered by the form, smallest first.
const std::vector<std::string>& trainPresetNames();

}  // namespace moon
