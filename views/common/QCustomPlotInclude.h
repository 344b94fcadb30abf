#pragma once

// <qcustomplot.h> uses Qt's lower-case keywords (signals, slots, emit,
// foreach), which the project switches off (QT_NO_KEYWORDS: they clash with
// LibTorch). Include QCustomPlot through this header instead.

#include <QtGlobal>

#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
