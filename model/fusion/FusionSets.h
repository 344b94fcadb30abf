#pragma once

// The three token sets multi-head modality fusion reads (ModalityFusion.h),
// named without LibTorch so results and the GUI can use them.

namespace moon {

enum class FusionSet { Image = 0, Title = 1, Reasoning = 2 };
inline constexpr int kFusionSets = 3;
const char* fusionSetName(FusionSet s);  // "image", "title", "reasoning"

}  // namespace moon
