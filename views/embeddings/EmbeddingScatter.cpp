#include "views/embeddings/EmbeddingScatter.h"

#include <QVBoxLayout>

#include <cmath>
#include <limits>

#include "views/common/PlotExport.h"
#include "views/common/QCustomPlotInclude.h"

namespace moon {
namespace {

// Tableau 10 plus six more, distinguishable on white.
const QColor kPalette[] = {
    QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b), QColor(0xe1, 0x57, 0x59), QColor(0x76, 0xb7, 0xb2),
    QColor(0x59, 0xa1, 0x4f), QColor(0xed, 0xc9, 0x48), QColor(0xb0, 0x7a, 0xa1), QColor(0xff, 0x9d, 0xa7),
    QColor(0x9c, 0x75, 0x5f), QColor(0xba, 0xb0, 0xac), QColor(0x1f, 0x3a, 0x93), QColor(0x8c, 0xd1, 0x7d),
    QColor(0xd3, 0x72, 0xa0), QColor(0x49, 0x98, 0x94), QColor(0x86, 0x47, 0x0a), QColor(0x6a, 0x3d, 0x9a)};

QCPGraph* overlay(QCustomPlot* plot, const QCPScatterStyle& style) {
  QCPGraph* g = plot->addGraph();
  g->setLineStyle(QCPGraph::lsNone);
  g->setScatterStyle(style);
  g->removeFromLegend();
  return g;
}

}  // namespace

EmbeddingScatter::EmbeddingScatter(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_);
  plot_->setObjectName(QStringLiteral("embeddingScatterPlot"));
  plot_->setMinimumSize(360, 300);
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  plot_->setNoAntialiasingOnDrag(true);
  plot_->xAxis->setTickLabels(false);
  plot_->yAxis->setTickLabels(false);
  plot_->xAxis->grid()->setVisible(false);
  plot_->yAxis->grid()->setVisible(false);
  plot_->legend->setFont(QFont(font().family(), 8));
  plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
  plot_->setSelectionRectMode(QCP::srmNone);
  connect(plot_, &QCustomPlot::mouseMove, this, &EmbeddingScatter::onMouseMove);
  connect(plot_, &QCustomPlot::mousePress, this, &EmbeddingScatter::onMousePress);
  connect(plot_, &QCustomPlot::mouseRelease, this, &EmbeddingScatter::onMouseRelease);
  connect(plot_->selectionRect(), &QCPSelectionRect::accepted, this, [this](const QRect& rect, QMouseEvent*) {
    const QVector<int> inside = pointsIn(QRectF(rect).normalized());
    setSelection(inside);
    Q_EMIT boxSelected(inside);
  });
}

void EmbeddingScatter::setPoints(std::vector<float> xy, const std::vector<int>& groupOf, const QStringList& names) {
  plot_->clearGraphs();
  groups_.clear();
  xy_ = std::move(xy);
  selection_.clear();
  neighbourPoints_.clear();
  focusPoint_ = -1;
  hoveredPoint_ = -1;
  const int n = pointCount();
  std::vector<QVector<double>> xs(std::size_t(names.size())), ys(std::size_t(names.size()));
  for (int i = 0; i < n && i < int(groupOf.size()); ++i) {
    const int g = groupOf[std::size_t(i)];
    if (g < 0 || g >= names.size()) continue;
    xs[std::size_t(g)].append(xy_[2 * std::size_t(i)]);
    ys[std::size_t(g)].append(xy_[2 * std::size_t(i) + 1]);
  }
  const bool legend = names.size() <= kLegendGroups;
  for (int g = 0; g < names.size(); ++g) {
    QCPGraph* graph = plot_->addGraph();
    graph->setName(QStringLiteral("%1 (%2)").arg(names[g]).arg(xs[std::size_t(g)].size()));
    graph->setLineStyle(QCPGraph::lsNone);
    QColor colour = kPalette[g % int(std::size(kPalette))];
    colour.setAlpha(200);
    graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 5));
    graph->setData(xs[std::size_t(g)], ys[std::size_t(g)]);
    if (!legend) graph->removeFromLegend();
    groups_.push_back(graph);
  }
  plot_->legend->setVisible(legend && !names.isEmpty());
  selected_ = overlay(plot_, QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 1.5), Qt::NoBrush, 9));
  neighbours_ =
      overlay(plot_, QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(0xf2, 0x8e, 0x2b), 2.0), Qt::NoBrush, 11));
  focus_ =
      overlay(plot_, QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(0xc6, 0x28, 0x28), 2.5), Qt::NoBrush, 15));
  rescale();
}

QPointF EmbeddingScatter::point(int index) const {
  if (index < 0 || index >= pointCount()) return {};
  return {xy_[2 * std::size_t(index)], xy_[2 * std::size_t(index) + 1]};
}

void EmbeddingScatter::setSelection(const QVector<int>& points) {
  selection_ = points;
  redrawOverlays();
}

void EmbeddingScatter::setFocus(int point, const QVector<int>& neighbours) {
  focusPoint_ = point;
  neighbourPoints_ = neighbours;
  redrawOverlays();
}

void EmbeddingScatter::setBoxSelect(bool on) {
  boxSelect_ = on;
  plot_->setSelectionRectMode(on ? QCP::srmCustom : QCP::srmNone);
  plot_->setInteraction(QCP::iRangeDrag, !on);
}

void EmbeddingScatter::rescale() {
  plot_->rescaleAxes();
  // A margin so edge points are not cut in half.
  for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis}) {
    const QCPRange r = axis->range();
    const double pad = r.size() > 0 ? r.size() * 0.04 : 1.0;
    axis->setRange(r.lower - pad, r.upper + pad);
  }
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

int EmbeddingScatter::pointAt(const QPointF& pixel, double radius) const {
  int best = -1;
  double bestDistance = radius * radius;
  for (int i = 0; i < pointCount(); ++i) {
    const double dx = plot_->xAxis->coordToPixel(xy_[2 * std::size_t(i)]) - pixel.x();
    const double dy = plot_->yAxis->coordToPixel(xy_[2 * std::size_t(i) + 1]) - pixel.y();
    const double d = dx * dx + dy * dy;
    if (d <= bestDistance) bestDistance = d, best = i;
  }
  return best;
}

QVector<int> EmbeddingScatter::pointsIn(const QRectF& pixels) const {
  QVector<int> out;
  for (int i = 0; i < pointCount(); ++i) {
    const QPointF p(plot_->xAxis->coordToPixel(xy_[2 * std::size_t(i)]),
                    plot_->yAxis->coordToPixel(xy_[2 * std::size_t(i) + 1]));
    if (pixels.contains(p)) out.append(i);
  }
  return out;
}

bool EmbeddingScatter::exportTo(const QString& path, const QString& title, QString* error) {
  return savePlot(*plot_, path, title, error);
}

void EmbeddingScatter::onMouseMove(QMouseEvent* event) {
  if (event->buttons() != Qt::NoButton) return;  // dragging
  const int p = pointAt(event->position());
  if (p == hoveredPoint_) return;
  hoveredPoint_ = p;
  Q_EMIT hovered(p, event->globalPosition().toPoint());
}

void EmbeddingScatter::onMousePress(QMouseEvent* event) { pressPos_ = event->pos(); }

void EmbeddingScatter::onMouseRelease(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton || (event->pos() - pressPos_).manhattanLength() > 3) return;  // a drag
  const int p = pointAt(event->position());
  if (p >= 0) Q_EMIT clicked(p);
}

void EmbeddingScatter::redrawOverlays() {
  if (!selected_) return;
  auto fill = [this](QCPGraph* graph, const QVector<int>& points) {
    QVector<double> x, y;
    for (int i : points)
      if (i >= 0 && i < pointCount()) x.append(xy_[2 * std::size_t(i)]), y.append(xy_[2 * std::size_t(i) + 1]);
    graph->setData(x, y);
  };
  fill(selected_, selection_);
  fill(neighbours_, neighbourPoints_);
  fill(focus_, focusPoint_ >= 0 ? QVector<int>{focusPoint_} : QVector<int>{});
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace moon
