#pragma once

#include <QStringList>
#include <QVector>

#include <functional>
#include <memory>

#include "training/eval/EmbeddingMap.h"
#include "views/common/Job.h"
#include "views/common/WorkbenchView.h"
#include "views/embeddings/EmbeddingMapJob.h"

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStandardItemModel;
class QTableView;
class QTreeWidget;

namespace moon {

class CheckpointPicker;
class EmbeddingScatter;
class NeighbourPanel;

// Embeddings (issue #15 §1): a checkpoint's products embedded — <emb> after
// the model's trace, <disc_emb> before it, image only or text only — and
// projected to 2-D (PCA, or an exact t-SNE), on a worker thread with progress
// and cancel, cached next to the checkpoint so a second opening is instant.
// The map colours by category, near-duplicate group, split or any attribute;
// hover shows a product, a click its nearest neighbours in the embedding (its
// near-duplicates marked), a box selection is linked both ways with the
// product table. Maps of several checkpoints can share axes (Procrustes on the
// products they share). Exports the figure and the points or the selection.
class EmbeddingsView : public WorkbenchView {
  Q_OBJECT
 public:
  enum class ColourBy { Coarse, Fine, Group, Split, Attribute };

  explicit EmbeddingsView(QWidget* parent = nullptr);
  ~EmbeddingsView() override;

  QString id() const override { return QStringLiteral("embeddings"); }
  QString title() const override { return tr("Embeddings"); }
  QIcon icon() const override;
  QString summary() const override {
    return tr("A checkpoint's products on a 2-D map: where near-duplicates sit, and what reasoning changes");
  }
  QList<QAction*> toolBarActions() const override;
  void setWorkspace(const WorkspaceLocation& workspace) override;
  void activated() override;
  void deactivated() override;
  bool isReady() const override;
  // Keys: "checkpoint" (folder), "split" (all|train|val|test), "embedding"
  // (emb|disc|image|text), "projection" (pca|tsne).
  bool handleRequest(const QVariantMap& request) override;

  // Computes (or reads from the cache) the map of `checkpoint` with the
  // current split, embedding, projection and seed.
  void load(const QString& checkpoint);
  void setSplit(const QString& split);
  void setEmbedding(MapEmbedding embedding);
  void setProjection(MapProjection projection);
  void setAlignToShown(bool on);
  void setColourBy(ColourBy by, const QString& attributeKey = {});
  void cancel();

  QString checkpoint() const { return checkpoint_; }
  QString message() const;
  std::shared_ptr<const MapData> data() const { return data_; }
  EmbeddingScatter* scatter() const { return scatter_; }
  QTableView* table() const { return table_; }
  QTreeWidget* neighbours() const;
  // The groups the points are coloured by, in legend order, and each point's group.
  const QStringList& colourGroups() const { return groupNames_; }
  const std::vector<int>& colourOf() const { return groupOf_; }

  // Focuses point `index`: its neighbours in the table below the map.
  void focusPoint(int index);
  // Selects points (the map and the table follow each other).
  void selectPoints(const QVector<int>& points);
  QVector<int> selectedPoints() const;
  // Opens a triplet whose positive is the focused product in Compare.
  bool compareFocused();
  // Opens the focused product as the query against points `first` (as the
  // ground truth) and `second` (as the near-duplicate) in Compare.
  bool compareWith(int first, int second);

  bool exportFigure(const QString& file, QString* error);
  bool exportPoints(const QString& file, QString* error) const;
  bool exportSelection(const QString& file, QString* error) const;

 private:
  QWidget* buildTopBar();
  void onCheckpointsListed(bool ok, const QString& error);
  void reload();
  void onFinished(bool ok);
  void showMessage(const QString& text);
  void updateBusy();
  void fillColourChoices();
  void recolour();
  void fillTable();
  void onTableSelection();
  void showHover(int point, const QPoint& globalPos);
  void exportWith(const QString& title, const QString& name, const QString& filters,
                  const std::function<bool(const QString&, QString*)>& write);

  WorkspaceLocation workspace_;
  QString checkpoint_;
  bool active_ = false;
  bool pendingLoad_ = false;
  bool syncingSelection_ = false;
  JobPtr<EmbeddingMapJob> job_;
  std::shared_ptr<const MapData> data_;
  QStringList groupNames_;
  std::vector<int> groupOf_;
  int focused_ = -1;

  CheckpointPicker* checkpoints_;
  QComboBox* split_;
  QComboBox* embedding_;
  QComboBox* projection_;
  QSpinBox* seed_;
  QCheckBox* align_;
  QProgressBar* progress_;
  QPushButton* cancel_;
  QComboBox* colourBy_;
  QPushButton* boxSelect_;
  QLabel* summary_;
  QLabel* message_;
  EmbeddingScatter* scatter_;
  QStandardItemModel* tableModel_;
  QTableView* table_;
  NeighbourPanel* neighbours_;
  QAction* exportFigureAction_;
  QAction* exportPointsAction_;
  QAction* exportSelectionAction_;
};

}  // namespace moon
