#include "views/compare/CompareCharts.h"

#include <QHeaderView>
#include <QLabel>
#include <QVBoxLayout>

#include <cmath>

#include "views/common/QCustomPlotInclude.h"

#include "model/compare/ComparisonResult.h"
#include "views/common/Theme.h"

namespace moon {
namespace {

const QColor kSlotColours[] = {QColor(0x2f, 0x6f, 0xed), QColor(0x1e, 0x8a, 0x4c), QColor(0xd9, 0x73, 0x06)};
const char* kShortSlot[] = {"Q", "GT", "ND"};
const char* kShortModality[] = {"text", "image", "mm"};

// Diverging blue (−1) – white (0) – red (+1).
QColor similarityColour(float v) {
  const double t = std::clamp(double(v), -1.0, 1.0);
  const QColor hi(0xd7, 0x30, 0x27), lo(0x45, 0x75, 0xb4), mid(0xff, 0xff, 0xff);
  const QColor& end = t >= 0 ? hi : lo;
  const double a = std::abs(t);
  return QColor(int(mid.red() + (end.red() - mid.red()) * a), int(mid.green() + (end.green() - mid.green()) * a),
                int(mid.blue() + (end.blue() - mid.blue()) * a));
}

QString signedNumber(float v) { return std::isfinite(v) ? QString::asprintf("%+.4f", double(v)) : QStringLiteral("—"); }
QString number(float v) { return std::isfinite(v) ? QString::asprintf("%.3f", double(v)) : QStringLiteral("—"); }

}  // namespace

SimilarityTable::SimilarityTable(QWidget* parent) : QTableWidget(9, 9, parent) {
  setObjectName(QStringLiteral("similarityTable"));
  QStringList labels;
  for (int s = 0; s < 3; ++s)
    for (int m = 0; m < 3; ++m) labels << QStringLiteral("%1 %2").arg(kShortSlot[s], kShortModality[m]);
  setHorizontalHeaderLabels(labels);
  setVerticalHeaderLabels(labels);
  horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  verticalHeader()->setDefaultSectionSize(24);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setSelectionMode(QAbstractItemView::NoSelection);
  setFixedHeight(horizontalHeader()->sizeHint().height() + 9 * 24 + 4);
  setToolTip(
      tr("Cosine similarity of the embeddings: Q query, GT ground truth, ND near-duplicate; "
         "text-only, image-only and multimodal views"));
  setResult(nullptr);
}

void SimilarityTable::setResult(const ComparisonResult* result) {
  for (int r = 0; r < 9; ++r)
    for (int c = 0; c < 9; ++c) {
      auto* cell = new QTableWidgetItem;
      cell->setTextAlignment(Qt::AlignCenter);
      const float v = result ? result->similarity.at(r, c) : std::nanf("");
      cell->setText(number(v));
      if (std::isfinite(v)) cell->setBackground(similarityColour(v));
      // Slot blocks are told apart by a bold font on the diagonal blocks.
      if (r / 3 == c / 3) {
        QFont f = cell->font();
        f.setBold(r == c);
        cell->setFont(f);
      }
      setItem(r, c, cell);
    }
}

MarginPanel::MarginPanel(QWidget* parent) : QWidget(parent) {
  auto* v = new QVBoxLayout(this);
  v->setContentsMargins(0, 0, 0, 0);
  headline_ = new QLabel(this);
  headline_->setObjectName(QStringLiteral("marginHeadline"));
  headline_->setTextFormat(Qt::RichText);
  headline_->setWordWrap(true);
  v->addWidget(headline_);
  details_ = new QLabel(this);
  details_->setObjectName(QStringLiteral("marginDetails"));
  details_->setTextFormat(Qt::RichText);
  details_->setWordWrap(true);
  v->addWidget(details_);
  setResult(nullptr);
}

void MarginPanel::setResult(const ComparisonResult* result) {
  const CompareMargin* mm = result ? result->margin(Modality::Multimodal) : nullptr;
  if (!mm || !mm->valid()) {
    headline_->setText(
        tr("<span style='font-size:15pt;color:#888'>Δ = —</span><br>"
           "<span style='color:#888'>margin sim(Q, GT) − sim(Q, ND) needs all three slots</span>"));
    details_->clear();
    return;
  }
  const QString colour = QLatin1String(mm->margin > 0 ? themeColour::kGood : themeColour::kBad);
  headline_->setText(tr("<span style='font-size:18pt;font-weight:600;color:%1'>Δ mm→mm = %2</span><br>"
                        "sim(Q, GT) %3 − sim(Q, ND) %4 — %5")
                         .arg(colour, signedNumber(mm->margin), number(mm->positive), number(mm->negative),
                              mm->margin > 0 ? tr("the ground truth is ranked first")
                                             : tr("the near-duplicate wins: a retrieval error")));
  QString rows;
  // <disc_emb> next to <emb>: the same model before any trace, so the gap says what thinking bought.
  if (mm->discValid())
    rows += tr("without the trace (&lt;disc_emb&gt;): Δ mm→mm = <b>%1</b> (%2 − %3)<br>")
                .arg(signedNumber(mm->discMargin), number(mm->discPositive), number(mm->discNegative));
  for (const auto& m : result->margins) {
    if (m.queryModality == Modality::Multimodal) continue;
    QString row = tr("Δ %1→mm = <b>%2</b> (%3 − %4)")
                      .arg(QString::fromLatin1(modalityName(m.queryModality)), signedNumber(m.margin),
                           number(m.positive), number(m.negative));
    if (m.discValid()) row += tr(", without the trace %1").arg(signedNumber(m.discMargin));
    rows += row + QStringLiteral("<br>");
  }
  details_->setText(rows);
}

QString MarginPanel::text() const { return headline_->text() + details_->text(); }

GateChart::GateChart(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)), empty_(new QLabel(this)) {
  auto* v = new QVBoxLayout(this);
  v->setContentsMargins(0, 0, 0, 0);
  v->addWidget(plot_, 1);
  v->addWidget(empty_);
  empty_->setObjectName(QStringLiteral("hint"));
  plot_->setMinimumHeight(170);
  plot_->plotLayout()->insertRow(0);
  plot_->plotLayout()->addElement(
      0, 0, new QCPTextElement(plot_, tr("MMF gate weight per modality"), QFont(font().family(), 9, QFont::DemiBold)));
  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  ticker->addTick(1, tr("image"));
  ticker->addTick(2, tr("title"));
  ticker->addTick(3, tr("reasoning"));
  plot_->xAxis->setTicker(ticker);
  plot_->xAxis->setRange(0.4, 3.6);
  plot_->yAxis->setRange(0, 1);
  plot_->yAxis->setLabel(tr("mean over heads"));
  plot_->legend->setVisible(true);
  plot_->legend->setFont(QFont(font().family(), 8));
  plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
  auto* group = new QCPBarsGroup(plot_);
  group->setSpacing(2);
  for (int s = 0; s < 3; ++s) {
    auto* bars = new QCPBars(plot_->xAxis, plot_->yAxis);
    bars->setName(QString::fromLatin1(compareSlotTitle(s)));
    bars->setWidth(0.25);
    bars->setPen(Qt::NoPen);
    bars->setBrush(kSlotColours[s]);
    bars->setBarsGroup(group);
  }
  setResult(nullptr);
}

void GateChart::setResult(const ComparisonResult* result) {
  bool any = false;
  double top = 0;
  for (int s = 0; s < 3; ++s) {
    auto* bars = qobject_cast<QCPBars*>(plot_->plottable(s));
    QVector<double> keys{1, 2, 3}, values{0, 0, 0};
    if (result) {
      const ViewResult& v = result->slots[size_t(s)].multimodal;
      if (!v.gates.empty() && v.gateHeads > 0) {
        any = true;
        for (int m = 0; m < 3; ++m) {
          double sum = 0;
          for (int h = 0; h < v.gateHeads; ++h) sum += v.gates[size_t(m * v.gateHeads + h)];
          values[m] = sum / v.gateHeads;
          top = std::max(top, values[m]);
        }
      }
    }
    bars->setData(keys, values, true);
  }
  plot_->yAxis->setRange(0, top > 0 ? std::min(1.0, top * 1.6) : 1.0);
  empty_->setText(any ? QString() : tr("No gates: this model has MMF off, or nothing was compared yet."));
  empty_->setVisible(!any);
  plot_->replot();
}

}  // namespace moon
