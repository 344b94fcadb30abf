#pragma once

// The shared "small synthetic catalogue" of the tests: core/synth's catalogue
// (products, images, splits and its tokenizer.json) in a temporary folder
// that lives as long as this object, with a workspace path beside it.
//
//   test::SyntheticCatalogue catalogue(test::smallCatalogue(24));
//   Dataset::load(catalogue.dataDir(), ...);

#include <QTemporaryDir>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "core/synth/CatalogueGenerator.h"

namespace moon::test {

// `products` products with small images, one rendering thread (ctest runs
// two tests at once on two cores) and a fixed seed; splits as core/synth's defaults.
inline SynthOptions smallCatalogue(int products, int imageSize = 32, uint64_t seed = 3) {
  SynthOptions o;
  o.products = products;
  o.imageSize = imageSize;
  o.seed = seed;
  o.threads = 1;
  return o;
}

class SyntheticCatalogue {
 public:
  explicit SyntheticCatalogue(const SynthOptions& options) {
    if (!dir_.isValid()) throw std::runtime_error("no temporary folder for the test catalogue");
    root_ = dir_.path().toStdString();
    generateCatalogue(dataDir(), options);
  }

  // A file or folder inside the temporary folder.
  std::string path(const std::string& name) const { return (std::filesystem::path(root_) / name).string(); }
  std::string dataDir() const { return path("data"); }
  // Where a test's workspace goes (not created here).
  std::string workspaceDir() const { return path("ws"); }
  QString qDataDir() const { return QString::fromStdString(dataDir()); }
  QString qWorkspaceDir() const { return QString::fromStdString(workspaceDir()); }

 private:
  QTemporaryDir dir_;
  std::string root_;
};

}  // namespace moon::test
