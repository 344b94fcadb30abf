#pragma once

#include <array>
#include <memory>
#include <optional>

#include "model/compare/ComparisonResult.h"
#include "views/common/Job.h"
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

class ComparisonJob;
class Dataset;
class DatasetLoadJob;
class GateChart;
class InferenceContext;
class LoadCheckpointJob;
class MarginPanel;
class SimilarityTable;

// Compare (DESIGN.md §5): a query and two candidates (ground truth and
// near-duplicate) from a dataset triplet or the user's own images and
// titles, run through a checkpoint on a worker thread: images with attention
// heat maps, titles, generated traces, attributes (disagreements
// highlighted), the similarity matrix over modalities with the triplet
// margin, and MMF's gate weights. Exports PNG, PDF and JSON.
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
  // Keys: "checkpoint" (folder), "dataset" (folder), "triplet" ("N" or "split:N", default split test).
  bool handleRequest(const QVariantMap& request) override;

  // Loads a checkpoint folder (worker thread); the comparison reruns when it is loaded.
  void setCheckpoint(const QString& path);
  void setDataset(const QString& dir);
  // Fills the three slots from a triplet of the dataset (once it is loaded).
  void showTriplet(const QString& split, int index);
  void setSlotInput(int slot, const CompareInput& input);
  // Reads an image file into a slot (keeps its title); false with a message in the view when unreadable.
  bool setSlotImageFile(int slot, const QString& file);
  void setSlotTitle(int slot, const QString& title);
  void setOptions(const CompareOptions& options);
  void setHeatmapStyle(const HeatmapStyle& style);
  void selectToken(int slot, int query);

  // Runs the comparison now (cancelling a running one).
  void regenerate();
  void cancel();

  // The last message shown in the view ("" when none): load and input errors.
  QString message() const;
  const ComparisonResult* result() const { return result_ ? &*result_ : nullptr; }
  CompareSlotPanel* slotPanel(int slot) const { return panels_[size_t(slot)]; }
  QWidget* figure() const { return figure_; }

  bool exportPng(const QString& file, QString* error);
  bool exportPdf(const QString& file, QString* error);
  bool exportJson(const QString& file, QString* error);

 private:
  QWidget* buildTopBar();
  QWidget* buildAttentionBar();
  void refreshCheckpoints();
  void refreshDatasets();
  void chooseCheckpointFolder();
  void chooseImage(int slot);
  // A sticky message (a checkpoint that did not load) survives changes of the
  // inputs; only the next checkpoint clears it.
  void showMessage(const QString& text, bool sticky = false);
  void clearMessage(bool sticky = false);
  void scheduleRun();
  void startRun();
  void onCheckpointLoaded(bool ok);
  void onDatasetLoaded(bool ok);
  void onComparisonFinished(bool ok);
  void applyPendingTriplet();
  void updateBusy();
  void showResult();
  void fillAttentionChoices();
  CompareOptions currentOptions() const;
  HeatmapStyle currentStyle() const;
  void exportWithDialog(const QString& kind);

  WorkspaceLocation workspace_;
  std::array<CompareInput, kCompareSlots> inputs_;
  std::shared_ptr<InferenceContext> context_;
  QString checkpointPath_;  // of context_
  QString pendingCheckpoint_;
  std::shared_ptr<const Dataset> dataset_;
  QString datasetDir_;
  std::optional<std::pair<QString, int>> pendingTriplet_;
  std::optional<ComparisonResult> result_;
  JobPtr<LoadCheckpointJob> loadJob_;
  JobPtr<DatasetLoadJob> datasetJob_;
  JobPtr<ComparisonJob> runJob_;
  bool runScheduled_ = false;
  bool rerunAfterCancel_ = false;
  bool userCanceled_ = false;
  QString message_;
  bool messageSticky_ = false;

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
  QAction* regenerateAction_;
  QAction* exportPngAction_;
  QAction* exportPdfAction_;
  QAction* exportJsonAction_;
};

}  // namespace moon
