#include "core/data/Dataset.h"

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>

#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/data/DatasetLayout.h"
#include "core/data/DatasetPaths.h"
#include "core/data/JsonlFile.h"
#include "core/data/ParallelFor.h"
#include "core/data/RecordJson.h"
#include "core/image/ImageIo.h"

namespace moon {

namespace fs = std::filesystem;

// Reads a dataset in passes: parse every record, decode images (optional),
// then drop products with bad images and triplets that refer to missing
// products. Each skipped record is reported once, under its first problem.
class DatasetLoader {
 public:
  DatasetLoader(const std::string& dir, const DatasetOptions& options) : options_(options) {
    data_.dir_ = dir;
    data_.report_ = DataReport(options.examplesPerKind);
  }

  Dataset run() {
    std::error_code ec;
    if (!fs::is_directory(data_.dir_, ec)) throw IoError(data_.dir_ + ": dataset folder not found");
    root_ = fs::canonical(data_.dir_, ec);
    if (ec) throw IoError(data_.dir_ + ": " + ec.message());

    data_.productsFile_ = path(kProductsFile);
    if (!fs::exists(data_.productsFile_)) throw IoError(data_.productsFile_ + ": file not found");
    readProducts();
    for (const auto& name : options_.splits) readSplit(name);
    if (options_.decodeImages) decodeImages();
    keepProducts();
    for (const auto& name : options_.splits) keepTriplets(name, splits_.at(name));
    requireUsable();
    if (options_.logReport) logSummary();
    return std::move(data_);
  }

 private:
  struct ProductCandidate {
    Product product;
    size_t line;
    fs::path image;
  };
  struct TripletCandidate {
    Triplet triplet;
    size_t line;
    std::optional<fs::path> image;
  };
  struct SplitCandidates {
    std::string file;
    bool present = false;
    std::vector<TripletCandidate> records;
  };

  std::string path(const std::string& name) const { return (fs::path(data_.dir_) / name).string(); }

  void skip(DataProblem kind, const std::string& file, size_t line, const std::string& detail) {
    data_.report_.add({kind, file, line, detail + "; record skipped"});
    ++data_.report_.file(file).bad;
  }

  void readProducts() {
    const std::string file = data_.productsFile_;
    readJsonlFile(file, data_.report_, [&](size_t line, const nlohmann::json& record) {
      try {
        Product p = productFromJson(record);
        fs::path image = resolveDatasetImage(root_, p.imagePath, field::kImage);
        auto [it, fresh] = firstLine_.emplace(p.id, line);
        if (!fresh)
          throw RecordError(DataProblem::DuplicateId,
                            "duplicate product id '" + p.id + "' (first on line " + std::to_string(it->second) + ")");
        skipped_.erase(p.id);
        products_.push_back({std::move(p), line, std::move(image)});
      } catch (const RecordError& e) {
        skip(e.kind(), file, line, e.what());
        rememberSkipped(record, file, line, e.kind());
      }
    });
  }

  // A triplet that names a skipped product says so, instead of "unknown id".
  void rememberSkipped(const nlohmann::json& record, const std::string& file, size_t line, DataProblem kind) {
    auto it = record.find(field::kId);
    if (it == record.end() || !it->is_string() || kind == DataProblem::DuplicateId) return;
    const std::string id = it->get<std::string>();
    if (!id.empty() && !firstLine_.count(id))
      skipped_.emplace(id, file + ":" + std::to_string(line) + ", " + dataProblemName(kind));
  }

  void readSplit(const std::string& name) {
    if (splits_.count(name)) return;
    SplitCandidates& split = splits_[name];
    split.file = path(splitFileName(name));
    if (!fs::exists(split.file)) {
      FileCounts& counts = data_.report_.file(split.file);
      counts.present = false;
      return;
    }
    split.present = true;
    readJsonlFile(split.file, data_.report_, [&](size_t line, const nlohmann::json& record) {
      try {
        Triplet t = tripletFromJson(record);
        std::optional<fs::path> image;
        if (t.query.imagePath) image = resolveDatasetImage(root_, *t.query.imagePath, "query.image");
        split.records.push_back({std::move(t), line, std::move(image)});
      } catch (const RecordError& e) {
        skip(e.kind(), split.file, line, e.what());
      }
    });
  }

  void decodeImages() {
    std::set<std::string> unique;
    for (const auto& p : products_) unique.insert(p.image.string());
    for (const auto& [name, split] : splits_)
      for (const auto& t : split.records)
        if (t.image) unique.insert(t.image->string());
    const std::vector<std::string> files(unique.begin(), unique.end());
    std::vector<std::string> problems(files.size());
    std::function<bool(size_t, size_t)> progress;
    if (options_.progress)
      progress = [this](size_t done, size_t total) {
        options_.progress(done, total);
        return true;
      };
    forEachParallel(
        files.size(), options_.threads,
        [&](size_t i) {
          try {
            readImageChecked(files[i]);
          } catch (const Error& e) {
            problems[i] = e.what();
          }
        },
        progress);
    for (size_t i = 0; i < files.size(); ++i)
      if (!problems[i].empty()) badImages_.emplace(files[i], problems[i]);
  }

  // "'image' path 'images/a.jpg': truncated JPEG: ..." (the decoder message starts with the full path).
  std::string imageProblem(const std::string& field, const std::string& relative, const fs::path& file) const {
    const std::string& why = badImages_.at(file.string());
    const std::string prefix = file.string() + ": ";
    const std::string reason = why.rfind(prefix, 0) == 0 ? why.substr(prefix.size()) : why;
    return "'" + field + "' path '" + relative + "': " + reason;
  }

  void keepProducts() {
    const std::string& file = data_.productsFile_;
    for (auto& c : products_) {
      if (badImages_.count(c.image.string())) {
        skip(DataProblem::BadImage, file, c.line, imageProblem(field::kImage, c.product.imagePath, c.image));
        skipped_.emplace(c.product.id,
                         file + ":" + std::to_string(c.line) + ", " + dataProblemName(DataProblem::BadImage));
        continue;
      }
      data_.index_.emplace(c.product.id, data_.products_.size());
      data_.products_.push_back(std::move(c.product));
      data_.productLines_.push_back(c.line);
    }
    data_.report_.file(file).good = data_.products_.size();
    products_.clear();
  }

  std::optional<std::string> unknownProduct(const std::string& role, const std::string& id) const {
    if (data_.index_.count(id)) return std::nullopt;
    auto it = skipped_.find(id);
    if (it != skipped_.end()) return role + " product '" + id + "' was skipped (" + it->second + ")";
    return role + " product '" + id + "' is not in " + std::string(kProductsFile);
  }

  void keepTriplets(const std::string& name, SplitCandidates& split) {
    if (data_.splits_.count(name)) return;  // a split named twice in the options
    data_.splitOrder_.push_back(name);
    Dataset::SplitData& out = data_.splits_[name];
    out.file = split.file;
    for (auto& c : split.records) {
      if (c.image && badImages_.count(c.image->string())) {
        skip(DataProblem::BadImage, split.file, c.line,
             imageProblem("query.image", *c.triplet.query.imagePath, *c.image));
        continue;
      }
      auto unknown = unknownProduct("positive", c.triplet.positiveId);
      if (!unknown) unknown = unknownProduct("negative", c.triplet.negativeId);
      if (unknown) {
        skip(DataProblem::UnknownProduct, split.file, c.line, *unknown);
        continue;
      }
      out.triplets.push_back(std::move(c.triplet));
      out.lines.push_back(c.line);
    }
    if (split.present) data_.report_.file(split.file).good = out.triplets.size();
    split.records.clear();
  }

  void requireUsable() const {
    const auto fail = [&](const std::string& headline) {
      throw FormatError(headline + "\n" + data_.report_.summary());
    };
    if (data_.products_.empty()) fail(data_.productsFile_ + ": no usable products");
    for (const auto& name : options_.requiredSplits) {
      auto it = splits_.find(name);
      const std::string file = path(splitFileName(name));
      if (it == splits_.end()) throw FormatError(file + ": required split '" + name + "' was not read");
      if (!it->second.present) fail(file + ": required split file not found");
      if (data_.split(name).empty()) fail(file + ": no usable triplets in required split '" + name + "'");
    }
  }

  void logSummary() const {
    std::string counts;
    for (const auto& name : data_.splitOrder_) counts += ", " + name + " " + std::to_string(data_.split(name).size());
    const size_t bad = data_.report_.totalProblems();
    auto log = log::core();
    if (bad == 0) {
      log->info("dataset {}: {} products{}", data_.dir_, data_.products_.size(), counts);
    } else {
      log->warn("dataset {}: {} products{}; {} bad records skipped", data_.dir_, data_.products_.size(), counts, bad);
      for (DataProblem kind : kAllDataProblems)
        for (const auto& issue : data_.report_.examples(kind)) log->warn("  {}", issue.message());
    }
  }

  const DatasetOptions& options_;
  Dataset data_;
  fs::path root_;
  std::vector<ProductCandidate> products_;
  std::map<std::string, SplitCandidates> splits_;
  std::map<std::string, std::string> badImages_;          // file -> decoder message
  std::unordered_map<std::string, std::string> skipped_;  // product id -> "file:line, reason"
  std::unordered_map<std::string, size_t> firstLine_;     // id of a parsed product -> its line
};

Dataset Dataset::load(const std::string& dir, const DatasetOptions& options) {
  return DatasetLoader(dir, options).run();
}

std::string Dataset::imageFile(const std::string& relativePath) const {
  return (fs::path(dir_) / relativePath).string();
}

const Product* Dataset::findProduct(const std::string& id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &products_[it->second];
}

const std::vector<Triplet>& Dataset::split(const std::string& name) const {
  static const std::vector<Triplet> kNone;
  auto it = splits_.find(name);
  return it == splits_.end() ? kNone : it->second.triplets;
}

std::string Dataset::productOrigin(size_t index) const {
  return productsFile_ + ":" + std::to_string(productLines_.at(index));
}

std::string Dataset::tripletOrigin(const std::string& split, size_t index) const {
  const SplitData& s = splits_.at(split);
  return s.file + ":" + std::to_string(s.lines.at(index));
}

}  // namespace moon
