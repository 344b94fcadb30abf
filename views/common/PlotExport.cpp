#include "views/common/PlotExport.h"

#include <QFileInfo>
#include <QSvgGenerator>

#include "views/common/QCustomPlotInclude.h"

namespace moon {
namespace {

bool fail(QString* error, const QString& text) {
  if (error) *error = text;
  return false;
}

bool saveSvg(QCustomPlot& plot, const QString& path, const QString& title, int w, int h) {
  QSvgGenerator generator;
  generator.setFileName(path);
  generator.setSize(QSize(w, h));
  generator.setViewBox(QRect(0, 0, w, h));
  generator.setTitle(title);
  generator.setDescription(QStringLiteral("MOON Workbench chart"));
  QCPPainter painter;
  if (!painter.begin(&generator)) return false;
  painter.setMode(QCPPainter::pmVectorized);
  painter.setMode(QCPPainter::pmNoCaching);
  plot.toPainter(&painter, w, h);
  painter.end();
  return QFileInfo(path).exists();
}

}  // namespace

bool isPlotFigureFile(const QString& path) {
  const QString ext = QFileInfo(path).suffix().toLower();
  return ext == QLatin1String("png") || ext == QLatin1String("svg") || ext == QLatin1String("pdf");
}

bool savePlot(QCustomPlot& plot, const QString& path, const QString& title, QString* error, int width, int height,
              const QString& format) {
  const QString ext = format.isEmpty() ? QFileInfo(path).suffix().toLower() : format;
  const int w = width > 0 ? width : qMax(plot.width(), 640);
  const int h = height > 0 ? height : qMax(plot.height(), 360);
  plot.replot(QCustomPlot::rpImmediateRefresh);
  bool ok = false;
  if (ext == QLatin1String("png"))
    ok = plot.savePng(path, w, h, 2.0);
  else if (ext == QLatin1String("svg"))
    ok = saveSvg(plot, path, title, w, h);
  else if (ext == QLatin1String("pdf"))
    ok = plot.savePdf(path, w, h, QCP::epNoCosmetic, QStringLiteral("MOON Workbench"), title);
  else
    return fail(error, QObject::tr("%1: choose a .png, .svg or .pdf file").arg(path));
  return ok || fail(error, QObject::tr("could not write %1").arg(path));
}

}  // namespace moon
