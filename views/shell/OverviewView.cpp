#include "views/shell/OverviewView.h"

#include <QAction>
#include <QBrush>
#include <QColor>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

#include "views/common/Theme.h"
#include "views/shell/WorkspaceScanJob.h"

namespace moon {
namespace {

QFrame* makeCard(const QString& title, QVBoxLayout*& body, QWidget* parent) {
  auto* card = new QFrame(parent);
  card->setObjectName(QStringLiteral("card"));
  body = new QVBoxLayout(card);
  body->setContentsMargins(16, 12, 16, 14);
  body->setSpacing(8);
  auto* heading = new QLabel(title, card);
  heading->setObjectName(QStringLiteral("cardTitle"));
  body->addWidget(heading);
  return card;
}

QLabel* makeHint(const QString& text, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  label->setObjectName(QStringLiteral("hint"));
  label->setWordWrap(true);
  label->setTextFormat(Qt::RichText);
  return label;
}

QTreeWidget* makeTable(const QStringList& headers, QWidget* parent) {
  auto* tree = new QTreeWidget(parent);
  tree->setHeaderLabels(headers);
  tree->setRootIsDecorated(false);
  tree->setUniformRowHeights(true);
  tree->setAlternatingRowColors(true);
  tree->setSelectionMode(QAbstractItemView::SingleSelection);
  tree->setFrameShape(QFrame::NoFrame);
  tree->header()->setStretchLastSection(false);
  tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
  return tree;
}

// Tall enough for its rows (up to maxRows, then it scrolls), so short lists leave no empty box.
void fitToRows(QTreeWidget* tree, int minRows, int maxRows) {
  const int rows = std::clamp(tree->topLevelItemCount(), minRows, maxRows);
  const int rowHeight = std::max(tree->sizeHintForRow(0), tree->fontMetrics().height() + 8);
  tree->setFixedHeight(tree->header()->sizeHint().height() + rows * rowHeight + 2 * tree->frameWidth() + 2);
}

QString plural(qint64 n, const QString& one, const QString& many) {
  return QStringLiteral("%1 %2").arg(QLocale().toString(n), n == 1 ? one : many);
}

QString countText(qint64 n) { return n < 0 ? QStringLiteral("—") : QLocale().toString(n); }

}  // namespace

OverviewView::OverviewView(QWidget* parent) : WorkbenchView(parent) {
  refresh_ = new QAction(workbenchIcon(QStringLiteral("refresh")), tr("Refresh"), this);
  refresh_->setShortcut(QKeySequence::Refresh);
  refresh_->setToolTip(tr("Read the workspace folder again"));
  connect(refresh_, &QAction::triggered, this, &OverviewView::refresh);
  addAction(refresh_);

  auto* page = new QWidget;
  page->setObjectName(QStringLiteral("overviewPage"));
  auto* layout = new QVBoxLayout(page);
  layout->setContentsMargins(24, 18, 24, 18);
  layout->setSpacing(16);

  auto* hero = new QHBoxLayout;
  hero->setSpacing(14);
  auto* logo = new QLabel(page);
  logo->setPixmap(workbenchIcon(QStringLiteral("moon")).pixmap(QSize(52, 52), devicePixelRatioF()));
  hero->addWidget(logo, 0, Qt::AlignTop);
  auto* heroText = new QVBoxLayout;
  heroText->setSpacing(2);
  auto* title = new QLabel(tr("MOON Workbench"), page);
  title->setObjectName(QStringLiteral("heroTitle"));
  auto* subtitle = new QLabel(tr("Train, watch and look inside reasoning-aware multimodal product embedding models "
                                 "(MOON3.0-style: think, then embed)."),
                              page);
  subtitle->setObjectName(QStringLiteral("heroSubtitle"));
  subtitle->setWordWrap(true);
  heroText->addWidget(title);
  heroText->addWidget(subtitle);
  hero->addLayout(heroText, 1);
  layout->addLayout(hero);

  // Two columns: what is in the workspace on the left, runs and background on the right.
  auto* columns = new QHBoxLayout;
  columns->setSpacing(16);
  auto* left = new QVBoxLayout;
  left->setSpacing(16);
  left->addWidget(buildWorkspaceCard());
  left->addWidget(buildDatasetsCard());
  left->addWidget(buildContentsCard(), 1);
  auto* right = new QVBoxLayout;
  right->setSpacing(16);
  right->addWidget(buildRunsCard());
  right->addWidget(buildAboutCard());
  right->addStretch(1);
  columns->addLayout(left, 3);
  columns->addLayout(right, 2);
  layout->addLayout(columns, 1);

  auto* scroll = new QScrollArea(this);
  scroll->setObjectName(QStringLiteral("overviewScroll"));
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(page);
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  outer->addWidget(scroll);

  setWorkspace(WorkspaceLocation());
}

OverviewView::~OverviewView() = default;

QIcon OverviewView::icon() const { return workbenchIcon(QStringLiteral("overview")); }

QList<QAction*> OverviewView::toolBarActions() const { return {refresh_}; }

QWidget* OverviewView::buildWorkspaceCard() {
  QVBoxLayout* body = nullptr;
  QFrame* card = makeCard(tr("Workspace"), body, this);
  path_ = new QLabel(card);
  path_->setObjectName(QStringLiteral("workspacePath"));
  path_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  path_->setWordWrap(true);
  state_ = makeHint({}, card);
  auto* buttons = new QHBoxLayout;
  reveal_ = new QPushButton(workbenchIcon(QStringLiteral("folder")), tr("Show in File Manager"), card);
  QPushButton* reveal = reveal_;
  auto* other = new QPushButton(workbenchIcon(QStringLiteral("folder-open")), tr("Open Another…"), card);
  connect(reveal, &QPushButton::clicked, this, [this] {
    if (!workspace_.isNull()) QDesktopServices::openUrl(QUrl::fromLocalFile(workspace_.root()));
  });
  connect(other, &QPushButton::clicked, this, &OverviewView::chooseWorkspace);
  buttons->addWidget(reveal);
  buttons->addWidget(other);
  buttons->addStretch(1);
  body->addWidget(path_);
  body->addWidget(state_);
  body->addLayout(buttons);
  return card;
}

QWidget* OverviewView::buildDatasetsCard() {
  QVBoxLayout* body = nullptr;
  QFrame* card = makeCard(tr("Datasets"), body, this);
  datasets_ = makeTable({tr("Name"), tr("Products"), tr("Train"), tr("Val"), tr("Test"), tr("Images")}, card);
  datasets_->setObjectName(QStringLiteral("datasetsTable"));
  datasetsEmpty_ = makeHint(tr("No datasets yet. A dataset is a folder under <b>datasets/</b> holding "
                               "<b>products.jsonl</b>, <b>train.jsonl</b>, <b>val.jsonl</b>, "
                               "<b>test.jsonl</b> (query, positive, near-duplicate negative) and "
                               "<b>images/</b>. The README describes the fields."),
                            card);
  body->addWidget(datasets_);
  body->addWidget(datasetsEmpty_);
  return card;
}

QWidget* OverviewView::buildRunsCard() {
  QVBoxLayout* body = nullptr;
  QFrame* card = makeCard(tr("Runs"), body, this);
  auto* row = new QHBoxLayout;
  row->setSpacing(10);
  runCount_ = new QLabel(QStringLiteral("—"), card);
  runCount_->setObjectName(QStringLiteral("bigNumber"));
  runCaption_ = makeHint({}, card);
  row->addWidget(runCount_, 0, Qt::AlignVCenter);
  row->addWidget(runCaption_, 1, Qt::AlignVCenter);
  body->addLayout(row);
  runs_ = makeTable({tr("Latest"), tr("Status"), tr("Preset"), tr("Steps")}, card);
  runs_->setObjectName(QStringLiteral("runsTable"));
  body->addWidget(runs_);
  runsHint_ = makeHint({}, card);
  body->addWidget(runsHint_);
  return card;
}

QWidget* OverviewView::buildContentsCard() {
  QVBoxLayout* body = nullptr;
  QFrame* card = makeCard(tr("Workspace folder"), body, this);
  contents_ = makeTable({tr("Name"), tr("Kind"), tr("Size"), tr("Modified")}, card);
  contents_->setObjectName(QStringLiteral("contentsTable"));
  contents_->setMinimumHeight(96);
  // Takes the height left over rather than asking for its (tall) default size
  // hint, which would push the page past the window and show a scroll bar.
  contents_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Ignored);
  body->addWidget(contents_, 1);
  return card;
}

QWidget* OverviewView::buildAboutCard() {
  QVBoxLayout* body = nullptr;
  QFrame* card = makeCard(tr("How it works"), body, this);
  auto* text =
      makeHint(tr("<p>A multimodal language model first <b>writes the product's fine-grained attributes</b> "
                  "(<i>color: red; pattern: striped; sleeve: short</i>) and then <b>embeds</b> the product after that "
                  "reasoning trace, so near-duplicates that differ in one detail land apart.</p>"
                  "<p><b>Multi-head modality fusion</b> re-reads the raw image and title next to the trace; "
                  "<b>fine-grained residual enhancement</b> re-injects local image detail at several depths; "
                  "<b>contrastive + GRPO</b> training rewards traces that retrieve the right product.</p>"),
               card);
  text->setObjectName(QStringLiteral("aboutText"));
  body->addWidget(text);
  body->addStretch(1);
  return card;
}

void OverviewView::showDatasets(bool any) {
  datasets_->setVisible(any);
  datasetsEmpty_->setVisible(!any);
}

void OverviewView::showRuns(const RunsSummary& runs) {
  runs_->clear();
  runCount_->setText(runs.hasStore && runs.error.isEmpty() ? QLocale().toString(runs.total) : QStringLiteral("—"));
  QStringList parts;
  for (const auto& [status, count] : runs.byStatus)
    parts << QStringLiteral("%1 %2").arg(count).arg(QString::fromLatin1(runStatusName(status)));
  runCaption_->setText(runs.total > 0 ? parts.join(QStringLiteral(" · ")) : QString());

  for (const RunRecord& r : runs.latest) {
    const QString steps =
        r.stepsTotal > 0 ? QStringLiteral("%1 / %2").arg(r.stepsDone).arg(r.stepsTotal) : QString::number(r.stepsDone);
    auto* item =
        new QTreeWidgetItem(runs_, {QString::fromStdString(r.name), QString::fromLatin1(runStatusName(r.status)),
                                    QString::fromStdString(r.preset), steps});
    item->setForeground(1, runStatusColour(r.status));
    item->setTextAlignment(3, Qt::AlignRight | Qt::AlignVCenter);
    if (!r.message.empty()) item->setToolTip(1, QString::fromStdString(r.message));
  }
  fitToRows(runs_, 1, WorkspaceScanJob::kLatestRuns);
  runs_->setVisible(!runs.latest.empty());

  if (!runs.error.isEmpty())
    runsHint_->setText(tr("The run store could not be read: %1").arg(runs.error.toHtmlEscaped()));
  else if (runs.total == 0)
    runsHint_->setText(
        tr("No runs yet. Start one from the workbench or with <code>moon train</code> in a shell; "
           "either way it is recorded in this workspace and shows up here."));
  runsHint_->setVisible(runs.hasStore && (!runs.error.isEmpty() || runs.total == 0));
}

void OverviewView::chooseWorkspace() {
  const QString start = workspace_.isNull() ? QDir::homePath() : workspace_.root();
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Workspace"), start);
  if (!dir.isEmpty()) Q_EMIT workspaceRequested(dir);
}

void OverviewView::setWorkspace(const WorkspaceLocation& workspace) {
  workspace_ = workspace;
  path_->setText(workspace_.isNull() ? tr("No workspace open") : QDir::toNativeSeparators(workspace_.root()));
  refresh_->setEnabled(!workspace_.isNull());
  reveal_->setEnabled(!workspace_.isNull());
  refresh();
}

void OverviewView::activated() {
  // Coming back to the page shows what changed meanwhile (a new run, a new dataset).
  if (isReady() && scan_) refresh();
}

bool OverviewView::isReady() const { return !scan_ || !scan_->isRunning(); }

void OverviewView::refresh() {
  scan_.reset();  // cancels and waits for a scan still running
  datasets_->clear();
  contents_->clear();
  if (workspace_.isNull()) {
    state_->setText(tr("Open a workspace folder to see its datasets and runs."));
    showDatasets(false);
    showRuns(RunsSummary());
    return;
  }
  state_->setText(tr("Reading the workspace…"));
  scan_ = makeJob<WorkspaceScanJob>(workspace_);
  connect(scan_.get(), &Job::finished, this, [this](bool ok) {
    if (ok)
      showSummary(scan_->summary());
    else if (!scan_->errorMessage().isEmpty())
      state_->setText(tr("Could not read the workspace: %1").arg(scan_->errorMessage()));
  });
  scan_->start();
}

void OverviewView::showSummary(const WorkspaceSummary& s) {
  if (!s.exists) {
    state_->setText(tr("This folder does not exist yet."));
    showDatasets(false);
    showRuns(s.runs);
    return;
  }
  state_->setText(tr("%1 · %2 in the folder")
                      .arg(plural(s.datasets.size(), tr("dataset"), tr("datasets")),
                           plural(s.entries.size(), tr("item"), tr("items"))));

  const QLocale locale;
  for (const DatasetSummary& d : s.datasets) {
    auto* item = new QTreeWidgetItem(datasets_, {d.name, countText(d.products), countText(d.train), countText(d.val),
                                                 countText(d.test), countText(d.images)});
    item->setIcon(0, workbenchIcon(QStringLiteral("dataset")));
    item->setToolTip(0, QDir::toNativeSeparators(d.path));
    for (int c = 1; c < 6; ++c) item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
  }
  fitToRows(datasets_, 1, 6);
  showDatasets(!s.datasets.isEmpty());

  showRuns(s.runs);

  for (const WorkspaceEntry& e : s.entries) {
    auto* item = new QTreeWidgetItem(contents_, {e.name, e.isDir ? tr("Folder") : tr("File"),
                                                 e.isDir ? QString() : locale.formattedDataSize(e.bytes),
                                                 locale.toString(e.modified, QLocale::ShortFormat)});
    item->setIcon(0, workbenchIcon(e.isDir ? QStringLiteral("folder") : QStringLiteral("file")));
    item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
  }
  Q_EMIT statusMessage(tr("Workspace read: %1").arg(plural(s.datasets.size(), tr("dataset"), tr("datasets"))), 4000);
}

}  // namespace moon
