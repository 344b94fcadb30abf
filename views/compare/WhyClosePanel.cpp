#include "views/compare/WhyClosePanel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

#include "views/compare/CompareController.h"

namespace moon {
namespace {

QString cosine(float v) { return std::isfinite(v) ? QString::number(double(v), 'f', 3) : QStringLiteral("—"); }

QString delta(float before, float after) {
  if (!std::isfinite(before) || !std::isfinite(after)) return {};
  const double d = double(after) - double(before);
  const QString colour = d >= 0 ? QStringLiteral("#2f6fed") : QStringLiteral("#c62828");
  return QStringLiteral("<span style='color:%1'>(%2%3)</span>")
      .arg(colour, d >= 0 ? QStringLiteral("+") : QString(), QString::number(d, 'f', 3));
}

}  // namespace

WhyClosePanel::WhyClosePanel(CompareController* controller, QWidget* parent) : QFrame(parent), controller_(controller) {
  setObjectName(QStringLiteral("card"));
  auto* v = new QVBoxLayout(this);
  v->setContentsMargins(12, 10, 12, 12);
  auto* title = new QLabel(tr("Why are these close?"), this);
  title->setObjectName(QStringLiteral("cardTitle"));
  v->addWidget(title);
  show_ = new QCheckBox(tr("Show what moves the similarity instead of attention"), this);
  show_->setObjectName(QStringLiteral("attributionCheck"));
  show_->setToolTip(
      tr("Candidates: gradient × input of their pixels for cos(query, candidate). Query: its title "
         "and trace tokens for cos(query, ground truth), blue raising it, red lowering it."));
  connect(show_, &QCheckBox::toggled, this, &WhyClosePanel::setAttributionShown);
  v->addWidget(show_);
  faithfulness_ = new QLabel(this);
  faithfulness_->setWordWrap(true);
  faithfulness_->setTextFormat(Qt::RichText);
  v->addWidget(faithfulness_);

  auto* row = new QHBoxLayout;
  row->addWidget(new QLabel(tr("What if the query's trace said"), this));
  traceEdit_ = new QLineEdit(this);
  traceEdit_->setObjectName(QStringLiteral("counterfactualTrace"));
  traceEdit_->setPlaceholderText(tr("color: blue; pattern: striped"));
  connect(traceEdit_, &QLineEdit::returnPressed, this, [this] { explainTrace(traceEdit_->text()); });
  row->addWidget(traceEdit_, 1);
  reembed_ = new QPushButton(tr("Re-embed"), this);
  reembed_->setToolTip(tr("Embed the query after this trace instead of its own, and show what changes"));
  connect(reembed_, &QPushButton::clicked, this, [this] { explainTrace(traceEdit_->text()); });
  row->addWidget(reembed_);
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->hide();
  connect(cancel_, &QPushButton::clicked, this, &WhyClosePanel::cancel);
  connect(this, &WhyClosePanel::busyChanged, cancel_, [this] { cancel_->setVisible(isBusy()); });
  row->addWidget(cancel_);
  v->addLayout(row);
  counterfactualLabel_ = new QLabel(this);
  counterfactualLabel_->setWordWrap(true);
  counterfactualLabel_->setTextFormat(Qt::RichText);
  counterfactualLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  v->addWidget(counterfactualLabel_);
  message_ = new QLabel(this);
  message_->setWordWrap(true);
  message_->setStyleSheet(QStringLiteral("color: #c62828;"));
  v->addWidget(message_);
  v->addStretch(1);
  onResultChanged();
}

WhyClosePanel::~WhyClosePanel() = default;

bool WhyClosePanel::attributionShown() const { return show_->isChecked(); }

bool WhyClosePanel::isBusy() const {
  return (attributionJob_ && attributionJob_->isRunning()) || (counterfactualJob_ && counterfactualJob_->isRunning());
}

void WhyClosePanel::cancel() {
  if (attributionJob_ && attributionJob_->isRunning()) attributionJob_->cancel();
  if (counterfactualJob_ && counterfactualJob_->isRunning()) counterfactualJob_->cancel();
}

QString WhyClosePanel::messageText() const { return message_->text(); }

void WhyClosePanel::onResultChanged() {
  attributionJob_.reset();
  counterfactualJob_.reset();
  attributions_ = {};
  counterfactual_.reset();
  message_->clear();
  counterfactualLabel_->clear();
  const ComparisonResult* r = controller_->result();
  traceEdit_->setText(r ? QString::fromStdString(r->slots[0].multimodal.traceText) : QString());
  reembed_->setEnabled(r && controller_->context());
  showAttributionSummary();
  Q_EMIT attributionsChanged();
  if (show_->isChecked() && r) startAttribution();
  Q_EMIT busyChanged();
}

void WhyClosePanel::setAttributionShown(bool on) {
  if (show_->isChecked() != on) {
    QSignalBlocker block(show_);
    show_->setChecked(on);
  }
  if (on && !attributions_[0] && !attributions_[1] && !(attributionJob_ && attributionJob_->isRunning()))
    startAttribution();
  showAttributionSummary();
  Q_EMIT attributionShownChanged(on);
}

void WhyClosePanel::startAttribution() {
  const ComparisonResult* r = controller_->result();
  if (!r || !controller_->context()) return;
  attributionJob_ = makeJob<AttributionJob>(controller_->context(), controller_->input(0),
                                            std::array<CompareInput, 2>{controller_->input(1), controller_->input(2)});
  connect(attributionJob_.get(), &Job::finished, this, [this](bool ok) {
    if (ok)
      attributions_ = attributionJob_->attributions();
    else
      message_->setText(attributionJob_->status() == Job::Status::Canceled
                            ? tr("Attribution canceled.")
                            : tr("Attribution failed: %1").arg(attributionJob_->errorMessage()));
    showAttributionSummary();
    Q_EMIT attributionsChanged();
    Q_EMIT busyChanged();
  });
  faithfulness_->setText(tr("Computing the attributions…"));
  attributionJob_->start();
  Q_EMIT busyChanged();
}

void WhyClosePanel::showAttributionSummary() {
  if (!show_->isChecked()) {
    faithfulness_->clear();
    return;
  }
  QStringList lines;
  const QString names[] = {tr("ground truth"), tr("near-duplicate")};
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& a = attributions_[i];
    if (!a) continue;
    QString line = tr("<b>%1</b>: cos %2").arg(names[i], cosine(a->cosine));
    if (a->gridSide > 0)
      line += tr(" · without its top %1 % patches %2 %3, without its bottom %1 % %4 %5")
                  .arg(int(a->removedShare * 100 + 0.5))
                  .arg(cosine(a->cosineWithoutMost), delta(a->cosine, a->cosineWithoutMost),
                       cosine(a->cosineWithoutLeast), delta(a->cosine, a->cosineWithoutLeast));
    lines << line;
  }
  if (!lines.isEmpty())
    lines << tr(
        "<small>A map to trust moves the cosine more when its top patches go than when its bottom ones "
        "do.</small>");
  faithfulness_->setText(lines.join(QStringLiteral("<br>")));
}

void WhyClosePanel::explainTrace(const QString& trace) {
  const ComparisonResult* r = controller_->result();
  if (!r || !controller_->context()) return;
  CounterfactualRequest request;
  request.context = controller_->context();
  request.query = controller_->input(0);
  request.trace = trace;
  request.queryEmbedding = r->slots[0].multimodal.embedding;
  request.candidates = {r->slots[1].multimodal.embedding, r->slots[2].multimodal.embedding};
  request.checkpoint = controller_->checkpointPath();
  request.datasetDir = controller_->dataset() ? controller_->datasetDir() : QString();
  counterfactualJob_ = makeJob<CounterfactualJob>(std::move(request));
  connect(counterfactualJob_.get(), &Job::finished, this, [this](bool ok) {
    if (ok) {
      counterfactual_ = counterfactualJob_->result();
      message_->clear();
    } else {
      message_->setText(counterfactualJob_->status() == Job::Status::Canceled
                            ? tr("Re-embedding canceled.")
                            : tr("Re-embedding failed: %1").arg(counterfactualJob_->errorMessage()));
    }
    showCounterfactual();
    Q_EMIT busyChanged();
  });
  counterfactualLabel_->setText(tr("Re-embedding the query (the first time, the catalogue is embedded too)…"));
  counterfactualJob_->start();
  Q_EMIT busyChanged();
}

void WhyClosePanel::showCounterfactual() {
  if (!counterfactual_) {
    counterfactualLabel_->clear();
    return;
  }
  const CounterfactualResult& c = *counterfactual_;
  QString html = tr("cos(query, ground truth) %1 → %2 %3 · cos(query, near-duplicate) %4 → %5 %6")
                     .arg(cosine(c.before[0]), cosine(c.after[0]), delta(c.before[0], c.after[0]), cosine(c.before[1]),
                          cosine(c.after[1]), delta(c.before[1], c.after[1]));
  if (std::isfinite(c.before[0]) && std::isfinite(c.before[1]))
    html += tr("<br>margin %1 → %2").arg(cosine(c.before[0] - c.before[1]), cosine(c.after[0] - c.after[1]));
  if (!c.entered.isEmpty() || !c.left.isEmpty())
    html += tr("<br>Top 10 in: <b>%1</b> · out: %2")
                .arg(c.entered.isEmpty() ? tr("none") : c.entered.join(QStringLiteral(", ")),
                     c.left.isEmpty() ? tr("none") : c.left.join(QStringLiteral(", ")));
  else if (c.galleryNote.startsWith(QStringLiteral("Top")))
    html += tr("<br>The ten nearest catalogue products stay the same.");
  html += QStringLiteral("<br><small>%1</small>").arg(c.galleryNote.toHtmlEscaped());
  counterfactualLabel_->setText(html);
}

}  // namespace moon
