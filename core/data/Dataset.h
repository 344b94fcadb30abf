#pragma once

// An MBE-style dataset folder (format: README.md "Dataset format"):
//   products.jsonl, train.jsonl, val.jsonl, test.jsonl, images/
// load() keeps every usable record and reports every other one with file and
// line in a DataReport; it throws only when nothing usable is left.

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/data/DataReport.h"
#include "core/data/Product.h"

namespace moon {

struct DatasetOptions {
  // Split files <name>.jsonl to read. A split that is not required may be absent.
  std::vector<std::string> splits = {"train", "val", "test"};
  // Splits that must exist and keep at least one usable triplet.
  std::vector<std::string> requiredSplits = {"train", "val", "test"};
  // Decode every image (products and queries) and skip records whose image
  // is corrupt or truncated. Without it only existence and size are checked.
  bool decodeImages = false;
  int threads = 0;  // for decoding; 0 = one per hardware thread
  size_t examplesPerKind = 5;
  // Log a summary and the example problems (a caller that prints the report itself turns this off).
  bool logReport = true;
  // Called on the calling thread while images are decoded.
  std::function<void(size_t done, size_t total)> progress;
};

class Dataset {
 public:
  // Throws IoError when the folder or products.jsonl cannot be read, and
  // FormatError (message includes the report) when no product or no triplet
  // of a required split is usable.
  static Dataset load(const std::string& dir, const DatasetOptions& options = {});

  const std::string& dir() const { return dir_; }
  // The file behind a record's relative image path.
  std::string imageFile(const std::string& relativePath) const;

  const std::vector<Product>& products() const { return products_; }
  const Product* findProduct(const std::string& id) const;

  // Empty for a split that was not read or had no file.
  const std::vector<Triplet>& split(const std::string& name) const;
  std::vector<std::string> splitNames() const { return splitOrder_; }  // in the order they were read

  // "dir/products.jsonl:12", "dir/test.jsonl:3": where a record came from, for messages.
  std::string productOrigin(size_t index) const;
  std::string tripletOrigin(const std::string& split, size_t index) const;

  const DataReport& report() const { return report_; }

 private:
  struct SplitData {
    std::string file;
    std::vector<Triplet> triplets;
    std::vector<size_t> lines;
  };

  std::string dir_;
  std::string productsFile_;
  std::vector<Product> products_;
  std::vector<size_t> productLines_;
  std::unordered_map<std::string, size_t> index_;
  std::map<std::string, SplitData> splits_;
  std::vector<std::string> splitOrder_;
  DataReport report_;

  friend class DatasetLoader;
};

}  // namespace moon
