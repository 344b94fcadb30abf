#pragma once

// The Embeddings view's panel for the clicked point: its card, its ten
// nearest products by cosine in the full embedding (near-duplicates of its
// group marked, and those outside the ten listed below with their cosines),
// and the buttons that open it in Compare.

#include <QVector>
#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace moon {

struct MapData;

class NeighbourPanel : public QWidget {
  Q_OBJECT
 public:
  explicit NeighbourPanel(QWidget* parent = nullptr);

  // Shows point `index` of `data`; returns the ten nearest points' indices.
  QVector<int> showPoint(const MapData& data, int index);
  void clear();
  QTreeWidget* tree() const { return tree_; }

 Q_SIGNALS:
  void pointActivated(int point);                    // a neighbour double-clicked
  void compareTripletRequested();                    // "Compare its triplet"
  void compareWithRequested(int first, int second);  // "Compare with the two selected"

 private:
  QLabel* heading_;
  QTreeWidget* tree_;
  QPushButton* compare_;
  QPushButton* comparePicked_;
};

}  // namespace moon
