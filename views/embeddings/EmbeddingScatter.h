#pragma once

#include <QStringList>
#include <QVector>
#include <QWidget>

#include <vector>

class QCustomPlot;
class QCPGraph;

namespace moon {

// The embedding map: one dot per product, coloured by group, zoomable (wheel)
// and draggable; in box-select mode a drag selects the points inside. Hover
// and click report the nearest point within a few pixels. Selected points,
// the focused point and its neighbours are drawn over the dots.
class EmbeddingScatter : public QWidget {
  Q_OBJECT
 public:
  explicit EmbeddingScatter(QWidget* parent = nullptr);

  // xy: two values per point; groupOf: each point's index into groupNames.
  // A legend is shown for up to kLegendGroups groups (colours repeat beyond the palette).
  void setPoints(std::vector<float> xy, const std::vector<int>& groupOf, const QStringList& groupNames);
  int pointCount() const { return int(xy_.size() / 2); }
  QPointF point(int index) const;

  void setSelection(const QVector<int>& points);
  const QVector<int>& selection() const { return selection_; }
  // The point clicked (-1: none) and its nearest neighbours in the embedding.
  void setFocus(int point, const QVector<int>& neighbours);
  void setBoxSelect(bool on);
  bool boxSelect() const { return boxSelect_; }
  // Fits the axes to the points.
  void rescale();

  // The point drawn nearest to `pixel` (plot widget coordinates) within `radius` pixels, else -1.
  int pointAt(const QPointF& pixel, double radius = 6.0) const;
  // The points whose dots lie in `pixels` (plot widget coordinates).
  QVector<int> pointsIn(const QRectF& pixels) const;

  QCustomPlot* plot() const { return plot_; }
  bool exportTo(const QString& path, const QString& title, QString* error);

  static constexpr int kLegendGroups = 16;

 Q_SIGNALS:
  void hovered(int point, const QPoint& globalPos);  // -1: left every point
  void clicked(int point);
  void boxSelected(const QVector<int>& points);

 private:
  void onMouseMove(QMouseEvent* event);
  void onMousePress(QMouseEvent* event);
  void onMouseRelease(QMouseEvent* event);
  void redrawOverlays();

  QCustomPlot* plot_;
  std::vector<float> xy_;
  std::vector<QCPGraph*> groups_;
  QCPGraph* selected_ = nullptr;
  QCPGraph* neighbours_ = nullptr;
  QCPGraph* focus_ = nullptr;
  QVector<int> selection_, neighbourPoints_;
  int focusPoint_ = -1;
  bool boxSelect_ = false;
  QPoint pressPos_;
  int hoveredPoint_ = -1;
};

}  // namespace moon
