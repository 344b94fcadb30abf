#pragma once

// Writes products.jsonl and the split files of a dataset folder (format:
// README.md "Dataset format"). Images are the caller's business.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/data/Product.h"

namespace moon {

// A product plus extra string fields written after the standard ones (the
// generator's "family"); readers ignore fields they do not know.
struct DatasetProductRecord {
  Product product;
  std::vector<std::pair<std::string, std::string>> extra;
};

// Writes products.jsonl and <split>.jsonl for every entry of `splits`, each
// atomically, with a fixed key order. Throws IoError.
void writeDataset(const std::string& dir, const std::vector<DatasetProductRecord>& products,
                  const std::map<std::string, std::vector<Triplet>>& splits);
void writeDataset(const std::string& dir, const std::vector<Product>& products,
                  const std::map<std::string, std::vector<Triplet>>& splits);

void writeProductsJsonl(const std::string& path, const std::vector<DatasetProductRecord>& products);
void writeTripletsJsonl(const std::string& path, const std::vector<Triplet>& triplets);

}  // namespace moon
