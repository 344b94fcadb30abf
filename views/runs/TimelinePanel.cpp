#include "views/runs/TimelinePanel.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cmath>

#include "views/common/PlotExport.h"
#include "views/common/QCustomPlotInclude.h"
#include "views/common/SaveText.h"

namespace moon {
namespace {

const QColor kPositive(0x2f, 0x6f, 0xed), kNegative(0xc6, 0x28, 0x28), kMargin(0x22, 0x22, 0x22);

QString number(double v) { return std::isfinite(v) ? QString::number(v, 'f', 3) : QStringLiteral("—"); }

QCPGraph* line(QCustomPlot* plot, const QString& name, const QColor& colour, Qt::PenStyle style = Qt::SolidLine,
               QCPAxis* valueAxis = nullptr) {
  QCPGraph* g = plot->addGraph(plot->xAxis, valueAxis ? valueAxis : plot->yAxis);
  g->setName(name);
  g->setPen(QPen(colour, 2.0, style));
  g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 6));
  return g;
}

}  // namespace

TimelinePanel::TimelinePanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 4, 0, 0);
  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Triplet"), this));
  split_ = new QComboBox(this);
  split_->addItems({QStringLiteral("val"), QStringLiteral("test")});
  bar->addWidget(split_);
  index_ = new QSpinBox(this);
  index_->setPrefix(QStringLiteral("#"));
  index_->setRange(0, 1000000);
  bar->addWidget(index_);
  compute_ = new QPushButton(tr("Walk the checkpoints"), this);
  compute_->setToolTip(
      tr("Run the triplet through every saved checkpoint of this run, and measure the margins of "
         "up to 200 validation queries at each"));
  connect(compute_, &QPushButton::clicked, this, [this] { compute(split_->currentText(), index_->value()); });
  bar->addWidget(compute_);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 100);
  progress_->setMaximumWidth(160);
  progress_->hide();
  bar->addWidget(progress_);
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->hide();
  connect(cancel_, &QPushButton::clicked, this, &TimelinePanel::cancel);
  bar->addWidget(cancel_);
  bar->addStretch(1);
  layout->addLayout(bar);
  message_ = new QLabel(this);
  message_->setWordWrap(true);
  message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(message_);

  plot_ = new QCustomPlot(this);
  plot_->setObjectName(QStringLiteral("timelinePlot"));
  plot_->setMinimumHeight(320);
  auto* bottom = new QCPAxisRect(plot_);
  plot_->plotLayout()->addElement(1, 0, bottom);
  auto* margins = new QCPMarginGroup(plot_);
  plot_->axisRect(0)->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
  bottom->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
  plot_->xAxis->setLabel(tr("step"));
  plot_->yAxis->setLabel(tr("cosine"));
  plot_->yAxis2->setVisible(true);
  plot_->yAxis2->setLabel(tr("margin (black)"));
  bottom->axis(QCPAxis::atBottom)->setLabel(tr("step"));
  bottom->axis(QCPAxis::atLeft)->setLabel(tr("validation margins"));
  plot_->legend->setVisible(true);
  plot_->legend->setFont(QFont(font().family(), 8));
  plot_->axisRect(0)->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
  plot_->legend->setBrush(QColor(255, 255, 255, 210));

  table_ = new QTreeWidget(this);
  table_->setObjectName(QStringLiteral("timelineTable"));
  table_->setRootIsDecorated(false);
  table_->setHeaderLabels({tr("Step"), tr("cos GT"), tr("cos ND"), tr("Margin"), tr("Disc margin"), tr("Val median"),
                           tr("Val < 0"), tr("Query trace")});
  for (int c = 0; c < 7; ++c) table_->setColumnWidth(c, c == 0 ? 80 : 92);

  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(plot_);
  split->addWidget(table_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 1);
  layout->addWidget(split, 1);
  showMessage(tr("Select a run, pick a triplet and walk its checkpoints."));
}

TimelinePanel::~TimelinePanel() = default;

void TimelinePanel::setRun(qint64 runId, std::vector<RunCheckpoint> checkpoints, const QString& dataDir) {
  if (runId == runId_ && checkpoints.size() == checkpoints_.size()) return;
  job_.reset();
  runId_ = runId;
  checkpoints_ = std::move(checkpoints);
  dataDir_ = dataDir;
  points_.clear();
  draw();
  fillTable();
  compute_->setEnabled(runId_ != 0 && !checkpoints_.empty());
  showMessage(runId_ == 0 ? tr("Select a run, pick a triplet and walk its checkpoints.")
              : checkpoints_.empty()
                  ? tr("This run has no saved checkpoint yet.")
                  : tr("%n checkpoint(s); pick a triplet and walk them.", nullptr, int(checkpoints_.size())));
  progress_->hide();
  cancel_->hide();
  Q_EMIT busyChanged();
}

void TimelinePanel::compute(const QString& split, int index) {
  if (runId_ == 0 || checkpoints_.empty()) return;
  split_->setCurrentText(split);
  index_->setValue(index);
  TimelineRequest request;
  request.checkpoints = checkpoints_;
  request.dataDir = dataDir_;
  request.split = split;
  request.triplet = index;
  job_ = makeJob<CheckpointTimelineJob>(std::move(request));
  connect(job_.get(), &Job::progressChanged, progress_, [this](double p) { progress_->setValue(int(p)); });
  connect(job_.get(), &Job::finished, this, &TimelinePanel::onFinished);
  progress_->setValue(0);
  progress_->show();
  cancel_->show();
  compute_->setEnabled(false);
  showMessage(tr("Walking %n checkpoint(s)…", nullptr, int(checkpoints_.size())));
  job_->start();
  Q_EMIT busyChanged();
}

void TimelinePanel::cancel() {
  if (job_ && job_->isRunning()) job_->cancel();
}

bool TimelinePanel::isBusy() const { return job_ && job_->isRunning(); }

QString TimelinePanel::messageText() const { return message_->text(); }

void TimelinePanel::showMessage(const QString& text) { message_->setText(text); }

void TimelinePanel::onFinished(bool ok) {
  progress_->hide();
  cancel_->hide();
  compute_->setEnabled(true);
  if (ok) {
    points_ = job_->points();
    QString text = tr("Triplet %1:%2 through %n checkpoint(s); validation margins over up to 200 mm queries each.",
                      nullptr, int(points_.size()))
                       .arg(job_->request().split)
                       .arg(job_->request().triplet);
    for (const std::string& note : job_->notes()) text += QStringLiteral("\n") + QString::fromStdString(note);
    showMessage(text);
  } else {
    points_.clear();
    showMessage(job_->status() == Job::Status::Canceled
                    ? tr("Canceled.")
                    : tr("Could not walk the checkpoints: %1").arg(job_->errorMessage()));
  }
  draw();
  fillTable();
  Q_EMIT busyChanged();
}

void TimelinePanel::draw() {
  plot_->clearPlottables();
  plot_->clearItems();
  QCPAxisRect* bottom = plot_->axisRect(1);
  QVector<double> steps, pos, neg, margin, disc;
  for (const TimelinePoint& p : points_) {
    steps << double(p.step);
    pos << p.positive;
    neg << p.negative;
    margin << p.margin;
    disc << p.discMargin;
  }
  if (!points_.empty()) {
    line(plot_, tr("cos(query, ground truth)"), kPositive)->setData(steps, pos);
    line(plot_, tr("cos(query, near-duplicate)"), kNegative)->setData(steps, neg);
    line(plot_, tr("margin (right axis)"), kMargin, Qt::SolidLine, plot_->yAxis2)->setData(steps, margin);
    if (std::isfinite(points_.front().discMargin))
      line(plot_, tr("margin with <disc_emb>"), kMargin, Qt::DashLine, plot_->yAxis2)->setData(steps, disc);
    double width = 1.0;
    for (int i = 1; i < steps.size(); ++i)
      width = i == 1 ? steps[i] - steps[i - 1] : std::min(width, steps[i] - steps[i - 1]);
    if (steps.size() == 1) width = std::max(1.0, steps[0] * 0.2);
    auto* boxes = new QCPStatisticalBox(bottom->axis(QCPAxis::atBottom), bottom->axis(QCPAxis::atLeft));
    boxes->setName(tr("validation margins"));
    boxes->removeFromLegend();
    boxes->setWidth(width * 0.5);
    boxes->setBrush(QColor(0x2f, 0x6f, 0xed, 60));
    for (const TimelinePoint& p : points_) {
      const BoxSummary& b = p.validationBox;
      if (b.count == 0) continue;
      boxes->addData(double(p.step), b.lowerWhisker, b.lowerQuartile, b.median, b.upperQuartile, b.upperWhisker,
                     QVector<double>(b.outliers.begin(), b.outliers.end()));
    }
    auto* zero = new QCPItemStraightLine(plot_);
    zero->setClipAxisRect(bottom);
    zero->point1->setAxes(bottom->axis(QCPAxis::atBottom), bottom->axis(QCPAxis::atLeft));
    zero->point2->setAxes(bottom->axis(QCPAxis::atBottom), bottom->axis(QCPAxis::atLeft));
    zero->point1->setCoords(0, 0);
    zero->point2->setCoords(1, 0);
    zero->setPen(QPen(QColor(0x88, 0x88, 0x88), 1, Qt::DotLine));
    plot_->rescaleAxes();
    for (QCPAxis* axis : {plot_->xAxis, bottom->axis(QCPAxis::atBottom)})
      axis->setRange(steps.front() - width, steps.back() + width);
    bottom->axis(QCPAxis::atLeft)->rescale();
    plot_->yAxis->scaleRange(1.1);
    plot_->yAxis2->scaleRange(1.3);
    bottom->axis(QCPAxis::atLeft)->scaleRange(1.15);
  }
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

void TimelinePanel::fillTable() {
  table_->clear();
  for (const TimelinePoint& p : points_) {
    auto* item = new QTreeWidgetItem(table_);
    item->setText(0, QString::number(p.step) + (p.isBest ? tr(" (best)") : QString()));
    item->setText(1, number(p.positive));
    item->setText(2, number(p.negative));
    item->setText(3, number(p.margin));
    item->setText(4, number(p.discMargin));
    item->setText(5, p.validationBox.count ? number(p.validationBox.median) : QStringLiteral("—"));
    item->setText(6, p.validationBox.count
                         ? QString::number(100.0 * p.validationBox.shareBelowZero, 'f', 1) + QStringLiteral(" %")
                         : QStringLiteral("—"));
    item->setText(7, QString::fromStdString(p.queryTrace));
    item->setToolTip(7, tr("query: %1\nground truth: %2\nnear-duplicate: %3")
                            .arg(QString::fromStdString(p.queryTrace), QString::fromStdString(p.positiveTrace),
                                 QString::fromStdString(p.negativeTrace)));
    if (p.margin < 0) item->setForeground(3, kNegative);
    for (int c = 1; c < 7; ++c) item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
  }
}

bool TimelinePanel::exportTo(const QString& path, QString* error) const {
  if (points_.empty()) {
    if (error) *error = tr("Nothing to export: walk the checkpoints first");
    return false;
  }
  if (QFileInfo(path).suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0)
    return saveTextFile(path, timelineCsv(points_), error);
  return savePlot(*plot_, path, tr("Checkpoint timeline"), error);
}

}  // namespace moon
