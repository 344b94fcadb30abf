#pragma once

#include "views/shell/ViewRegistry.h"

namespace moon {

// The views moon-workbench shows, in sidebar order.
ViewRegistry standardViews();

}  // namespace moon
