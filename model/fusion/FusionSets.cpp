#include "model/fusion/FusionSets.h"

namespace moon {

const char* fusionSetName(FusionSet s) {
  switch (s) {
    case FusionSet::Image:
      return "image";
    case FusionSet::Title:
      return "title";
    case FusionSet::Reasoning:
      return "reasoning";
  }
  return "?";
}

}  // namespace moon
