#include "model/compare/TripletInputs.h"

#include "core/base/Error.h"
#include "core/image/ImageIo.h"

namespace moon {

namespace {

// A catalogue product in a slot; false (with a problem) when it is missing.
bool fillProduct(const Dataset& dataset, const std::string& id, CompareInput& slot,
                 std::vector<std::string>& problems) {
  const Product* p = dataset.findProduct(id);
  if (!p) {
    problems.push_back("product '" + id + "' is not in the catalogue");
    return false;
  }
  slot.id = p->id;
  slot.title = p->title;
  slot.imagePath = p->imagePath;
  if (!p->imagePath.empty()) {
    try {
      slot.image = readImageChecked(dataset.imageFile(p->imagePath));
    } catch (const Error& e) {
      problems.push_back(e.what());
    }
  }
  slot.truth = p->allAttributes();
  return true;
}

}  // namespace

TripletInputs productInputs(const Dataset& dataset, const std::array<std::string, kCompareSlots>& ids) {
  TripletInputs out;
  for (std::size_t s = 0; s < ids.size(); ++s) fillProduct(dataset, ids[s], out.slots[s], out.problems);
  return out;
}

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
  fillProduct(dataset, t.positiveId, out.slots[kGroundTruthSlot], out.problems);
  fillProduct(dataset, t.negativeId, out.slots[kNearDuplicateSlot], out.problems);
  return out;
}

}  // namespace moon
