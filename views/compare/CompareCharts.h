#pragma once

#include <QTableWidget>
#include <QWidget>

class QCustomPlot;
class QLabel;

namespace moon {

struct ComparisonResult;

// The 9x9 cosine similarity matrix (query, ground truth, near-duplicate ×
// text, image, multimodal) as a colour-coded table; missing embeddings are "—".
class SimilarityTable : public QTableWidget {
  Q_OBJECT
 public:
  explicit SimilarityTable(QWidget* parent = nullptr);
  void setResult(const ComparisonResult* result);
};

// The triplet margins (t→mm, i→mm, mm→mm) as large numbers, the mm→mm one first.
class MarginPanel : public QWidget {
  Q_OBJECT
 public:
  explicit MarginPanel(QWidget* parent = nullptr);
  void setResult(const ComparisonResult* result);
  QString text() const;

 private:
  QLabel* headline_;
  QLabel* details_;
};

// MMF's gate weights per modality (image, title, reasoning), averaged over
// its heads, one bar group per slot.
class GateChart : public QWidget {
  Q_OBJECT
 public:
  explicit GateChart(QWidget* parent = nullptr);
  void setResult(const ComparisonResult* result);

 private:
  QCustomPlot* plot_;
  QLabel* empty_;
};

}  // namespace moon
