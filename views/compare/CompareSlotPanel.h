#pragma once

#include <QFrame>

#include "model/compare/AttentionOverlay.h"
#include "model/compare/ComparisonResult.h"
#include "model/compare/SimilarityAttribution.h"

class QLabel;
class QLineEdit;
class QTableWidget;
class QTextBrowser;
class QToolButton;

namespace moon {

// How the attention over images is drawn (shared by the three slots).
struct HeatmapStyle {
  int layer = -1;  // -1: mean
  int head = -1;   // -1: mean
  double opacity = 0.5;
  int colormap = 2;  // cv::COLORMAP_JET
  bool smooth = true;
  bool show = true;
  // Draw what moves the similarity (SimilarityAttribution.h) instead of attention.
  bool attribution = false;
};

// One column of the Compare view: a slot's image (with attention drawn
// over it), its title, the generated trace (click a token to see where it
// looks; tokens the copy head took from the title underlined) and its
// attributes beside the known ones, disagreements with the query highlighted.
class CompareSlotPanel : public QFrame {
  Q_OBJECT
 public:
  // A trace token is shown as copied when at least this share of its
  // probability came from the copy head (more copied than generated).
  static constexpr float kCopiedShare = 0.5f;

  CompareSlotPanel(int slot, QWidget* parent = nullptr);

  int slot() const { return slot_; }
  // Shows the input before (or without) a result.
  void setInput(const CompareInput& input);
  // `result` must outlive the panel's use of it (the view keeps it). Null clears the result part.
  void setResult(const ComparisonResult* result);
  void setStyle(const HeatmapStyle& style);
  // The attribution of this slot's similarity to the query (candidates: the
  // image map; the query: its token scores against the ground truth). Null
  // clears it. Must outlive its use (the view keeps it).
  void setAttribution(const SimilarityAttribution* attribution);
  // A row of the slot's attention maps; -1: <emb>.
  void selectToken(int query);
  int selectedToken() const { return token_; }
  // What the image shows now (for tests and exports).
  QImage shownImage() const { return shown_; }
  QString traceHtml() const;

 Q_SIGNALS:
  void imageRequested(int slot);  // "Image…"
  void titleEdited(int slot, const QString& title);
  void clearRequested(int slot);
  void tokenSelected(int slot, int query);

 private:
  void redrawImage();
  void redrawTrace();
  void fillAttributes();

  int slot_;
  const ComparisonResult* result_ = nullptr;
  const SimilarityAttribution* attribution_ = nullptr;
  CompareInput input_;
  HeatmapStyle style_;
  int token_ = -1;
  QImage shown_;
  QLabel* heading_;
  QLabel* image_;
  QLabel* imageCaption_;
  QLineEdit* title_;
  QTextBrowser* trace_;
  QTableWidget* attributes_;
};

// 8-bit BGR (cv::Mat) -> QImage (deep copy).
QImage matToQImage(const cv::Mat& bgr);

}  // namespace moon
