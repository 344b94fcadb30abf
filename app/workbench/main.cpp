// moon-workbench: parses the command line and hands over to views/shell.
#include <QApplication>
#include <QCommandLineParser>

#include <cstdio>

#include "model/BuildInfo.h"
#include "model/runtime/IntraOpThreads.h"
#include "views/shell/WorkbenchApp.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("MOON Workbench"));
  QApplication::setOrganizationName(QStringLiteral("moon"));
  QApplication::setApplicationVersion(QString::fromStdString(moon::moonVersion()));

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Train, watch and inspect MOON3.0-style multimodal product embedding models."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption workspace(QStringLiteral("workspace"),
                                     QStringLiteral("Workspace folder (default: the last one opened; a new or empty "
                                                    "folder becomes the demo workspace)."),
                                     QStringLiteral("DIR"));
  const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                      QStringLiteral("Render the window to a PNG file and exit."),
                                      QStringLiteral("FILE"));
  const QCommandLineOption view(QStringLiteral("view"), QStringLiteral("View to show (e.g. overview)."),
                                QStringLiteral("NAME"));
  const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size, e.g. 1280x800."),
                                QStringLiteral("WxH"));
  const QCommandLineOption demoProducts(QStringLiteral("demo-products"),
                                        QStringLiteral("Products in the demo catalogue made in a new workspace."),
                                        QStringLiteral("N"));
  const QCommandLineOption checkpoint(
      QStringLiteral("checkpoint"),
      QStringLiteral("Compare, Failures or Embeddings view: the checkpoint folder to load."), QStringLiteral("DIR"));
  const QCommandLineOption triplet(QStringLiteral("triplet"),
                                   QStringLiteral("Compare view: the triplet to show, N or SPLIT:N (default split: "
                                                  "test); Runs view's timeline tab: the triplet to walk through "
                                                  "the run's checkpoints (default split: val)."),
                                   QStringLiteral("N"));
  const QCommandLineOption tab(
      QStringLiteral("tab"), QStringLiteral("Runs view: the tab to show beside the runs: charts, traces or timeline."),
      QStringLiteral("NAME"));
  const QCommandLineOption split(
      QStringLiteral("split"),
      QStringLiteral("Failures view: the split whose evaluation to list (default: test); Embeddings "
                     "view: the products shown (all, or one split's)."),
      QStringLiteral("NAME"));
  const QCommandLineOption embedding(QStringLiteral("embedding"),
                                     QStringLiteral("Embeddings view: emb (after the trace), disc (before it), image "
                                                    "or text."),
                                     QStringLiteral("NAME"));
  const QCommandLineOption projection(QStringLiteral("projection"), QStringLiteral("Embeddings view: pca or tsne."),
                                      QStringLiteral("NAME"));
  const QCommandLineOption explain(QStringLiteral("explain"),
                                   QStringLiteral("Compare view: show what moves the similarity (attribution) instead "
                                                  "of attention."));
  const QCommandLineOption run(QStringLiteral("run"), QStringLiteral("Runs view: the run to select (its id)."),
                               QStringLiteral("ID"));
  parser.addOptions({workspace, screenshot, view, size, demoProducts, checkpoint, triplet, tab, split, embedding,
                     projection, run, explain});
  // A folder given alone is the workspace: how the desktop entry (Exec=moon-workbench %f)
  // and a file manager's "Open with" pass one.
  parser.addPositionalArgument(QStringLiteral("workspace"), QStringLiteral("Workspace folder, as --workspace."),
                               QStringLiteral("[DIR]"));
  parser.process(app);
  const QStringList positional = parser.positionalArguments();
  if (positional.size() > 1 || (positional.size() == 1 && parser.isSet(workspace))) {
    std::fprintf(stderr, "moon-workbench: error: unexpected argument '%s' (one workspace folder at most)\n",
                 qPrintable(positional.last()));
    return 2;
  }

  moon::WorkbenchOptions options;
  options.workspace = positional.isEmpty() ? parser.value(workspace) : positional.first();
  options.view = parser.value(view);
  options.screenshotFile = parser.value(screenshot);
  if (parser.isSet(checkpoint)) options.request.insert(QStringLiteral("checkpoint"), parser.value(checkpoint));
  if (parser.isSet(triplet)) options.request.insert(QStringLiteral("triplet"), parser.value(triplet));
  if (parser.isSet(tab)) options.request.insert(QStringLiteral("tab"), parser.value(tab));
  if (parser.isSet(split)) options.request.insert(QStringLiteral("split"), parser.value(split));
  if (parser.isSet(run)) options.request.insert(QStringLiteral("run"), parser.value(run));
  if (parser.isSet(explain)) options.request.insert(QStringLiteral("explain"), true);
  if (parser.isSet(embedding)) options.request.insert(QStringLiteral("embedding"), parser.value(embedding));
  if (parser.isSet(projection)) options.request.insert(QStringLiteral("projection"), parser.value(projection));
  if (parser.isSet(size) && !moon::parseWindowSize(parser.value(size), &options.size)) {
    std::fprintf(stderr, "moon-workbench: error: --size expects WxH (at least 200x150), got '%s'\n",
                 qPrintable(parser.value(size)));
    return 2;
  }
  if (parser.isSet(demoProducts)) {
    bool ok = false;
    options.demoProducts = parser.value(demoProducts).toInt(&ok);
    if (!ok || options.demoProducts <= 0) {
      std::fprintf(stderr, "moon-workbench: error: --demo-products expects a positive number, got '%s'\n",
                   qPrintable(parser.value(demoProducts)));
      return 2;
    }
  }
  moon::applyIntraOpThreads(0);  // inference on the workbench's worker threads
  return moon::runWorkbench(app, options);
}
