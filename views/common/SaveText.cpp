#include "views/common/SaveText.h"

#include "core/base/AtomicFile.h"
#include "core/base/Error.h"

namespace moon {

bool saveTextFile(const QString& path, const std::string& text, QString* error) {
  try {
    writeFileAtomically(path.toStdString(), text);
    return true;
  } catch (const Error& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
}

}  // namespace moon
