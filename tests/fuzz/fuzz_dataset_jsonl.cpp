// A dataset folder's JSON-lines files. The input is products.jsonl, then a
// NUL byte, then test.jsonl; the folder holds one valid image,
// images/a.jpg. Dataset::load() must keep what is usable, report the rest
// and throw only moon::Error; what it keeps must be consistent.
#include <filesystem>
#include <set>
#include <string>

#include <spdlog/spdlog.h>
#include <opencv2/core.hpp>

#include "FuzzScratch.h"
#include "FuzzTargets.h"
#include "core/base/Error.h"
#include "core/data/Dataset.h"
#include "core/data/RecordJson.h"
#include "core/image/ImageIo.h"

namespace moon::fuzz {
namespace {

const std::string& datasetDir() {
  static const std::string dir = [] {
    const std::string d = scratchDir() + "/dataset";
    std::filesystem::create_directories(d + "/images");
    writeImageFile(d + "/images/a.jpg", cv::Mat(8, 8, CV_8UC3, cv::Scalar(40, 90, 200)));
    spdlog::set_level(spdlog::level::off);
    return d;
  }();
  return dir;
}

}  // namespace

bool fuzzDatasetJsonl(const uint8_t* data, size_t size) {
  const std::string dir = datasetDir();
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t cut = input.find('\0');
  writeScratchFile("dataset/products.jsonl", input.substr(0, cut));
  writeScratchFile("dataset/test.jsonl", cut == std::string::npos ? std::string() : input.substr(cut + 1));

  DatasetOptions options;
  options.splits = {"test"};
  options.requiredSplits = {};
  options.decodeImages = true;
  options.threads = 1;
  options.logReport = false;
  Dataset dataset;
  try {
    dataset = Dataset::load(dir, options);
  } catch (const Error&) {
    return false;
  }

  std::set<std::string> ids;
  for (size_t i = 0; i < dataset.products().size(); ++i) {
    const Product& p = dataset.products()[i];
    if (p.id.empty()) violated("a product with an empty id was kept");
    if (!ids.insert(p.id).second) violated("product id '" + p.id + "' was kept twice");
    if (dataset.findProduct(p.id) != &p) violated("findProduct('" + p.id + "') does not find it");
    if (dataset.productOrigin(i).find("products.jsonl:") == std::string::npos)
      violated("product origin does not name products.jsonl");
    // What we read, we write back the same way.
    const auto written = productToJson(p);
    if (productToJson(productFromJson(nlohmann::json::parse(written.dump()))) != written)
      violated("product '" + p.id + "' changes on a write/read round trip: " + written.dump());
  }
  const std::vector<Triplet>& test = dataset.split("test");
  for (size_t i = 0; i < test.size(); ++i) {
    if (!dataset.findProduct(test[i].positiveId) || !dataset.findProduct(test[i].negativeId))
      violated("a kept triplet names a product that was not kept");
    const auto written = tripletToJson(test[i]);
    if (tripletToJson(tripletFromJson(nlohmann::json::parse(written.dump()))) != written)
      violated("a triplet changes on a write/read round trip: " + written.dump());
  }
  return true;
}

}  // namespace moon::fuzz
