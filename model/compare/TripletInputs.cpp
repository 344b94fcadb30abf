#include "model/compare/TripletInputs.h"

#include "core/base/Error.h"
#include "core/image/ImageIo.h"

namespace moon {

TripletInputs tripletInputs(const Dataset& dataset, const std::string& split, int index) {
  const auto& triplets = dataset.split(split);
  if (triplets.empty()) throw ConfigError("the dataset has no '" + split + "' triplets");
  if (index < 0 || index >= static_cast<int>(triplets.size()))
    throw ConfigError("triplet " + std::to_string(index) + " is out of range: split '" + split + "' has " +
                      std::to_string(triplets.size()) + " (0 to " + std::to_string(triplets.size() - 1) + ")");
  TripletInputs out;
  auto readImage = [&](const std::string& relative) -> cv::Mat {
    try {
      return readImageChecked(dataset.imageFile(relative));
    } catch (const Error& e) {
      out.problems.push_back(e.what());
      return {};
    }
  };
  const Triplet& t = triplets[static_cast<size_t>(index)];
  CompareInput& query = out.slots[kQuerySlot];
  query.id = split + "#" + std::to_string(index);
  query.title = t.query.title.value_or("");
  if (t.query.imagePath) {
    query.imagePath = *t.query.imagePath;
    query.image = readImage(*t.query.imagePath);
  }
  query.truth = t.query.attributes;
  const std::string* ids[] = {&t.positiveId, &t.negativeId};
  for (int s = kGroundTruthSlot; s < kCompareSlots; ++s) {
    const std::string& id = *ids[s - kGroundTruthSlot];
    const Product* p = dataset.findProduct(id);
    if (!p) {
      out.problems.push_back("product '" + id + "' is not in the catalogue");
      continue;
    }
    CompareInput& slot = out.slots[static_cast<size_t>(s)];
    slot.id = p->id;
    slot.title = p->title;
    slot.imagePath = p->imagePath;
    if (!p->imagePath.empty()) slot.image = readImage(p->imagePath);
    slot.truth = p->allAttributes();
  }
  return out;
}

}  // namespace moon
