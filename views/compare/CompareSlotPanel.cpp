#include "views/compare/CompareSlotPanel.h"
#include "views/common/Theme.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableWidget>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>

#include <opencv2/imgproc.hpp>

#include <cmath>

#include "core/image/AttentionHeatmap.h"

namespace moon {
namespace {

constexpr int kImageSide = 224;
const QColor kSlotColours[] = {QColor(0x2f, 0x6f, 0xed), QColor(0x1e, 0x8a, 0x4c), QColor(0xd9, 0x73, 0x06)};
const QColor kDiffers(0xfd, 0xe2, 0xe1);
const QColor kAgrees(0xe3, 0xf4, 0xe8);
const QColor kWrong(0xb3, 0x26, 0x1e);

QTableWidgetItem* item(const QString& text) {
  auto* i = new QTableWidgetItem(text);
  i->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
  return i;
}

QString tokenHtml(const QString& label) {
  QString t = label.toHtmlEscaped();
  t.replace(QLatin1Char(' '), QStringLiteral("&nbsp;"));
  return t.isEmpty() ? QStringLiteral("&nbsp;") : t;
}

}  // namespace

QImage matToQImage(const cv::Mat& bgr) {
  if (bgr.empty()) return {};
  cv::Mat rgb;
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  return QImage(rgb.data, rgb.cols, rgb.rows, int(rgb.step), QImage::Format_RGB888).copy();
}

CompareSlotPanel::CompareSlotPanel(int slot, QWidget* parent) : QFrame(parent), slot_(slot) {
  setObjectName(QStringLiteral("card"));
  auto* v = new QVBoxLayout(this);
  v->setContentsMargins(12, 10, 12, 12);
  v->setSpacing(6);

  auto* head = new QHBoxLayout;
  heading_ = new QLabel(QString::fromLatin1(compareSlotTitle(slot)), this);
  heading_->setObjectName(QStringLiteral("cardTitle"));
  heading_->setStyleSheet(QStringLiteral("color: %1;").arg(kSlotColours[slot].name()));
  head->addWidget(heading_, 1);
  auto* pick = new QToolButton(this);
  pick->setText(tr("Image…"));
  pick->setToolTip(tr("Put your own image into this slot"));
  connect(pick, &QToolButton::clicked, this, [this] { Q_EMIT imageRequested(slot_); });
  head->addWidget(pick);
  auto* clear = new QToolButton(this);
  clear->setText(tr("Clear"));
  clear->setToolTip(tr("Empty this slot"));
  connect(clear, &QToolButton::clicked, this, [this] { Q_EMIT clearRequested(slot_); });
  head->addWidget(clear);
  v->addLayout(head);

  image_ = new QLabel(this);
  image_->setObjectName(QStringLiteral("slotImage"));
  image_->setFixedSize(kImageSide, kImageSide);
  image_->setAlignment(Qt::AlignCenter);
  v->addWidget(image_, 0, Qt::AlignHCenter);
  imageCaption_ = new QLabel(this);
  imageCaption_->setObjectName(QStringLiteral("hint"));
  imageCaption_->setAlignment(Qt::AlignHCenter);
  imageCaption_->setWordWrap(true);
  v->addWidget(imageCaption_);

  title_ = new QLineEdit(this);
  title_->setPlaceholderText(tr("No title (type one and press Enter)"));
  title_->setToolTip(tr("The product title the model reads; edit and press Enter to rerun"));
  connect(title_, &QLineEdit::returnPressed, this, [this] { Q_EMIT titleEdited(slot_, title_->text()); });
  v->addWidget(title_);

  auto* traceLabel = new QLabel(tr("Reasoning trace — click a token to see its attention"), this);
  traceLabel->setObjectName(QStringLiteral("hint"));
  v->addWidget(traceLabel);
  trace_ = new QTextBrowser(this);
  trace_->setObjectName(QStringLiteral("slotTrace"));
  trace_->setOpenLinks(false);
  trace_->setFixedHeight(88);
  connect(trace_, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
    bool ok = false;
    const int q = url.path().toInt(&ok);
    if (url.scheme() == QLatin1String("token") && ok) {
      selectToken(q);
      Q_EMIT tokenSelected(slot_, q);
    }
  });
  v->addWidget(trace_);

  attributes_ = new QTableWidget(0, 3, this);
  attributes_->setObjectName(QStringLiteral("slotAttributes"));
  attributes_->setHorizontalHeaderLabels({tr("Attribute"), tr("Predicted"), tr("Known")});
  attributes_->verticalHeader()->hide();
  attributes_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  attributes_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  attributes_->setSelectionMode(QAbstractItemView::NoSelection);
  attributes_->verticalHeader()->setDefaultSectionSize(22);
  attributes_->setMinimumHeight(150);
  v->addWidget(attributes_, 1);
  setInput({});
}

void CompareSlotPanel::setInput(const CompareInput& input) {
  input_ = input;
  result_ = nullptr;
  token_ = -1;
  title_->setText(QString::fromStdString(input.title));
  title_->setCursorPosition(0);
  trace_->setHtml(input.empty() ? tr("<span style='color:#888'>Empty slot.</span>") : QString());
  attributes_->setRowCount(0);
  imageCaption_->setText(input.id.empty() ? (input.empty() ? QString() : tr("your own input"))
                                          : QString::fromStdString(input.id));
  redrawImage();
}

void CompareSlotPanel::setResult(const ComparisonResult* result) {
  result_ = result;
  if (result) {
    const auto& slot = result->slots[size_t(slot_)];
    input_ = slot.input;
    title_->setText(QString::fromStdString(slot.input.title));
    title_->setCursorPosition(0);
    const int queries = slot.multimodal.attention.queries;
    if (token_ >= queries) token_ = -1;
  }
  redrawTrace();
  fillAttributes();
  redrawImage();
}

void CompareSlotPanel::setStyle(const HeatmapStyle& style) {
  const bool modeChanged = style.attribution != style_.attribution;
  style_ = style;
  redrawImage();
  if (modeChanged) redrawTrace();
}

void CompareSlotPanel::selectToken(int query) {
  token_ = query;
  redrawTrace();
  redrawImage();
}

QString CompareSlotPanel::traceHtml() const { return trace_->toHtml(); }

void CompareSlotPanel::setAttribution(const SimilarityAttribution* attribution) {
  attribution_ = attribution;
  redrawImage();
  redrawTrace();
}

void CompareSlotPanel::redrawImage() {
  if (input_.image.empty()) {
    shown_ = {};
    image_->setPixmap({});
    image_->setText(input_.empty() ? tr("empty") : tr("no image (title only)"));
    return;
  }
  cv::Mat shown;
  if (style_.attribution && style_.show && slot_ != kQuerySlot && attribution_ && attribution_->gridSide > 0) {
    HeatmapOptions options;
    options.smooth = style_.smooth;
    cv::Mat image;
    cv::resize(input_.image, image, cv::Size(kImageSide, kImageSide), 0, 0, cv::INTER_CUBIC);
    const cv::Mat heat = attentionHeatmap(attribution_->patches, attribution_->gridSide, image.size(), options);
    shown = overlayHeatmap(image, heat, style_.opacity, style_.colormap);
  } else if (result_ && style_.show && !style_.attribution) {
    HeatmapOptions options;
    options.smooth = style_.smooth;
    shown = attentionOverlay(result_->slots[size_t(slot_)], {style_.layer, style_.head, token_},
                             cv::Size(kImageSide, kImageSide), style_.opacity, style_.colormap, options);
  } else {
    cv::resize(input_.image, shown, cv::Size(kImageSide, kImageSide), 0, 0, cv::INTER_CUBIC);
  }
  shown_ = matToQImage(shown);
  image_->setPixmap(QPixmap::fromImage(shown_));
}

void CompareSlotPanel::redrawTrace() {
  if (!result_) return;
  if (style_.attribution && slot_ == kQuerySlot && attribution_ && !attribution_->queryTokens.empty() &&
      !input_.empty()) {
    // Tokens shaded by how they move the similarity: blue raises it, red lowers it.
    float top = 0;
    for (const auto& t : attribution_->queryTokens) top = std::max(top, std::abs(t.score));
    QString html = tr("<div style='line-height:150%'><span style='color:%1'>What moves cos(query, ground truth): "
                      "<span style='background:rgba(47,111,237,0.45)'>raises</span> "
                      "<span style='background:rgba(198,40,40,0.45)'>lowers</span></span><br>")
                       .arg(themeColour::kSpecial);
    bool inTrace = false;
    for (const auto& t : attribution_->queryTokens) {
      if (t.inTrace && !inTrace) html += QStringLiteral("<br>");
      inTrace = t.inTrace;
      const double a = top > 0 ? 0.75 * std::abs(t.score) / top : 0.0;
      const QString colour = t.score >= 0 ? QStringLiteral("47,111,237") : QStringLiteral("198,40,40");
      html += QStringLiteral("<span title='%1' style='background:rgba(%2,%3)'>%4</span> ")
                  .arg(QString::number(double(t.score), 'g', 3), colour, QString::number(a, 'f', 2),
                       tokenHtml(QString::fromStdString(t.text)));
    }
    trace_->setHtml(html + QStringLiteral("</div>"));
    return;
  }
  const ViewResult& v = result_->slots[size_t(slot_)].multimodal;
  if (input_.empty()) {
    trace_->setHtml(tr("<span style='color:#888'>Empty slot.</span>"));
    return;
  }
  const auto& labels = v.attention.queryLabels;
  if (labels.empty()) {
    trace_->setPlainText(v.traceText.empty() ? tr("(no trace: this model embeds without reasoning)")
                                             : QString::fromStdString(v.traceText));
    return;
  }
  const int selected = token_ < 0 ? int(labels.size()) - 1 : token_;
  QString html = QStringLiteral("<div style='line-height:140%'>");
  bool anyCopied = false;
  for (int q = 0; q < int(labels.size()); ++q) {
    const bool special = q >= int(v.traceTokens.size());
    const float share = special || q >= int(v.traceCopyShare.size()) ? 0.0f : v.traceCopyShare[size_t(q)];
    const bool copied = share >= kCopiedShare;
    anyCopied = anyCopied || copied;
    const QString colour = special ? themeColour::kSpecial : copied ? themeColour::kCopied : themeColour::kText;
    const QString style = q == selected ? QStringLiteral("background:%1;color:#000;").arg(themeColour::kHighlight)
                                        : QStringLiteral("color:%1;").arg(colour);
    const QString tip =
        copied ? tr("copied from the title (%1 % of its probability)").arg(int(std::lround(100 * share))) : QString();
    html += QStringLiteral("<a href='token:%1' title='%2' style='text-decoration:%3;%4'>%5</a>")
                .arg(q)
                .arg(tip, copied ? QStringLiteral("underline") : QStringLiteral("none"), style,
                     tokenHtml(QString::fromStdString(labels[size_t(q)])));
    if (special) html += QStringLiteral(" ");
  }
  if (!v.traceClosed) html += tr(" <i style='color:%1'>(unclosed: hit the token limit)</i>").arg(themeColour::kBad);
  if (anyCopied)
    html += tr("<br><span style='color:%1'><u style='color:%2'>underlined</u>: copied from the title by the copy head "
               "(hover for its share)</span>")
                .arg(themeColour::kMuted, themeColour::kCopied);
  trace_->setHtml(html + QStringLiteral("</div>"));
}

void CompareSlotPanel::fillAttributes() {
  attributes_->setRowCount(0);
  if (!result_ || input_.empty()) return;
  const size_t s = size_t(slot_);
  for (const AttributeRow& row : attributeRows(*result_)) {
    if (!row.predicted[s] && !row.truth[s]) continue;
    const int r = attributes_->rowCount();
    attributes_->insertRow(r);
    attributes_->setItem(r, 0, item(QString::fromStdString(row.key)));
    auto* pred = item(row.predicted[s] ? QString::fromStdString(*row.predicted[s]) : QStringLiteral("—"));
    if (slot_ != kQuerySlot && row.predicted[s] && row.predicted[0]) {
      pred->setBackground(row.differs[s] ? kDiffers : kAgrees);
      pred->setToolTip(row.differs[s] ? tr("differs from the query's %1").arg(QString::fromStdString(*row.predicted[0]))
                                      : tr("agrees with the query"));
    }
    if (row.predicted[s] && row.truth[s] && *row.predicted[s] != *row.truth[s]) {
      pred->setForeground(kWrong);
      QFont f = pred->font();
      f.setItalic(true);
      pred->setFont(f);
    }
    attributes_->setItem(r, 1, pred);
    attributes_->setItem(r, 2, item(row.truth[s] ? QString::fromStdString(*row.truth[s]) : QStringLiteral("—")));
  }
}

}  // namespace moon
