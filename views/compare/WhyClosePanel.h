#pragma once

// "Why are these two close?" (issue #15 §3), the Compare view's card under
// the margins: computes what moves the query's similarity to the ground
// truth and to the near-duplicate (image patches, title and trace tokens)
// with a faithfulness check, and re-embeds the query after a trace the user
// edits, showing how its cosines and its ten nearest catalogue products
// change. Both run as jobs on the comparison's model; the view calls
// onResultChanged() once its panels show a new (or no) comparison, which
// clears them.

#include <QFrame>

#include <array>
#include <optional>

#include "model/compare/SimilarityAttribution.h"
#include "views/common/Job.h"
#include "views/compare/CompareJobs.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace moon {

class CompareController;

class WhyClosePanel : public QFrame {
  Q_OBJECT
 public:
  WhyClosePanel(CompareController* controller, QWidget* parent = nullptr);
  ~WhyClosePanel() override;

  // Shows attribution maps instead of attention (computing them when needed).
  void setAttributionShown(bool on);
  bool attributionShown() const;
  // Re-embeds the query after `trace`.
  void explainTrace(const QString& trace);
  bool isBusy() const;
  // Stops a running attribution or re-embedding (the Cancel button).
  void cancel();
  // The controller's result changed (and the slot panels already show it).
  void onResultChanged();

  // [0] ground truth, [1] near-duplicate; empty until computed.
  const std::array<std::optional<SimilarityAttribution>, 2>& attributions() const { return attributions_; }
  const std::optional<CounterfactualResult>& counterfactual() const { return counterfactual_; }
  QString messageText() const;
  QLineEdit* traceEdit() const { return traceEdit_; }

 Q_SIGNALS:
  void attributionShownChanged(bool on);
  void attributionsChanged();
  void busyChanged();

 private:
  void startAttribution();
  void showAttributionSummary();
  void showCounterfactual();

  CompareController* controller_;
  JobPtr<AttributionJob> attributionJob_;
  JobPtr<CounterfactualJob> counterfactualJob_;
  std::array<std::optional<SimilarityAttribution>, 2> attributions_;
  std::optional<CounterfactualResult> counterfactual_;

  QCheckBox* show_;
  QLabel* faithfulness_;
  QLineEdit* traceEdit_;
  QPushButton* reembed_;
  QPushButton* cancel_;
  QLabel* counterfactualLabel_;
  QLabel* message_;
};

}  // namespace moon
