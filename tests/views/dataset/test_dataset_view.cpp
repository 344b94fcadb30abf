// The Dataset view's models: a 10,000-product catalogue through the list
// model and the filter proxy (checked against a brute-force filter), lazy
// thumbnails on a worker pool with an LRU cache, the triplet table, and the
// view sending a double-clicked triplet to Compare.

#include <QtTest/QtTest>

#include <QAbstractItemModelTester>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QTableView>
#include <QTemporaryDir>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "SyntheticCatalogue.h"
#include "core/data/Dataset.h"
#include "views/common/ThumbnailCache.h"
#include "views/dataset/DatasetView.h"
#include "views/dataset/ProductFilterModel.h"
#include "views/dataset/ProductListModel.h"
#include "views/dataset/TripletListModel.h"

using namespace moon;

namespace {

const char* kCoarse[] = {"apparel", "footwear", "bags", "accessories"};
const char* kColours[] = {"red", "blue", "green", "black", "white", "navy", "olive"};
const char* kBrands[] = {"acme", "globex", "initech"};

std::vector<Product> fakeCatalogue(int n) {
  std::vector<Product> out;
  out.reserve(size_t(n));
  for (int i = 0; i < n; ++i) {
    Product p;
    p.id = "p" + std::to_string(i);
    p.categoryPath = {kCoarse[i % 4], std::string(kCoarse[i % 4]) + "-" + std::to_string(i % 10)};
    p.imageAttributes["color"] = kColours[i % 7];
    if (i % 3 == 0) p.imageAttributes["pattern"] = "striped";
    p.textAttributes["brand"] = kBrands[i % 3];
    p.title = std::string(kBrands[i % 3]) + " " + kColours[i % 7] + " item " + std::to_string(i);
    p.imagePath = "images/" + p.id + ".jpg";
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

class TestDatasetView : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;  // the test's own files
  std::unique_ptr<test::SyntheticCatalogue> catalogue_;
  QString data_;

 private Q_SLOTS:
  void initTestCase() {
    catalogue_ = std::make_unique<test::SyntheticCatalogue>(test::smallCatalogue(16, 40, SynthOptions{}.seed));
    data_ = catalogue_->qDataDir();
  }

  void modelsPassTheModelTester() {
    // The tester re-checks every row on each change: a few hundred products keep it quick.
    ProductListModel model;
    QAbstractItemModelTester modelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ProductFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester filterTester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setProducts(fakeCatalogue(300), QStringLiteral("/nowhere"));
    filter.setCategory(QStringLiteral("bags"));
    filter.setAttribute(QStringLiteral("color"), QStringLiteral("red"));
    filter.setText(QStringLiteral("item 1"));
    filter.setCategory(QString());
    model.setProducts({}, QString());
    QCOMPARE(filter.rowCount(), 0);
  }

  void tenThousandProductsFilterCorrectly() {
    ProductListModel model;
    ProductFilterModel filter;
    filter.setSourceModel(&model);
    const auto products = fakeCatalogue(10000);
    model.setProducts(products, QStringLiteral("/nowhere"));
    QCOMPARE(model.rowCount(), 10000);
    QCOMPARE(filter.rowCount(), 10000);
    QCOMPARE(model.data(model.index(42), ProductListModel::IdRole).toString(), QStringLiteral("p42"));
    QVERIFY(model.data(model.index(42), Qt::ToolTipRole).toString().contains(QStringLiteral("brand")));
    QSet<QString> categories;
    for (const auto& p : products)
      for (const auto& c : p.categoryPath) categories.insert(QString::fromStdString(c));
    const QStringList listed = model.categories();
    QCOMPARE(listed.size(), categories.size());
    QVERIFY(std::is_sorted(listed.begin(), listed.end()));
    QCOMPARE(model.attributeValues().value(QStringLiteral("color")).size(), 7);

    auto expect = [&](auto pred) {
      int n = 0;
      for (const auto& p : products) n += pred(p) ? 1 : 0;
      return n;
    };
    auto visibleIds = [&] {
      QSet<QString> ids;
      for (int r = 0; r < filter.rowCount(); ++r)
        ids.insert(filter.data(filter.index(r, 0), ProductListModel::IdRole).toString());
      return ids;
    };

    filter.setCategory(QStringLiteral("bags"));
    QCOMPARE(filter.rowCount(), expect([](const Product& p) { return p.coarseCategory() == "bags"; }));
    filter.setAttribute(QStringLiteral("color"), QStringLiteral("navy"));
    const int bagsNavy = expect(
        [](const Product& p) { return p.coarseCategory() == "bags" && p.imageAttributes.at("color") == "navy"; });
    QCOMPARE(filter.rowCount(), bagsNavy);
    QVERIFY(bagsNavy > 0);
    for (const QString& id : visibleIds()) {
      const Product& p = products[size_t(id.mid(1).toInt())];
      QCOMPARE(p.coarseCategory(), std::string("bags"));
      QCOMPARE(p.imageAttributes.at("color"), std::string("navy"));
    }
    filter.setCategory(QString());
    filter.setAttribute(QStringLiteral("pattern"), QString());  // has the attribute at all
    QCOMPARE(filter.rowCount(), expect([](const Product& p) { return p.imageAttributes.count("pattern") > 0; }));
    filter.setAttribute(QStringLiteral("brand"), QStringLiteral("globex"));  // a title attribute
    QCOMPARE(filter.rowCount(), expect([](const Product& p) { return p.textAttributes.at("brand") == "globex"; }));
    filter.setText(QStringLiteral("ITEM 99"));
    QCOMPARE(filter.rowCount(), expect([](const Product& p) {
               return p.textAttributes.at("brand") == "globex" &&
                      QString::fromStdString(p.title).contains(QStringLiteral("item 99"), Qt::CaseInsensitive);
             }));
    filter.setAttribute(QString(), QString());
    filter.setText(QString());
    filter.setCategory(QStringLiteral("footwear-5"));  // a fine category
    QCOMPARE(filter.rowCount(), expect([](const Product& p) { return p.fineCategory() == "footwear-5"; }));
    filter.setCategory(QString());
    QCOMPARE(filter.rowCount(), 10000);
  }

  void thumbnailsLoadLazilyAndCorruptFilesGetAPlaceholder() {
    const auto ds = Dataset::load(data_.toStdString());
    ThumbnailCache cache(32, 8);
    ProductListModel model(&cache);
    model.setProducts(ds.products(), data_);
    const QModelIndex first = model.index(0);
    const QString file = model.imageFile(0);
    QVERIFY(!cache.contains(file));
    QSignalSpy ready(&model, &QAbstractItemModel::dataChanged);
    const QPixmap placeholder = model.data(first, Qt::DecorationRole).value<QPixmap>();
    QVERIFY(!placeholder.isNull());
    QTRY_VERIFY_WITH_TIMEOUT(cache.contains(file), 10000);
    QVERIFY(!ready.isEmpty());
    QCOMPARE(ready.first().at(0).value<QModelIndex>(), first);
    const QImage thumb = cache.thumbnail(file);
    QCOMPARE(std::max(thumb.width(), thumb.height()), 32);
    // The cache is bounded: asking for every product keeps at most `capacity`.
    for (int r = 0; r < model.rowCount(); ++r) cache.thumbnail(model.imageFile(r));
    QTRY_COMPARE_WITH_TIMEOUT(cache.pendingCount(), 0, 10000);
    QVERIFY(cache.cachedCount() <= 8);

    const QString junk = tmp_.filePath(QStringLiteral("junk.jpg"));
    std::ofstream(junk.toStdString()) << "not a jpeg";
    QVERIFY(cache.thumbnail(junk).isNull());
    QTRY_VERIFY_WITH_TIMEOUT(cache.contains(junk), 10000);
    QCOMPARE(cache.thumbnail(junk).width(), 32);  // grey placeholder, no retry storm
  }

  void tripletTable() {
    auto ds = std::make_shared<const Dataset>(Dataset::load(data_.toStdString()));
    ThumbnailCache cache(24);
    TripletListModel model(&cache);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSplit(ds, QStringLiteral("train"));
    QCOMPARE(model.rowCount(), int(ds->split("train").size()));
    QCOMPARE(model.columnCount(), 3);
    const Triplet& t = ds->split("train").front();
    QCOMPARE(model.data(model.index(0, TripletListModel::PositiveColumn), TripletListModel::ProductIdRole).toString(),
             QString::fromStdString(t.positiveId));
    QCOMPARE(model.data(model.index(0, TripletListModel::NegativeColumn), TripletListModel::ProductIdRole).toString(),
             QString::fromStdString(t.negativeId));
    model.setSplit(ds, QStringLiteral("no-such-split"));
    QCOMPARE(model.rowCount(), 0);
    model.setSplit(nullptr, QStringLiteral("train"));
    QCOMPARE(model.rowCount(), 0);
  }

  void viewShowsADatasetAndSendsTripletsToCompare() {
    DatasetView view;
    view.resize(1200, 800);
    view.show();
    view.openDataset(data_);
    QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 20000);
    const auto ds = Dataset::load(data_.toStdString());
    QCOMPARE(view.productModel()->rowCount(), int(ds.products().size()));
    QVERIFY(view.tripletModel()->rowCount() > 0);
    auto* table = view.findChild<QTableView*>(QStringLiteral("tripletTable"));
    QVERIFY(table);
    QSignalSpy spy(&view, &WorkbenchView::openRequested);
    QSignalSpy local(&view, &DatasetView::tripletActivated);
    Q_EMIT table->doubleClicked(view.tripletModel()->index(0, 1));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.first().at(0).toString(), QStringLiteral("compare"));
    const QVariantMap request = spy.first().at(1).toMap();
    QCOMPARE(request.value(QStringLiteral("triplet")).toString(), view.tripletModel()->split() + QStringLiteral(":0"));
    QCOMPARE(QFileInfo(request.value(QStringLiteral("dataset")).toString()).canonicalFilePath(),
             QFileInfo(data_).canonicalFilePath());
    QCOMPARE(local.count(), 1);

    // Filtering keeps the product shown while it passes and clears the detail when it does not.
    auto* grid = view.findChild<QListView*>(QStringLiteral("productGrid"));
    auto* title = view.findChild<QLabel*>(QStringLiteral("detailTitle"));
    QLineEdit* search = nullptr;
    for (auto* edit : view.findChildren<QLineEdit*>())
      if (edit->placeholderText().contains(QStringLiteral("Search"))) search = edit;
    QVERIFY(grid && title && search);
    const QModelIndex second = view.filterModel()->index(1, 0);
    grid->setCurrentIndex(second);
    const QString id = second.data(ProductListModel::IdRole).toString();
    QVERIFY(title->text().contains(id));
    search->setText(id);
    QVERIFY(view.filterModel()->rowCount() >= 1);
    QCOMPARE(grid->currentIndex().data(ProductListModel::IdRole).toString(), id);
    QVERIFY(title->text().contains(id));
    search->setText(QStringLiteral("no product has this text"));
    QCOMPARE(view.filterModel()->rowCount(), 0);
    QVERIFY2(!title->text().contains(id), qPrintable(title->text()));
    search->clear();

    view.openDataset(tmp_.filePath(QStringLiteral("missing")));
    QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 20000);
    QCOMPARE(view.productModel()->rowCount(), 0);  // and a message, no crash
  }
};

QTEST_MAIN(TestDatasetView)
#include "test_dataset_view.moc"
