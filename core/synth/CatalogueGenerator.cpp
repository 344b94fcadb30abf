#include "core/synth/CatalogueGenerator.h"

#include <chrono>
#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/data/DatasetLayout.h"
#include "core/data/DatasetWriter.h"
#include "core/data/JsonlFile.h"
#include "core/data/ParallelFor.h"
#include "core/image/ImageIo.h"
#include "core/synth/CataloguePlan.h"
#include "core/synth/ProductRenderer.h"
#include "core/synth/SceneComposer.h"
#include "core/text/DatasetTokenizer.h"

namespace moon {

namespace fs = std::filesystem;

namespace {

constexpr int kGalleryJpegQuality = 92;

// Removes what generation created, leaving outDir as it was found.
class OutputGuard {
 public:
  explicit OutputGuard(const fs::path& dir) : dir_(dir), created_(!fs::exists(dir)) {}
  ~OutputGuard() {
    if (committed_) return;
    std::error_code ec;
    if (created_) {
      fs::remove_all(dir_, ec);
    } else {
      for (const auto& entry : fs::directory_iterator(dir_, ec)) fs::remove_all(entry.path(), ec);
    }
  }
  void commit() { committed_ = true; }

 private:
  fs::path dir_;
  bool created_;
  bool committed_ = false;
};

void prepareOutput(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) throw ConfigError(dir.string() + ": exists and is not a folder");
    if (!fs::is_empty(dir, ec)) throw ConfigError(dir.string() + ": folder is not empty; choose a new or empty folder");
  }
  fs::create_directories(dir / kImagesDir / "queries", ec);
  if (ec) throw IoError(dir.string() + ": cannot create folders: " + ec.message());
}

}  // namespace

SynthSummary generateCatalogue(const std::string& outDir, const SynthOptions& options, const SynthProgress& progress) {
  const auto start = std::chrono::steady_clock::now();
  options.validate();
  const fs::path dir(outDir);
  {
    std::error_code ec;
    if (fs::exists(dir, ec) && fs::is_directory(dir, ec) && !fs::is_empty(dir, ec))
      throw ConfigError(dir.string() + ": folder is not empty; choose a new or empty folder");
  }
  const synth::CataloguePlan plan = synth::planCatalogue(options);
  OutputGuard guard(dir);
  prepareOutput(dir);

  // One job per product: draw it once, photograph it for the gallery and for
  // every query that has it as the positive.
  std::vector<std::vector<size_t>> queriesOf(plan.products.size());
  size_t images = plan.products.size();
  for (size_t i = 0; i < plan.triplets.size(); ++i)
    if (plan.triplets[i].triplet.query.imagePath) {
      queriesOf[plan.triplets[i].positive].push_back(i);
      ++images;
    }
  const int pixels = synth::drawingPixels(options.imageSize);
  const bool finished = forEachParallel(
      plan.products.size(), options.threads,
      [&](size_t i) {
        const auto& p = plan.products[i];
        const auto drawing = synth::drawProduct(p.product.fineCategory(), p.product.imageAttributes, pixels);
        writeImageFile((dir / p.product.imagePath).string(), synth::galleryShot(drawing, options.imageSize, p.poseSeed),
                       kGalleryJpegQuality);
        for (size_t q : queriesOf[i]) {
          const auto& t = plan.triplets[q];
          const synth::QueryShot shot = synth::queryShot(drawing, options.imageSize, t.lookSeed);
          writeImageFile((dir / *t.triplet.query.imagePath).string(), shot.image, shot.jpegQuality);
        }
      },
      progress);

  SynthSummary summary;
  if (!finished) {
    summary.cancelled = true;
    log::core()->info("synthetic catalogue cancelled; removed {}", dir.string());
    return summary;
  }

  std::vector<DatasetProductRecord> products;
  std::set<std::string> categories;
  for (const auto& p : plan.products) {
    products.push_back({p.product, {{"family", p.family}}});
    categories.insert(p.product.fineCategory());
  }
  std::map<std::string, std::vector<Triplet>> splits;
  for (const char* name : synth::kSplitNames) splits[name];
  for (const auto& t : plan.triplets) splits[t.split].push_back(t.triplet);
  writeDataset(dir.string(), products, splits);
  writeDatasetTokenizer(dir.string());

  nlohmann::ordered_json meta;
  meta["generator"] = "moon synthetic fine-grained catalogue";
  meta["format_version"] = 1;
  meta["seed"] = options.seed;
  meta["products"] = options.products;
  meta["image_size"] = options.imageSize;
  meta["min_family"] = options.minFamily;
  meta["max_family"] = options.maxFamily;
  meta["val_fraction"] = options.valFraction;
  meta["test_fraction"] = options.testFraction;
  meta["queries_per_product"] = options.queriesPerProduct;
  meta["test_queries_per_product"] = options.queriesFor("test");
  writeTextFileAtomic((dir / kSynthOptionsFile).string(), meta.dump(2) + "\n");
  guard.commit();

  summary.products = plan.products.size();
  summary.families = plan.families;
  summary.categories = categories.size();
  for (const auto& [name, triplets] : splits) summary.triplets[name] = triplets.size();
  summary.images = images;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  log::core()->info("synthetic catalogue {}: {} products in {} families, {} images in {:.1f} s", dir.string(),
                    summary.products, summary.families, summary.images, summary.seconds);
  return summary;
}

}  // namespace moon
