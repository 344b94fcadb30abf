#pragma once

#include <array>

#include "model/compare/ComparisonResult.h"
#include "views/common/WorkbenchView.h"
#include "views/compare/CompareSlotPanel.h"

class QAction;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSlider;
class QSpinBox;

namespace moon {

class CompareController;
class GateChart;
class MarginPanel;
class SimilarityTable;
class WhyClosePanel;

// Compare (DESIGN.md §5): a query and two candidates (ground truth and
// near-duplicate) from a dataset triplet or the user's own images and
// titles, run through a checkpoint on a worker thread: images with attention
// heat maps, titles, generated traces, attributes (disagreements
// highlighted), the similarity matrix over modalities with the triplet
// margin, and MMF's gate weights. Exports PNG, PDF and JSON. The state and
// the jobs are CompareController's; this class lays out what it says.
class CompareView : public WorkbenchView {
  Q_OBJECT
 public:
  explicit CompareView(QWidget* parent = nullptr);
  ~CompareView() override;

  QString id() const override { return QStringLiteral("compare"); }
  QString title() const override { return tr("Compare"); }
  QIcon icon() const override;
  QString summary() const override {
    return tr("A query, its ground truth and a near-duplicate through a model: traces, attention, similarities");
  }
  QList<QAction*> toolBarActions() const override;
  void setWorkspace(const WorkspaceLocation& workspace) override;
  void activated() override;
  // False while a checkpoint, a dataset or a comparison is loading or computing.
  bool isReady() const override;
  // Keys: "checkpoint" (folder), "dataset" (folder), "triplet" ("N" or "split:N", default split test),
  // "products" ("QUERY,GT,ND" catalogue ids), "explain" (true: show what moves the similarity instead of attention).
  bool handleRequest(const QVariantMap& request) override;

  CompareController& controller() const { return *controller_; }
  // Shorthands for the controller's (CompareController.h).
  void setCheckpoint(const QString& path);
  void setDataset(const QString& dir);
  void showTriplet(const QString& split, int index);
  bool setSlotImageFile(int slot, const QString& file);
  void setSlotTitle(int slot, const QString& title);
  void regenerate();
  void cancel();
  QString message() const;
  const ComparisonResult* result() const;

  // Sets the decoding widgets (and so the controller's options).
  void setOptions(const CompareOptions& options);
  void setHeatmapStyle(const HeatmapStyle& style);
  void selectToken(int slot, int query);
  CompareSlotPanel* slotPanel(int slot) const { return panels_[size_t(slot)]; }
  QWidget* figure() const { return figure_; }
  WhyClosePanel* whyClose() const { return whyClose_; }

  bool exportPng(const QString& file, QString* error);
  bool exportPdf(const QString& file, QString* error);
  bool exportJson(const QString& file, QString* error);

 private:
  QWidget* buildTopBar();
  QWidget* buildAttentionBar();
  void connectController();
  void fillCheckpoints();
  void selectCheckpoint(const QString& path);
  void fillDatasets();
  void fillSplits();
  void chooseCheckpointFolder();
  void chooseImage(int slot);
  void showMessage(const QString& text);
  void updateBusy();
  void showResult();
  void fillAttentionChoices();
  CompareOptions currentOptions() const;
  HeatmapStyle currentStyle() const;
  void exportWithDialog(const QString& kind);

  WorkspaceLocation workspace_;
  CompareController* controller_;

  QComboBox* checkpoints_;
  QComboBox* datasets_;
  QComboBox* split_;
  QSpinBox* tripletIndex_;
  QRadioButton* greedy_;
  QRadioButton* sampled_;
  QDoubleSpinBox* temperature_;
  QSpinBox* seed_;
  QPushButton* regenerate_;
  QPushButton* cancel_;
  QProgressBar* progress_;
  QLabel* messageLabel_;
  QLabel* status_;
  QWidget* figure_;
  std::array<CompareSlotPanel*, kCompareSlots> panels_{};
  QComboBox* layer_;
  QComboBox* head_;
  QComboBox* colormap_;
  QSlider* opacity_;
  QCheckBox* smooth_;
  QCheckBox* showHeat_;
  SimilarityTable* similarity_;
  MarginPanel* margins_;
  GateChart* gates_;
  WhyClosePanel* whyClose_ = nullptr;
  QAction* regenerateAction_;
  QAction* exportPngAction_;
  QAction* exportPdfAction_;
  QAction* exportJsonAction_;
};

}  // namespace moon
