#include "views/compare/CompareExport.h"

#include <QFile>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QPixmap>
#include <QSaveFile>
#include <QWidget>

#include "model/compare/ComparisonResult.h"

namespace moon {
namespace {

QString cannotWrite(const QString& file, const QString& why) {
  return QObject::tr("cannot write %1: %2").arg(file, why);
}

}  // namespace

bool exportWidgetPng(QWidget& widget, const QString& file, QString* error, double scale) {
  if (widget.width() <= 0 || widget.height() <= 0) widget.resize(widget.sizeHint());
  QPixmap pixels(widget.size() * scale);
  pixels.setDevicePixelRatio(scale);
  pixels.fill(Qt::white);
  widget.render(&pixels);
  if (!pixels.save(file, "PNG")) {
    *error = cannotWrite(file, QObject::tr("the PNG encoder failed"));
    return false;
  }
  return true;
}

bool exportWidgetPdf(QWidget& widget, const QString& file, const QString& title, QString* error) {
  if (widget.width() <= 0 || widget.height() <= 0) widget.resize(widget.sizeHint());
  {
    QFile probe(file);
    if (!probe.open(QIODevice::WriteOnly)) {
      *error = cannotWrite(file, probe.errorString());
      return false;
    }
  }
  QPdfWriter pdf(file);
  pdf.setTitle(title);
  pdf.setCreator(QStringLiteral("MOON Workbench"));
  pdf.setResolution(96);
  // One page the widget's shape, in points (1/72 in) at 96 dpi.
  const QSizeF points(widget.width() * 72.0 / 96.0, widget.height() * 72.0 / 96.0);
  pdf.setPageSize(QPageSize(points, QPageSize::Point, title, QPageSize::ExactMatch));
  pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
  QPainter painter;
  if (!painter.begin(&pdf)) {
    *error = cannotWrite(file, QObject::tr("the PDF writer did not start"));
    return false;
  }
  const QRect page = pdf.pageLayout().paintRectPixels(pdf.resolution());
  const double s = std::min(page.width() / double(widget.width()), page.height() / double(widget.height()));
  painter.scale(s, s);
  widget.render(&painter);
  painter.end();
  return true;
}

bool exportComparisonJson(const ComparisonResult& result, const QString& file, QString* error,
                          const std::array<std::optional<SimilarityAttribution>, 2>* attributions) {
  QSaveFile out(file);
  if (!out.open(QIODevice::WriteOnly)) {
    *error = cannotWrite(file, out.errorString());
    return false;
  }
  nlohmann::json json = comparisonToJson(result);
  if (attributions && ((*attributions)[0] || (*attributions)[1])) {
    nlohmann::json section = nlohmann::json::object();
    if ((*attributions)[0]) section["ground_truth"] = attributionToJson(*(*attributions)[0]);
    if ((*attributions)[1]) section["near_duplicate"] = attributionToJson(*(*attributions)[1]);
    json["attribution"] = section;
  }
  const std::string text = json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  out.write(text.data(), qint64(text.size()));
  if (!out.commit()) {
    *error = cannotWrite(file, out.errorString());
    return false;
  }
  return true;
}

}  // namespace moon
