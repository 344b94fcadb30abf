#include "views/failures/FailuresView.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

#include <set>

#include "views/common/CheckpointPicker.h"
#include "views/common/ExportDialog.h"
#include "views/common/SaveText.h"
#include "views/common/Theme.h"
#include "views/common/ThumbnailCache.h"
#include "views/failures/FailureTableModel.h"

namespace moon {
namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

QString percent(double fraction) { return QString::number(100.0 * fraction, 'f', 1) + QStringLiteral(" %"); }

}  // namespace

FailuresView::FailuresView(QWidget* parent)
    : WorkbenchView(parent),
      thumbnails_(new ThumbnailCache(40, 2000, this)),
      model_(new FailureTableModel(thumbnails_, this)),
      filter_(new FailureFilterModel(this)) {
  filter_->setSourceModel(model_);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(buildTopBar());
  summary_ = new QLabel(this);
  summary_->setObjectName(QStringLiteral("failuresSummary"));
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(summary_);
  message_ = new QLabel(this);
  message_->setObjectName(QStringLiteral("failuresMessage"));
  message_->setWordWrap(true);
  message_->setStyleSheet(QStringLiteral("color: #c62828;"));
  message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  message_->hide();
  layout->addWidget(message_);
  layout->addWidget(buildFilterBar());

  table_ = new QTableView(this);
  table_->setObjectName(QStringLiteral("failuresTable"));
  table_->setModel(filter_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(FailureTableModel::SeverityColumn, Qt::AscendingOrder);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setAlternatingRowColors(true);
  table_->setWordWrap(false);
  table_->verticalHeader()->hide();
  table_->verticalHeader()->setDefaultSectionSize(thumbnails_->side() + 6);
  table_->setIconSize(QSize(thumbnails_->side(), thumbnails_->side()));
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setColumnWidth(FailureTableModel::SeverityColumn, 56);
  table_->setColumnWidth(FailureTableModel::DirectionColumn, 72);
  table_->setColumnWidth(FailureTableModel::QueryColumn, 260);
  table_->setColumnWidth(FailureTableModel::RankColumn, 60);
  table_->setColumnWidth(FailureTableModel::DiscRankColumn, 84);
  table_->setColumnWidth(FailureTableModel::MarginColumn, 70);
  table_->setColumnWidth(FailureTableModel::CategoryColumn, 150);
  table_->setColumnWidth(FailureTableModel::AttributesColumn, 300);
  connect(table_, &QTableView::activated, this, [this](const QModelIndex& index) { openInCompare(index.row()); });
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &FailuresView::showDetails);

  details_ = new QTextBrowser(this);
  details_->setObjectName(QStringLiteral("failureDetails"));
  details_->setMinimumHeight(130);
  details_->setPlaceholderText(
      tr("Select a query to see its trace and attribute errors; double-click or press "
         "Enter to open it in Compare."));
  auto* detailsBox = new QWidget(this);
  auto* detailsLayout = new QHBoxLayout(detailsBox);
  detailsLayout->setContentsMargins(0, 0, 0, 0);
  detailsLayout->addWidget(details_, 1);
  openCompare_ = new QPushButton(workbenchIcon(QStringLiteral("compare")), tr("Open in Compare"), detailsBox);
  openCompare_->setEnabled(false);
  connect(openCompare_, &QPushButton::clicked, this,
          [this] { openInCompare(table_->selectionModel()->currentIndex().row()); });
  detailsLayout->addWidget(openCompare_, 0, Qt::AlignTop);

  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(table_);
  splitter->addWidget(detailsBox);
  splitter->setStretchFactor(0, 4);
  splitter->setStretchFactor(1, 1);
  layout->addWidget(splitter, 1);

  exportAction_ = new QAction(workbenchIcon(QStringLiteral("export")), tr("Export CSV…"), this);
  exportAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  exportAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  exportAction_->setToolTip(tr("Export the queries the filters show as CSV (Ctrl+E)"));
  exportAction_->setEnabled(false);
  connect(exportAction_, &QAction::triggered, this, &FailuresView::exportWithDialog);
  addAction(exportAction_);
  openAction_ = new QAction(workbenchIcon(QStringLiteral("compare")), tr("Open in Compare"), this);
  openAction_->setEnabled(false);
  connect(openAction_, &QAction::triggered, this,
          [this] { openInCompare(table_->selectionModel()->currentIndex().row()); });
  showSummary();
}

FailuresView::~FailuresView() = default;

QIcon FailuresView::icon() const { return workbenchIcon(QStringLiteral("failures")); }

QList<QAction*> FailuresView::toolBarActions() const { return {openAction_, exportAction_}; }

QWidget* FailuresView::buildTopBar() {
  auto* bar = new QWidget(this);
  auto* h = new QHBoxLayout(bar);
  h->setContentsMargins(0, 0, 0, 0);
  h->addWidget(new QLabel(tr("Checkpoint"), bar));
  checkpoints_ = new CheckpointPicker(bar);
  checkpoints_->setObjectName(QStringLiteral("failuresCheckpointCombo"));
  connect(checkpoints_, &CheckpointPicker::chosen, this,
          [this](const QString& path) { load(path, splits_->currentText()); });
  connect(checkpoints_, &CheckpointPicker::listed, this, &FailuresView::onCheckpointsListed);
  h->addWidget(checkpoints_, 2);
  h->addWidget(new QLabel(tr("Split"), bar));
  splits_ = new QComboBox(bar);
  splits_->addItems({QStringLiteral("test"), QStringLiteral("val")});
  connect(splits_, &QComboBox::activated, this, [this] {
    if (!checkpoint_.isEmpty()) load(checkpoint_, splits_->currentText());
  });
  h->addWidget(splits_);
  reevaluate_ = new QPushButton(workbenchIcon(QStringLiteral("refresh")), tr("Evaluate again"), bar);
  reevaluate_->setToolTip(tr("Run a fresh evaluation of this checkpoint instead of reading the stored one"));
  connect(reevaluate_, &QPushButton::clicked, this, [this] {
    if (!checkpoint_.isEmpty()) load(checkpoint_, split_, true);
  });
  h->addWidget(reevaluate_);
  progress_ = new QProgressBar(bar);
  progress_->setRange(0, 100);
  progress_->setMaximumWidth(180);
  progress_->hide();
  h->addWidget(progress_);
  cancel_ = new QPushButton(tr("Cancel"), bar);
  cancel_->hide();
  connect(cancel_, &QPushButton::clicked, this, &FailuresView::cancel);
  h->addWidget(cancel_);
  return bar;
}

QWidget* FailuresView::buildFilterBar() {
  auto* bar = new QWidget(this);
  auto* h = new QHBoxLayout(bar);
  h->setContentsMargins(0, 0, 0, 0);
  h->addWidget(new QLabel(tr("Show"), bar));
  kind_ = new QComboBox(bar);
  kind_->setObjectName(QStringLiteral("failuresKindCombo"));
  kind_->addItem(tr("every query"), int(FailureFilterModel::Kind::All));
  kind_->addItem(tr("positive not in the top 10"), int(FailureFilterModel::Kind::MissedAt10));
  kind_->addItem(tr("near-duplicate above the positive"), int(FailureFilterModel::Kind::NearDuplicateAbove));
  kind_->addItem(tr("attribute errors in the trace"), int(FailureFilterModel::Kind::AttributeErrors));
  connect(kind_, &QComboBox::currentIndexChanged, this,
          [this] { filter_->setKind(FailureFilterModel::Kind(kind_->currentData().toInt())); });
  h->addWidget(kind_);
  h->addWidget(new QLabel(tr("Direction"), bar));
  direction_ = new QComboBox(bar);
  direction_->setObjectName(QStringLiteral("failuresDirectionCombo"));
  direction_->addItem(tr("all"), QString());
  for (const char* d : {"t->mm", "i->mm", "mm->mm"})
    direction_->addItem(QString::fromLatin1(d), QString::fromLatin1(d));
  connect(direction_, &QComboBox::currentIndexChanged, this,
          [this] { filter_->setDirection(direction_->currentData().toString()); });
  h->addWidget(direction_);
  h->addWidget(new QLabel(tr("Category"), bar));
  category_ = new QComboBox(bar);
  category_->setObjectName(QStringLiteral("failuresCategoryCombo"));
  category_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  connect(category_, &QComboBox::currentIndexChanged, this,
          [this] { filter_->setCategory(category_->currentData().toString()); });
  h->addWidget(category_);
  search_ = new QLineEdit(bar);
  search_->setObjectName(QStringLiteral("failuresSearch"));
  search_->setPlaceholderText(tr("Search queries, ids, traces, attributes"));
  search_->setClearButtonEnabled(true);
  connect(search_, &QLineEdit::textChanged, filter_, &FailureFilterModel::setText);
  h->addWidget(search_, 1);
  fillCategories();
  return bar;
}

void FailuresView::setWorkspace(const WorkspaceLocation& workspace) {
  job_.reset();
  workspace_ = workspace;
  checkpoint_.clear();
  source_.reset();
  model_->setCases({});
  showMessage({});
  showSummary();
  checkpoints_->list(workspace_);
  updateBusy();
}

void FailuresView::activated() {
  active_ = true;
  if (pendingLoad_ && !checkpoint_.isEmpty()) load(checkpoint_, split_);
}

void FailuresView::deactivated() { active_ = false; }

bool FailuresView::isReady() const {
  return !checkpoints_->isListing() && !(job_ && job_->isRunning()) && !pendingLoad_;
}

bool FailuresView::handleRequest(const QVariantMap& request) {
  const QString checkpoint = request.value(QStringLiteral("checkpoint")).toString();
  for (const QString& key : request.keys())
    if (key != QLatin1String("checkpoint") && key != QLatin1String("split")) return false;
  const QString split = request.value(QStringLiteral("split"), QStringLiteral("test")).toString();
  if (checkpoint.isEmpty() || split.isEmpty()) return false;
  load(QDir::cleanPath(QFileInfo(checkpoint).absoluteFilePath()), split);
  return true;
}

void FailuresView::onCheckpointsListed(bool ok, const QString& error) {
  if (!ok) showMessage(tr("Could not list the checkpoints: %1").arg(error));
  if (!checkpoint_.isEmpty()) return;
  checkpoint_ = checkpoints_->defaultPath();
  if (checkpoint_.isEmpty()) return;
  // Chosen now, loaded when the view is shown: a long job does not start behind the user's back.
  checkpoints_->select(checkpoint_);
  pendingLoad_ = true;
  if (active_) load(checkpoint_, split_);
  updateBusy();
}

void FailuresView::load(const QString& checkpoint, const QString& split, bool reevaluate) {
  job_.reset();  // cancels and joins a load still running
  pendingLoad_ = false;
  checkpoint_ = checkpoint;
  split_ = split;
  checkpoints_->select(checkpoint);
  {
    QSignalBlocker block(splits_);
    if (splits_->findText(split) < 0) splits_->addItem(split);
    splits_->setCurrentText(split);
  }
  showMessage({});
  FailuresRequest request;
  request.workspace = workspace_;
  request.checkpoint = checkpoint;
  request.split = split;
  request.reevaluate = reevaluate;
  job_ = makeJob<FailuresJob>(request);
  connect(job_.get(), &Job::progressChanged, progress_, [this](double p) { progress_->setValue(int(p)); });
  connect(job_.get(), &Job::finished, this, &FailuresView::onFinished);
  progress_->setValue(0);
  job_->start();
  Q_EMIT statusMessage(tr("Reading the failures of %1 on %2…").arg(QDir::toNativeSeparators(checkpoint), split));
  updateBusy();
}

void FailuresView::cancel() {
  if (job_ && job_->isRunning()) job_->cancel();
}

void FailuresView::onFinished(bool ok) {
  if (ok) {
    source_ = job_->source();
    mismatched_ = job_->failures().mismatched;
    model_->setCases(job_->failures().cases);
    table_->sortByColumn(FailureTableModel::SeverityColumn, Qt::AscendingOrder);
    fillCategories();
    if (filter_->rowCount() > 0) table_->selectRow(0);
    Q_EMIT statusMessage(source_->evaluatedNow
                             ? tr("Evaluated %1 on %2").arg(QDir::toNativeSeparators(checkpoint_), split_)
                             : tr("Read the stored evaluation of %1").arg(QDir::toNativeSeparators(checkpoint_)),
                         5000);
  } else {
    source_.reset();
    model_->setCases({});
    showMessage(
        job_->status() == Job::Status::Canceled
            ? tr("Canceled before the evaluation finished; nothing was stored. Press “Evaluate again” to run it.")
            : tr("Could not read the failures of %1 on split '%2': %3")
                  .arg(QDir::toNativeSeparators(checkpoint_), split_, job_->errorMessage()));
  }
  showSummary();
  updateBusy();
}

QString FailuresView::message() const { return message_->isHidden() ? QString() : message_->text(); }

void FailuresView::showMessage(const QString& text) {
  message_->setText(text);
  message_->setVisible(!text.isEmpty());
}

void FailuresView::showSummary() {
  if (!source_) {
    summary_->setText(checkpoint_.isEmpty()
                          ? tr("Choose a checkpoint: its evaluation's queries are listed worst first.")
                          : QString());
    exportAction_->setEnabled(false);
    return;
  }
  const FailuresSource& s = *source_;
  std::size_t missed = 0, nearDup = 0, attributes = 0;
  for (const FailureCase& c : model_->cases()) {
    missed += c.missedAt(10);
    nearDup += c.nearDuplicateAbove;
    attributes += !c.attributeErrors.empty();
  }
  const std::size_t n = model_->cases().size();
  const QString when = QDateTime::fromSecsSinceEpoch(qint64(s.createdAt)).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
  QString origin = s.evaluatedNow ? tr("Evaluated now") : tr("Stored evaluation");
  if (s.evaluationId) origin += tr(" #%1").arg(*s.evaluationId);
  origin += tr(" (%1)").arg(when);
  if (s.evaluatedNow && !s.evaluationId)
    origin += tr(", not stored: the checkpoint belongs to no run of this workspace");
  QString text = tr("<b>%1</b> · %2 · split <b>%3</b> · %4")
                     .arg(s.runName.isEmpty() ? QDir::toNativeSeparators(s.checkpoint).toHtmlEscaped()
                                              : tr("%1 step %2").arg(s.runName.toHtmlEscaped()).arg(s.step.value_or(0)),
                          origin, s.split.toHtmlEscaped(),
                          s.meanRecallAt10 ? tr("mean R@10 %1").arg(percent(*s.meanRecallAt10)) : tr("no retrieval"));
  text += tr("<br>%1 queries: <span style='color:#c62828'>%2</span> miss the top 10 · "
             "<span style='color:#c62828'>%3</span> rank the near-duplicate above the positive · "
             "%4 have attribute errors in their trace")
              .arg(n)
              .arg(missed)
              .arg(nearDup)
              .arg(attributes);
  if (mismatched_ > 0)
    text += tr("<br><span style='color:#c62828'>%1 stored results no longer match the dataset in %2 (it changed "
               "since the evaluation); they are left out. Evaluate again to include them.</span>")
                .arg(mismatched_)
                .arg(QDir::toNativeSeparators(s.dataDir).toHtmlEscaped());
  summary_->setText(text);
  exportAction_->setEnabled(n > 0);
}

void FailuresView::fillCategories() {
  std::set<std::string> categories;
  for (const FailureCase& c : model_->cases()) {
    if (!c.coarseCategory.empty()) categories.insert(c.coarseCategory);
    if (!c.fineCategory.empty()) categories.insert(c.fineCategory);
  }
  const QString current = category_->currentData().toString();
  QSignalBlocker block(category_);
  category_->clear();
  category_->addItem(tr("all"), QString());
  for (const std::string& c : categories) category_->addItem(q(c), q(c));
  const int i = category_->findData(current);
  category_->setCurrentIndex(i < 0 ? 0 : i);
  filter_->setCategory(category_->currentData().toString());
}

void FailuresView::showDetails() {
  const QModelIndex index = table_->selectionModel()->currentIndex();
  const FailureCase* c = index.isValid() ? model_->at(filter_->mapToSource(index).row()) : nullptr;
  openCompare_->setEnabled(c != nullptr);
  openAction_->setEnabled(c != nullptr);
  if (!c) {
    details_->clear();
    return;
  }
  auto rank = [](std::size_t r) { return r == 0 ? tr("unranked") : QString::number(r); };
  auto picture = [](const std::string& file, const QString& caption) {
    const QString image = file.empty() ? tr("(no image)")
                                       : QStringLiteral("<img src=\"%1\" width=\"88\" height=\"88\">")
                                             .arg(QUrl::fromLocalFile(q(file)).toString().toHtmlEscaped());
    return QStringLiteral("<td align=\"center\" style=\"padding-right:10px\">%1<br><small>%2</small></td>")
        .arg(image, caption);
  };
  QString html = QStringLiteral("<table><tr>%1%2%3<td valign=\"top\">")
                     .arg(picture(c->queryImage, tr("query")), picture(c->positiveImage, tr("positive")),
                          picture(c->negativeImage, tr("near-duplicate")));
  html += tr("<b>%1</b> query, triplet %2 of %3: “%4”<br>positive <tt>%5</tt> at rank <b>%6</b> "
             "(with &lt;disc_emb&gt;: %7) · near-duplicate <tt>%8</tt> · margin <b>%9</b>")
              .arg(q(c->direction).toHtmlEscaped())
              .arg(c->triplet)
              .arg(split_.toHtmlEscaped(), q(c->queryTitle.empty() ? "(image only)" : c->queryTitle).toHtmlEscaped(),
                   q(c->positive).toHtmlEscaped(), rank(c->rank), rank(c->discRank), q(c->negative).toHtmlEscaped(),
                   QString::number(c->margin, 'f', 4));
  if (c->trace.empty()) {
    html += tr("<br>No trace: the evaluation generated none.");
  } else {
    html +=
        tr("<br>Trace%1: <tt>%2</tt>")
            .arg(c->traceParsable ? QString() : tr(" (not a list of key: value pairs)"), q(c->trace).toHtmlEscaped());
    if (c->attributeErrors.empty()) {
      html += tr("<br>All %1 labelled attributes right.").arg(c->attributesLabelled);
    } else {
      html +=
          tr("<br>Attribute errors (%1 of %2 labelled): ").arg(c->attributeErrors.size()).arg(c->attributesLabelled);
      QStringList items;
      for (const AttributeError& e : c->attributeErrors)
        items << tr("%1: <b>%2</b> → <span style='color:#c62828'>%3</span>")
                     .arg(q(e.key).toHtmlEscaped(), q(e.expected).toHtmlEscaped(),
                          e.predicted.empty() ? tr("(none)") : q(e.predicted).toHtmlEscaped());
      html += items.join(QStringLiteral(" · "));
    }
  }
  html += QStringLiteral("</td></tr></table>");
  details_->setHtml(html);
}

void FailuresView::updateBusy() {
  const bool busy = job_ && job_->isRunning();
  progress_->setVisible(busy);
  cancel_->setVisible(busy);
  reevaluate_->setEnabled(!busy && !checkpoint_.isEmpty());
  checkpoints_->setEnabled(!checkpoints_->isListing());
}

bool FailuresView::openInCompare(int row) {
  if (!source_ || row < 0 || row >= filter_->rowCount()) return false;
  const FailureCase* c = model_->at(filter_->mapToSource(filter_->index(row, 0)).row());
  if (!c) return false;
  Q_EMIT openRequested(QStringLiteral("compare"),
                       {{QStringLiteral("checkpoint"), source_->checkpoint},
                        {QStringLiteral("dataset"), source_->dataDir},
                        {QStringLiteral("triplet"), QStringLiteral("%1:%2").arg(source_->split).arg(c->triplet)}});
  return true;
}

bool FailuresView::exportCsv(const QString& file, QString* error) const {
  return saveTextFile(file, failureCsv(filter_->visibleCases()), error);
}

void FailuresView::exportWithDialog() {
  QString name = QStringLiteral("failures-%1.csv").arg(split_);
  if (source_ && source_->step) name = QStringLiteral("failures-step-%1-%2.csv").arg(*source_->step).arg(split_);
  const QString path =
      moon::exportWithDialog(this, workspace_, tr("Export Failures"), name, tr("CSV (*.csv)"),
                             [this](const QString& file, QString* error) { return exportCsv(file, error); });
  if (!path.isEmpty()) Q_EMIT statusMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 5000);
}

}  // namespace moon
