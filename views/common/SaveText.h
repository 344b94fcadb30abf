#pragma once

// A text export (CSV, JSON) written the project's one atomic way
// (core/base/AtomicFile.h), its error turned into a message for the user.

#include <QString>

#include <string>

namespace moon {

// False with `error` set (naming the file) when it cannot be written.
bool saveTextFile(const QString& path, const std::string& text, QString* error);

}  // namespace moon
