#pragma once

// Image paths in a dataset are relative to its folder and must stay inside
// it: a record cannot make the loader read /etc/passwd or ../other/private.jpg,
// directly or through a symbolic link.

#include <filesystem>
#include <string>

namespace moon {

// Checks `relative` (as written in field `fieldName` of a record) against the
// dataset folder whose canonical path is `canonicalRoot`, and returns the
// file to open. Throws RecordError: UnsafePath (absolute, "..", or a symlink
// that leads outside), MissingImage (absent or not a regular file), BadImage
// (0 bytes), InvalidValue (NUL byte).
std::filesystem::path resolveDatasetImage(const std::filesystem::path& canonicalRoot, const std::string& relative,
                                          const std::string& fieldName);

// True when `path` is `root` or lies below it (both canonical).
bool isInside(const std::filesystem::path& root, const std::filesystem::path& path);

}  // namespace moon
