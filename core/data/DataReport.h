#pragma once

// What went wrong while reading a dataset, record by record. A bad record is
// skipped and counted under one problem kind; the first few of each kind are
// kept verbatim (file and line) so a person can go and fix them.

#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace moon {

enum class DataProblem {
  MalformedJson,   // the line is not one JSON object
  InvalidUtf8,     // the line is not valid UTF-8
  MissingField,    // a required field is absent
  WrongType,       // a field has the wrong JSON type
  InvalidValue,    // right type, unusable value (empty id, unknown modality, ...)
  DuplicateId,     // a product id seen before in products.jsonl
  UnknownProduct,  // a triplet names a product that is absent or was skipped
  UnsafePath,      // an image path leaves the dataset folder
  MissingImage,    // the image file does not exist
  BadImage,        // the image file is empty, corrupt, truncated or of an unsupported format
};

inline constexpr std::array<DataProblem, 10> kAllDataProblems = {
    DataProblem::MalformedJson, DataProblem::InvalidUtf8, DataProblem::MissingField,   DataProblem::WrongType,
    DataProblem::InvalidValue,  DataProblem::DuplicateId, DataProblem::UnknownProduct, DataProblem::UnsafePath,
    DataProblem::MissingImage,  DataProblem::BadImage};

// "malformed JSON", "missing image", ...
const char* dataProblemName(DataProblem p);

struct DataIssue {
  DataProblem kind;
  std::string file;  // as opened, e.g. "data/shop/products.jsonl"
  size_t line = 0;   // 1-based
  std::string detail;

  // "data/shop/products.jsonl:12: missing field 'title'; record skipped"
  std::string message() const;
};

// Good and bad record counts of one file.
struct FileCounts {
  std::string file;
  size_t good = 0;
  size_t bad = 0;
  bool present = true;  // false: an optional file that does not exist
};

class DataReport {
 public:
  explicit DataReport(size_t examplesPerKind = 5) : examplesPerKind_(examplesPerKind) {}

  // Counts the issue and keeps it as an example while there is room.
  void add(DataIssue issue);

  FileCounts& file(const std::string& path);  // created on first use, in order
  const std::vector<FileCounts>& files() const { return files_; }

  size_t count(DataProblem kind) const;
  size_t totalProblems() const;
  const std::vector<DataIssue>& examples(DataProblem kind) const;
  bool clean() const { return totalProblems() == 0; }

  // Multi-line human-readable report: per-file counts, then per problem kind
  // its count and examples.
  std::string summary() const;

 private:
  size_t examplesPerKind_;
  std::vector<FileCounts> files_;
  std::map<DataProblem, size_t> counts_;
  std::map<DataProblem, std::vector<DataIssue>> examples_;
};

}  // namespace moon
