#pragma once

// Saving a QCustomPlot as a figure — PNG (at twice the screen resolution),
// SVG (vector, through QSvgGenerator) or PDF — chosen by the file's suffix.
// Used by every chart export (Runs, Embeddings).

#include <QString>

class QCustomPlot;

namespace moon {

// True for the suffixes savePlot writes ("png", "svg", "pdf"; any case).
bool isPlotFigureFile(const QString& path);

// `format` "png", "svg" or "pdf"; empty: the file's suffix. `width`/`height`
// 0: the plot's on-screen size, at least 640 x 360. False with `error` set
// (naming the file) when it cannot be written or the format is not a figure's.
bool savePlot(QCustomPlot& plot, const QString& path, const QString& title, QString* error, int width = 0,
              int height = 0, const QString& format = {});

}  // namespace moon
