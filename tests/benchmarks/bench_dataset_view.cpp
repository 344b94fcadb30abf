// Issue #16: the Dataset view on a catalogue-sized dataset (offscreen, the
// view at 1400 x 900):
//  - first paint: from openDataset() until the grid shows its first
//    products, and the GUI thread's longest stall meanwhile (≤ 100 ms asked);
//  - search-as-you-type: each keystroke of a word typed into the search box,
//    from the key to the repainted grid (< 100 ms at 1 M products asked), and
//    clearing it again (every product back);
//  - scrolling to the end of the grid and painting there;
//  - peak RSS.
//
//   bench_dataset_view [--quick] [--data DIR]   (default: a fresh 2,000-product catalogue)

#include <QApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QListView>
#include <QScrollBar>
#include <QTemporaryDir>

#include <cstdio>
#include <string>

#include "BenchCommon.h"
#include "GuiStallProbe.h"
#include "core/data/Product.h"
#include "core/synth/CatalogueGenerator.h"
#include "views/dataset/DatasetView.h"
#include "views/dataset/ProductFilterModel.h"
#include "views/dataset/ProductListModel.h"

using namespace moon;
using namespace moon::bench;

namespace {

// Milliseconds for `change` plus the events and the repaint it causes.
template <class Change>
double msUntilPainted(QWidget& view, Change&& change) {
  QElapsedTimer clock;
  clock.start();
  change();
  QCoreApplication::processEvents();
  view.repaint();
  return double(clock.nsecsElapsed()) / 1e6;
}

// The longest word of the first product's title: something a researcher
// would type, that matches some products and not all.
QString wordToType(const ProductListModel& model) {
  const QStringList words = model.data(model.index(0), Qt::DisplayRole).toString().split(' ', Qt::SkipEmptyParts);
  QString best;
  for (const QString& w : words)
    if (w.size() > best.size()) best = w;
  return best.toLower();
}

}  // namespace

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  const bool quick = hasFlag(argc, argv, "--quick");
  QString dir = QString::fromStdString(option(argc, argv, "--data", ""));
  QTemporaryDir tmp;
  if (dir.isEmpty()) {
    SynthOptions so;
    so.products = quick ? 200 : 2000;
    so.imageSize = 32;
    dir = tmp.filePath(QStringLiteral("catalogue"));
    generateCatalogue(dir.toStdString(), so);
  }

  DatasetView view;
  view.resize(1400, 900);
  view.show();
  auto* grid = view.findChild<QListView*>(QStringLiteral("productGrid"));
  QLineEdit* search = nullptr;
  for (auto* edit : view.findChildren<QLineEdit*>())
    if (edit->placeholderText().contains(QStringLiteral("Search"))) search = edit;
  if (!grid || !search) {
    std::fprintf(stderr, "the Dataset view has no product grid or search box\n");
    return 1;
  }

  double loadSeconds = 0;
  const double loadGap = longestGapWhile([&] { view.openDataset(dir); },
                                         [&] { return view.filterModel()->rowCount() == 0; }, &loadSeconds);
  QElapsedTimer paint;
  paint.start();
  view.repaint();
  const double firstPaint = loadSeconds + double(paint.nsecsElapsed()) / 1e9;
  const int products = view.productModel()->rowCount();
  if (products == 0) {
    std::fprintf(stderr, "no products shown from %s\n", qPrintable(dir));
    return 1;
  }

  // Type a word one key at a time, then delete it one key at a time.
  const QString word = wordToType(*view.productModel());
  double worstKey = 0, sumKeys = 0;
  int keys = 0, matches = 0;
  for (int n = 1; n <= word.size(); ++n) {
    const double ms = msUntilPainted(view, [&] { search->setText(word.left(n)); });
    worstKey = std::max(worstKey, ms);
    sumKeys += ms;
    ++keys;
  }
  matches = view.filterModel()->rowCount();

  // Where a keystroke's time goes: the text index alone, then a filter model
  // with no view attached, for the same keys (worst over the word).
  double worstFind = 0, worstModel = 0;
  {
    const auto& text = view.productModel()->catalogue().text;
    ProductFilterModel bare;
    bare.setSourceModel(view.productModel());
    for (int n = 1; n <= word.size(); ++n) {
      QElapsedTimer clock;
      clock.start();
      (void)text.find(word.left(n).toStdString());
      worstFind = std::max(worstFind, double(clock.nsecsElapsed()) / 1e6);
      clock.restart();
      bare.setText(word.left(n));
      worstModel = std::max(worstModel, double(clock.nsecsElapsed()) / 1e6);
    }
  }
  double worstDelete = 0;
  for (int n = word.size() - 1; n >= 0; --n)
    worstDelete = std::max(worstDelete, msUntilPainted(view, [&] { search->setText(word.left(n)); }));
  const bool restored = view.filterModel()->rowCount() == products;

  // Scroll to the end of the grid. QListView lays out in batches, so the
  // end moves until the layout is done: follow it until it stays put.
  double scrollSeconds = 0;
  int lastMaximum = -1, stableChecks = 0;
  const double scrollGap = longestGapWhile([&] { grid->scrollToBottom(); },
                                           [&] {
                                             const auto* bar = grid->verticalScrollBar();
                                             stableChecks = bar->maximum() == lastMaximum ? stableChecks + 1 : 0;
                                             lastMaximum = bar->maximum();
                                             grid->scrollToBottom();
                                             return stableChecks < 3 || bar->value() != bar->maximum();
                                           },
                                           &scrollSeconds);
  const double endPaint = msUntilPainted(view, [] {});

  char buf[512];
  std::snprintf(buf, sizeof buf, "%d products from %s: shown after %.2f s, longest GUI stall meanwhile %.0f ms",
                products, qPrintable(dir), firstPaint, loadGap);
  printFigure("dataset_view_first_paint_s", firstPaint, buf);
  printRatio("dataset_view_load_stall_ms", loadGap, 100.0, "longest gap of a 5 ms GUI timer while the dataset loads",
             false);
  std::snprintf(buf, sizeof buf,
                "typing '%s' (%d keys, %d of %d products match): worst key %.1f ms, mean %.1f ms (of the worst: "
                "full-catalogue text search %.1f ms, filter model without a view %.1f ms)",
                qPrintable(word), keys, matches, products, worstKey, sumKeys / std::max(keys, 1), worstFind,
                worstModel);
  printRatio("dataset_view_search_key_ms", worstKey, 100.0, buf, false);
  std::snprintf(buf, sizeof buf, "deleting it again, key by key (all products back: %s)", restored ? "yes" : "NO");
  printRatio("dataset_view_search_delete_ms", worstDelete, 100.0, buf, false);
  std::snprintf(buf, sizeof buf, "scrolled to the end in %.2f s (longest GUI stall %.0f ms), painted there in %.1f ms",
                scrollSeconds, scrollGap, endPaint);
  printFigure("dataset_view_scroll_end_s", scrollSeconds, buf);
  printFigure("dataset_view_peak_rss_mib", peakRssMiB(), "");
  return restored ? 0 : 1;
}
