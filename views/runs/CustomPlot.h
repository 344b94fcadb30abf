#pragma once

// <qcustomplot.h> for a project built with QT_NO_KEYWORDS: the header itself
// uses signals/slots/emit/foreach, so they are defined around its inclusion
// only.

#if !defined(signals) && !defined(slots) && !defined(emit) && !defined(foreach)
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
#else
#include <qcustomplot.h>
#endif
