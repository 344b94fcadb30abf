#include "views/runs/ValidationSamplesPanel.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cmath>

#include "core/base/Error.h"
#include "core/data/JsonlFile.h"
#include "core/store/RunStore.h"
#include "views/common/QCustomPlotInclude.h"
#include "views/common/Theme.h"

namespace moon {
namespace {

enum Column { Trace, Rank, Format, Length, Retrieval, Attribute, Reward, Advantage, ColumnCount };

QString number(double v) { return QString::number(v, 'f', 2); }

QString attributesText(const Attributes& labels) {
  QStringList parts;
  for (const auto& [key, value] : labels)
    parts << QStringLiteral("%1: %2").arg(QString::fromStdString(key), QString::fromStdString(value));
  return parts.join(QStringLiteral("; "));
}

struct HistogramStyle {
  const char* key;
  const char* label;
  QColor colour;
};

const HistogramStyle kHistograms[] = {
    {"other", "other gallery products", QColor(0x8a, 0x94, 0xa6)},
    {"near_duplicate", "near-duplicate", QColor(0xe0, 0x8a, 0x1e)},
    {"positive", "positive", QColor(themeColour::kGood)},
};

}  // namespace

ValidationSamplesPanel::ValidationSamplesPanel(QWidget* parent) : QWidget(parent) {
  stepPicker_ = new QComboBox(this);
  stepPicker_->setObjectName(QStringLiteral("validationStep"));
  stepPicker_->setToolTip(tr("Validation step whose sampled traces and cosines are shown"));
  connect(stepPicker_, &QComboBox::activated, this,
          [this](int index) { showStep(stepPicker_->itemData(index).toLongLong()); });
  message_ = new QLabel(this);
  message_->setObjectName(QStringLiteral("samplesMessage"));
  message_->setWordWrap(true);
  message_->setStyleSheet(QStringLiteral("color: %1").arg(themeColour::kMuted));

  plot_ = new QCustomPlot(this);
  plot_->setObjectName(QStringLiteral("cosineHistogram"));
  plot_->setMinimumHeight(180);
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  plot_->axisRect()->setRangeDrag(Qt::Horizontal);
  plot_->axisRect()->setRangeZoom(Qt::Horizontal);
  plot_->xAxis->setLabel(tr("cosine to the query (<emb>, mm→mm)"));
  plot_->yAxis->setLabel(tr("density"));
  plot_->legend->setVisible(true);
  plot_->legend->setFont(QFont(font().family(), qMax(6, font().pointSize() - 2)));
  plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
  for (const auto& style : kHistograms) {
    QCPGraph* g = plot_->addGraph();
    g->setLineStyle(QCPGraph::lsStepCenter);
    g->setPen(QPen(style.colour, 1.6));
    QColor fill = style.colour;
    fill.setAlpha(50);
    g->setBrush(fill);
  }

  groups_ = new QTreeWidget(this);
  groups_->setObjectName(QStringLiteral("traceGroups"));
  groups_->setColumnCount(ColumnCount);
  groups_->setHeaderLabels({tr("Query / sampled trace"), tr("rank"), tr("format"), tr("length"), tr("retrieval"),
                            tr("attribute"), tr("reward"), tr("advantage")});
  groups_->setAlternatingRowColors(true);
  groups_->setUniformRowHeights(true);
  groups_->setRootIsDecorated(true);
  groups_->header()->setStretchLastSection(false);
  groups_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  groups_->header()->setSectionResizeMode(Trace, QHeaderView::Stretch);

  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel(tr("Validation step"), this));
  top->addWidget(stepPicker_);
  top->addWidget(message_, 1);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(groups_);
  split->addWidget(plot_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(top);
  layout->addWidget(split, 1);
  clearShown(tr("Select a run."));
}

void ValidationSamplesPanel::showRun(qint64 runId, RunStore* store) {
  if (runId == runId_ && store == store_) return refresh();
  runId_ = runId;
  store_ = store;
  steps_.clear();
  stepPicker_->clear();
  clearShown(runId == 0 ? tr("Select a run.") : QString());
  refresh();
}

void ValidationSamplesPanel::refresh() {
  if (runId_ == 0 || !store_) return;
  const std::optional<qint64> shown = shownStep();
  const bool followLatest = !shown || (!steps_.isEmpty() && *shown == steps_.back());
  std::vector<int64_t> steps;
  try {
    steps = store_->validationSampleSteps(runId_);
  } catch (const Error& e) {
    clearShown(tr("The run store could not be read: %1").arg(QString::fromUtf8(e.what())));
    return;
  }
  // Steps are only ever added; the same count is the same list.
  if (!steps.empty() && static_cast<qsizetype>(steps.size()) == steps_.size()) return;
  steps_.clear();
  stepPicker_->clear();
  for (int64_t s : steps) {
    steps_ << s;
    stepPicker_->addItem(tr("step %1").arg(s), QVariant::fromValue<qlonglong>(s));
  }
  if (steps_.isEmpty()) {
    clearShown(
        tr("No validation samples yet: they are stored at each validation of a run with reasoning "
           "(eval.trace_groups > 0)."));
    return;
  }
  showStep(followLatest || !shown ? steps_.back() : *shown);
}

bool ValidationSamplesPanel::showStep(qint64 step) {
  if (!store_ || runId_ == 0) return false;
  std::optional<std::string> text;
  try {
    text = store_->validationSamples(runId_, step);
    if (!text) {
      clearShown(tr("Run %1 has no validation samples at step %2.").arg(runId_).arg(step));
      return false;
    }
    samples_ = ValidationSamples::fromJson(nlohmann::json::parse(*text));
  } catch (const nlohmann::json::exception& e) {
    clearShown(tr("The samples of run %1 at step %2 do not read: %3").arg(runId_).arg(step).arg(e.what()));
    return false;
  } catch (const Error& e) {
    clearShown(
        tr("The samples of run %1 at step %2 do not read: %3").arg(runId_).arg(step).arg(QString::fromUtf8(e.what())));
    return false;
  }
  stepPicker_->setCurrentIndex(stepPicker_->findData(QVariant::fromValue<qlonglong>(step)));
  int zeroSpread = 0;
  for (const auto& g : samples_->groups) zeroSpread += g.zeroSpread ? 1 : 0;
  message_->setText(samples_->groups.empty()
                        ? tr("No sampled traces (a model without reasoning, or eval.trace_groups = 0).")
                        : tr("%1 queries × %2 sampled traces; %3 with no reward spread (GRPO learns nothing from "
                             "those).")
                              .arg(samples_->groups.size())
                              .arg(samples_->groups.front().samples.size())
                              .arg(zeroSpread));
  fillGroups();
  fillHistograms();
  return true;
}

std::optional<qint64> ValidationSamplesPanel::shownStep() const {
  if (!samples_) return std::nullopt;
  return samples_->step;
}

QString ValidationSamplesPanel::messageText() const { return message_->text(); }

void ValidationSamplesPanel::clearShown(const QString& message) {
  samples_.reset();
  message_->setText(message);
  groups_->clear();
  for (int i = 0; i < plot_->graphCount(); ++i) {
    plot_->graph(i)->data()->clear();
    plot_->graph(i)->setName(QString());
    plot_->graph(i)->removeFromLegend();
  }
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ValidationSamplesPanel::fillGroups() {
  groups_->clear();
  const QColor good(themeColour::kGood), bad(themeColour::kBad), muted(themeColour::kMuted);
  for (const TraceGroup& g : samples_->groups) {
    auto* top = new QTreeWidgetItem(groups_);
    const QString name =
        !g.title.empty() ? QString::fromStdString(g.title) : QFileInfo(QString::fromStdString(g.image)).fileName();
    top->setText(Trace, QStringLiteral("%1  —  %2").arg(name, attributesText(g.labels)));
    top->setToolTip(
        Trace, tr("%1, positive %2\nlabels: %3")
                   .arg(QString::fromStdString(g.query), QString::fromStdString(g.positive), attributesText(g.labels)));
    double sum = 0, sq = 0;
    for (const auto& s : g.samples) {
      sum += s.reward.total;
      sq += s.reward.total * s.reward.total;
    }
    const double n = std::max<double>(1, g.samples.size());
    const double mean = sum / n, sd = std::sqrt(std::max(0.0, sq / n - mean * mean));
    top->setText(Reward, QStringLiteral("%1 ± %2").arg(number(mean), number(sd)));
    if (g.zeroSpread) {
      top->setText(Advantage, tr("no spread"));
      top->setForeground(Advantage, muted);
    }
    QFont bold = top->font(Trace);
    bold.setBold(true);
    top->setFont(Trace, bold);
    for (const SampledTrace& s : g.samples) {
      auto* row = new QTreeWidgetItem(top);
      row->setText(Trace, QString::fromStdString(s.trace) + (s.closed ? QString() : tr("  [cut at the cap]")));
      row->setToolTip(Trace, tr("%1\n(%2 tokens%3)")
                                 .arg(QString::fromStdString(s.trace))
                                 .arg(s.tokens)
                                 .arg(s.closed ? QString() : tr(", no </think>")));
      row->setText(Rank, s.rank > 0 ? QString::number(s.rank) : QStringLiteral("–"));
      row->setText(Format, number(s.reward.format));
      row->setText(Length, number(s.reward.length));
      row->setText(Retrieval, number(s.reward.retrieval));
      row->setText(Attribute, number(s.reward.attribute));
      row->setText(Reward, number(s.reward.total));
      row->setText(Advantage,
                   QStringLiteral("%1%2").arg(s.advantage > 0 ? QStringLiteral("+") : QString(), number(s.advantage)));
      if (s.advantage != 0.0) row->setForeground(Advantage, s.advantage > 0 ? good : bad);
      for (int c = Rank; c < ColumnCount; ++c) row->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
    }
    top->setExpanded(true);
  }
}

void ValidationSamplesPanel::fillHistograms() {
  double top = 0;
  for (int i = 0; i < plot_->graphCount(); ++i) {
    QCPGraph* graph = plot_->graph(i);
    graph->data()->clear();
    const auto it = samples_->cosines.find(kHistograms[i].key);
    if (it == samples_->cosines.end() || it->second.total == 0) {
      graph->removeFromLegend();
      continue;
    }
    const CosineHistogram& h = it->second;
    const double scale = 1.0 / (static_cast<double>(h.total) * h.binWidth());
    for (std::size_t b = 0; b < h.counts.size(); ++b) {
      const double density = static_cast<double>(h.counts[b]) * scale;
      graph->addData(h.binCentre(b), density);
      top = std::max(top, density);
    }
    graph->setName(tr("%1 (n = %2, mean %3)").arg(tr(kHistograms[i].label)).arg(h.total).arg(number(h.mean)));
    graph->addToLegend();
  }
  plot_->xAxis->setRange(-1.0, 1.0);
  plot_->yAxis->setRange(0, top > 0 ? top * 1.1 : 1.0);
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

bool ValidationSamplesPanel::exportTo(const QString& path, QString* error) const {
  auto fail = [error](const QString& m) {
    if (error) *error = m;
    return false;
  };
  if (!samples_) return fail(tr("There are no validation samples to export."));
  const QString ext = QFileInfo(path).suffix().toLower();
  if (ext == QLatin1String("csv")) {
    try {
      writeTextFileAtomic(path.toStdString(), samples_->traceGroupsCsv());
    } catch (const Error& e) {
      return fail(QString::fromUtf8(e.what()));
    }
    return true;
  }
  const int w = qMax(plot_->width(), 640), h = qMax(plot_->height(), 360);
  if (ext == QLatin1String("png") && plot_->savePng(path, w, h)) return true;
  if (ext == QLatin1String("pdf") && plot_->savePdf(path, w, h)) return true;
  if (ext != QLatin1String("png") && ext != QLatin1String("pdf"))
    return fail(tr("%1: export as .csv (trace groups), .png or .pdf (cosine histograms)").arg(path));
  return fail(tr("%1 could not be written").arg(path));
}

}  // namespace moon
