#pragma once

#include <QString>

class QWidget;

namespace moon {

// Rich text for the About box: version, Qt (build and run time), LibTorch and
// whether it sees a CUDA device.
QString aboutText();

void showAboutDialog(QWidget* parent);

}  // namespace moon
