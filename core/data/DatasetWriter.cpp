#include "core/data/DatasetWriter.h"

#include <filesystem>

#include "core/data/DatasetLayout.h"
#include "core/data/JsonlFile.h"
#include "core/data/RecordJson.h"

namespace moon {

void writeProductsJsonl(const std::string& path, const std::vector<DatasetProductRecord>& products) {
  std::vector<nlohmann::ordered_json> records;
  records.reserve(products.size());
  for (const auto& p : products) {
    nlohmann::ordered_json j = productToJson(p.product);
    for (const auto& [key, value] : p.extra) j[key] = value;
    records.push_back(std::move(j));
  }
  writeJsonlFile(path, records);
}

void writeTripletsJsonl(const std::string& path, const std::vector<Triplet>& triplets) {
  std::vector<nlohmann::ordered_json> records;
  records.reserve(triplets.size());
  for (const auto& t : triplets) records.push_back(tripletToJson(t));
  writeJsonlFile(path, records);
}

void writeDataset(const std::string& dir, const std::vector<DatasetProductRecord>& products,
                  const std::map<std::string, std::vector<Triplet>>& splits) {
  const std::filesystem::path root(dir);
  writeProductsJsonl((root / kProductsFile).string(), products);
  for (const auto& [name, triplets] : splits) writeTripletsJsonl((root / splitFileName(name)).string(), triplets);
}

void writeDataset(const std::string& dir, const std::vector<Product>& products,
                  const std::map<std::string, std::vector<Triplet>>& splits) {
  std::vector<DatasetProductRecord> records;
  records.reserve(products.size());
  for (const auto& p : products) records.push_back({p, {}});
  writeDataset(dir, records, splits);
}

}  // namespace moon
