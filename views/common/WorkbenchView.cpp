#include "views/common/WorkbenchView.h"

namespace moon {

WorkbenchView::WorkbenchView(QWidget* parent) : QWidget(parent) {}

}  // namespace moon
