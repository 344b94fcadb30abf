#pragma once

#include <QColor>
#include <QIcon>
#include <QString>

#include "core/store/RunRecords.h"

class QApplication;

namespace moon {

// Registers resources/resources.qrc (compiled into the static moon_views
// library, so it must be pulled in explicitly). Idempotent.
void initWorkbenchResources();

// The workbench look: Fusion, a light palette and resources/style/workbench.qss.
void applyWorkbenchTheme(QApplication& app);

// An icon from resources/icons/<name>.svg.
QIcon workbenchIcon(const QString& name);

// Colours the views put into rich text and per-state style sheets; fixed
// styles live in resources/style/workbench.qss (error banners: QLabel#errorBanner).
namespace themeColour {
inline constexpr const char* kText = "#1f2328";
inline constexpr const char* kMuted = "#6b768c";      // secondary text, ids
inline constexpr const char* kSpecial = "#888888";    // special tokens, placeholders
inline constexpr const char* kGood = "#1e8a4c";       // a margin in favour of the ground truth
inline constexpr const char* kBad = "#b3261e";        // errors, a margin against
inline constexpr const char* kHighlight = "#ffd54f";  // the selected token
inline constexpr const char* kCopied = "#00796b";     // a trace token the copy head took from the title
}  // namespace themeColour

// A run's status as a colour (the runs table, the run details, the overview).
QColor runStatusColour(RunStatus status);

}  // namespace moon
