#pragma once

// The trainer's per-validation telemetry beyond scalars (issue #14): the
// validation's cosine histograms, and a few val queries' traces sampled as
// GRPO samples them (its group size, temperature, top-p and length), each
// scored with GRPO's reward against the val gallery and given its group
// advantage, so the Runs view shows what a GRPO step would learn from them,
// before stage 2 as well as during it.

#include <cstdint>

#include "core/text/BpeTokenizer.h"
#include "model/MoonModel.h"
#include "training/TrainConfig.h"
#include "training/eval/ValidationRetrieval.h"
#include "training/events/ValidationSamples.h"

namespace moon {

// Call right after validation.evaluate(model) at `step`; the samples are
// seeded by the run seed and the step, so a resumed run stores the same ones.
ValidationSamples validationSamples(const ValidationRetrieval& validation, MoonModelImpl& model, const TrainConfig& cfg,
                                    int64_t step);

}  // namespace moon
