#include "core/data/DataReport.h"

#include <sstream>

namespace moon {

const char* dataProblemName(DataProblem p) {
  switch (p) {
    case DataProblem::MalformedJson:
      return "malformed JSON";
    case DataProblem::InvalidUtf8:
      return "invalid UTF-8";
    case DataProblem::MissingField:
      return "missing field";
    case DataProblem::WrongType:
      return "wrong field type";
    case DataProblem::InvalidValue:
      return "invalid value";
    case DataProblem::DuplicateId:
      return "duplicate product id";
    case DataProblem::UnknownProduct:
      return "unknown product id";
    case DataProblem::UnsafePath:
      return "image path outside the dataset";
    case DataProblem::MissingImage:
      return "missing image";
    case DataProblem::BadImage:
      return "unreadable image";
  }
  return "unknown problem";
}

std::string DataIssue::message() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  return out + ": " + detail;
}

void DataReport::add(DataIssue issue) {
  ++counts_[issue.kind];
  auto& kept = examples_[issue.kind];
  if (kept.size() < examplesPerKind_) kept.push_back(std::move(issue));
}

FileCounts& DataReport::file(const std::string& path) {
  for (auto& f : files_)
    if (f.file == path) return f;
  files_.push_back(FileCounts{path, 0, 0, true});
  return files_.back();
}

size_t DataReport::count(DataProblem kind) const {
  auto it = counts_.find(kind);
  return it == counts_.end() ? 0 : it->second;
}

size_t DataReport::totalProblems() const {
  size_t total = 0;
  for (const auto& [kind, n] : counts_) total += n;
  return total;
}

const std::vector<DataIssue>& DataReport::examples(DataProblem kind) const {
  static const std::vector<DataIssue> kNone;
  auto it = examples_.find(kind);
  return it == examples_.end() ? kNone : it->second;
}

std::string DataReport::summary() const {
  std::ostringstream out;
  for (const auto& f : files_) {
    if (!f.present) {
      out << "  " << f.file << ": not present\n";
      continue;
    }
    out << "  " << f.file << ": " << f.good << " good, " << f.bad << " bad\n";
  }
  for (DataProblem kind : kAllDataProblems) {
    const size_t n = count(kind);
    if (n == 0) continue;
    out << "  " << dataProblemName(kind) << ": " << n << "\n";
    for (const auto& issue : examples(kind)) out << "    " << issue.message() << "\n";
    const size_t shown = examples(kind).size();
    if (n > shown) out << "    ... and " << (n - shown) << " more\n";
  }
  std::string text = out.str();
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace moon
