#include "views/embeddings/MapPointText.h"

#include <QSet>
#include <QUrl>

#include "training/eval/TextTable.h"

namespace moon {
namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

QString attributesText(const Attributes& attributes) {
  QStringList parts;
  for (const auto& [k, v] : attributes) parts << q(k) + QStringLiteral(": ") + q(v);
  return parts.join(QStringLiteral("; "));
}

QString pointHtml(const MapPoint& p, bool withImage) {
  const QString text =
      QStringLiteral("<b>%1</b> %2<br>%3<br><small>%4</small>%5")
          .arg(q(p.id).toHtmlEscaped(), q(p.title).toHtmlEscaped(),
               (q(p.coarseCategory) + QStringLiteral(" / ") + q(p.fineCategory)).toHtmlEscaped(),
               attributesText(p.attributes).toHtmlEscaped(),
               p.trace.empty() ? QString() : QStringLiteral("<br>trace: <tt>%1</tt>").arg(q(p.trace).toHtmlEscaped()));
  if (!withImage || p.imageFile.empty()) return text;
  return QStringLiteral("<table><tr><td><img src=\"%1\" width=\"96\" height=\"96\"></td><td>%2</td></tr></table>")
      .arg(QUrl::fromLocalFile(q(p.imageFile)).toString().toHtmlEscaped(), text);
}

std::string mapPointsCsv(const MapData& data, const QStringList& groupNames, const std::vector<int>& groupOf,
                         const QVector<int>& selection) {
  const QSet<int> selected(selection.begin(), selection.end());
  std::string csv = "id,x,y,colour,selected\n";
  for (std::size_t i = 0; i < data.points.size(); ++i) {
    const QString colour = i < groupOf.size() ? groupNames.value(groupOf[i]) : QString();
    csv += csvField(data.points[i].id) + ',' + std::to_string(data.map.xy[2 * i]) + ',' +
           std::to_string(data.map.xy[2 * i + 1]) + ',' + csvField(colour.toStdString()) + ',' +
           (selected.contains(int(i)) ? "1" : "0") + '\n';
  }
  return csv;
}

std::string mapSelectionCsv(const MapData& data, const QVector<int>& selection) {
  std::string csv = "id,title,coarse_category,fine_category,split\n";
  for (int i : selection) {
    const MapPoint& p = data.points[std::size_t(i)];
    csv += csvField(p.id) + ',' + csvField(p.title) + ',' + csvField(p.coarseCategory) + ',' +
           csvField(p.fineCategory) + ',' + csvField(p.split) + '\n';
  }
  return csv;
}

}  // namespace moon
