#include "core/data/DatasetPaths.h"

#include "core/data/RecordJson.h"

namespace moon {

namespace fs = std::filesystem;

bool isInside(const fs::path& root, const fs::path& path) {
  auto r = root.begin();
  auto p = path.begin();
  for (; r != root.end(); ++r, ++p) {
    if (r->empty()) continue;  // trailing separator of the root
    if (p == path.end() || *r != *p) return false;
  }
  return true;
}

fs::path resolveDatasetImage(const fs::path& canonicalRoot, const std::string& relative, const std::string& fieldName) {
  const std::string quoted = "'" + fieldName + "' path '" + relative + "'";
  if (relative.find('\0') != std::string::npos)
    throw RecordError(DataProblem::InvalidValue, "field '" + fieldName + "' contains a NUL byte");
  const fs::path rel(relative);
  if (rel.is_absolute() || rel.has_root_name() || rel.has_root_directory())
    throw RecordError(DataProblem::UnsafePath, quoted + " is absolute; it must be relative to the dataset folder");
  for (const auto& part : rel)
    if (part == "..")
      throw RecordError(DataProblem::UnsafePath, quoted + " contains '..'; it must stay inside the dataset folder");
  const fs::path full = canonicalRoot / rel;
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(full, ec);
  if (ec) throw RecordError(DataProblem::MissingImage, quoted + ": " + ec.message());
  if (!isInside(canonicalRoot, resolved))
    throw RecordError(
        DataProblem::UnsafePath,
        quoted + " leads outside the dataset folder through a symbolic link (to " + resolved.string() + ")");
  const fs::file_status status = fs::status(resolved, ec);
  if (ec || !fs::exists(status)) throw RecordError(DataProblem::MissingImage, quoted + ": image file not found");
  if (!fs::is_regular_file(status)) throw RecordError(DataProblem::MissingImage, quoted + " is not a regular file");
  const auto size = fs::file_size(resolved, ec);
  if (ec) throw RecordError(DataProblem::MissingImage, quoted + ": " + ec.message());
  if (size == 0) throw RecordError(DataProblem::BadImage, quoted + ": image file is empty (0 bytes)");
  return resolved;
}

}  // namespace moon
