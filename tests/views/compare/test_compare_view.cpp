// The Compare view on a micro checkpoint: a triplet computed on a worker
// thread, token selection moving the heat map, exports, bad checkpoints and
// images shown as messages, cancel, and the shell wiring (view order,
// requests from the Dataset view).

#include <QtTest/QtTest>

#include <QFile>
#include <QImage>
#include <QLabel>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextBrowser>

#include <algorithm>
#include <fstream>

#include "CompareFixture.h"
#include "core/data/Dataset.h"
#include "views/common/WorkbenchView.h"
#include "views/compare/CompareController.h"
#include "views/compare/CompareSlotPanel.h"
#include "views/compare/CompareView.h"
#include "views/compare/WhyClosePanel.h"
#include "views/shell/MainWindow.h"
#include "views/shell/StandardViews.h"

using namespace moon;
namespace fs = std::filesystem;

class TestCompareView : public QObject {
  Q_OBJECT

  std::unique_ptr<test::CompareFixture> fx_;
  QString split_;

  QString q(const std::string& s) { return QString::fromStdString(s); }

  // Trace tokens whose tooltip (as the document parsed it) says they were copied.
  static int copiedTokenTips(const CompareSlotPanel& panel) {
    auto* trace = panel.findChild<QTextBrowser*>();
    if (!trace) return -1;
    int tips = 0;
    for (QTextBlock block = trace->document()->begin(); block.isValid(); block = block.next())
      for (auto it = block.begin(); !it.atEnd(); ++it)
        tips += it.fragment().charFormat().toolTip().startsWith(QStringLiteral("copied from the title ("));
    return tips;
  }

  void loadTriplet(CompareView& view) {
    view.setDataset(q(fx_->dataset()));
    view.setCheckpoint(q(fx_->modelCheckpoint()));
    view.showTriplet(split_, 0);
    QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 60000);
    QVERIFY2(view.message().isEmpty(), qPrintable(view.message()));
    QVERIFY(view.result());
  }

 private Q_SLOTS:
  void initTestCase() {
    fx_ = std::make_unique<test::CompareFixture>();
    split_ = q(fx_->tripletSplit());
    QVERIFY(!split_.isEmpty());
  }

  void comparesATripletOffTheGuiThread() {
    CompareView view;
    view.resize(1400, 1000);
    view.show();
    view.setDataset(q(fx_->dataset()));
    view.setCheckpoint(q(fx_->modelCheckpoint()));
    view.showTriplet(split_, 0);
    QVERIFY(!view.isReady());  // work was handed to jobs, not done here
    QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 60000);
    QVERIFY2(view.message().isEmpty(), qPrintable(view.message()));
    const ComparisonResult* r = view.result();
    QVERIFY(r);
    int copiedMarks = 0;
    for (int s = 0; s < kCompareSlots; ++s) {
      const ViewResult& v = r->slots[size_t(s)].multimodal;
      QVERIFY(!v.traceText.empty());
      QVERIFY(!view.slotPanel(s)->shownImage().isNull());
      const QString html = view.slotPanel(s)->traceHtml();
      QVERIFY(html.contains(QStringLiteral("token:0")));
      // Every token the copy head took from the title (and only those) is marked.
      QCOMPARE(v.traceCopyShare.size(), v.traceTokens.size());
      const auto copied = std::count_if(v.traceCopyShare.begin(), v.traceCopyShare.end(),
                                        [](float share) { return share >= CompareSlotPanel::kCopiedShare; });
      QCOMPARE(copiedTokenTips(*view.slotPanel(s)), int(copied));
      copiedMarks += int(copied);
    }
    QVERIFY(copiedMarks > 0);  // a fresh copy head copies (its gate starts half open)
    // Both embeddings' margins side by side: with the trace (<emb>) and without it (<disc_emb>).
    auto* details = view.findChild<QLabel*>(QStringLiteral("marginDetails"));
    QVERIFY(details);
    const CompareMargin* mm = r->margin(Modality::Multimodal);
    QVERIFY(mm->discValid());
    QVERIFY2(details->text().contains(QStringLiteral("without the trace")), qPrintable(details->text()));
    QVERIFY2(details->text().contains(QString::asprintf("%+.4f", double(mm->discMargin))), qPrintable(details->text()));
    // Clicking another token redraws the heat map.
    CompareSlotPanel* panel = view.slotPanel(1);
    HeatmapStyle style;
    style.layer = 0;
    style.head = 0;
    style.opacity = 0.8;
    view.setHeatmapStyle(style);
    view.selectToken(1, 0);
    const QImage first = panel->shownImage();
    view.selectToken(1, 1);
    QVERIFY(panel->shownImage() != first);
    QCOMPARE(panel->selectedToken(), 1);
    style.show = false;
    view.setHeatmapStyle(style);
    const QImage plain = panel->shownImage();
    view.selectToken(1, 0);
    QCOMPARE(panel->shownImage(), plain);  // without the overlay the token does not matter
  }

  void exportsAreValidFiles() {
    CompareView view;
    view.resize(1400, 1000);
    view.show();
    loadTriplet(view);
    QTemporaryDir out;
    QString error;
    const QString png = out.filePath(QStringLiteral("c.png")), pdf = out.filePath(QStringLiteral("c.pdf")),
                  json = out.filePath(QStringLiteral("c.json"));
    QVERIFY2(view.exportPng(png, &error), qPrintable(error));
    QVERIFY2(view.exportPdf(pdf, &error), qPrintable(error));
    QVERIFY2(view.exportJson(json, &error), qPrintable(error));
    const QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= view.figure()->width());
    QFile p(pdf);
    QVERIFY(p.open(QIODevice::ReadOnly));
    QVERIFY(p.read(4) == "%PDF");
    QVERIFY(p.size() > 1000);
    QFile j(json);
    QVERIFY(j.open(QIODevice::ReadOnly));
    const auto parsed = nlohmann::json::parse(j.readAll().toStdString());
    for (const char* key : {"slots", "attributes", "similarity", "margins", "checkpoint"})
      QVERIFY2(parsed.contains(key), key);
    QCOMPARE(parsed["similarity"]["matrix"].size(), size_t(9));
    QVERIFY(!view.exportPng(out.filePath(QStringLiteral("no/such/dir/c.png")), &error));
    QVERIFY(!error.isEmpty());
  }

  void whyCloseAttributesAndReembeds() {
    CompareView view;
    view.resize(1400, 1000);
    view.show();
    loadTriplet(view);
    const QImage attention = view.slotPanel(2)->shownImage();
    WhyClosePanel* why = view.whyClose();
    why->setAttributionShown(true);
    QVERIFY(!view.isReady());  // computed in a job
    QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 60000);
    QVERIFY2(why->messageText().isEmpty(), qPrintable(why->messageText()));
    const auto& a = why->attributions();
    QVERIFY(a[0] && a[1]);
    const auto dot = [](const std::vector<float>& x, const std::vector<float>& y) {
      float s = 0;
      for (std::size_t i = 0; i < x.size(); ++i) s += x[i] * y[i];
      return s;
    };
    const ComparisonResult* r = view.result();
    QVERIFY(std::abs(a[0]->cosine - dot(r->slots[0].multimodal.embedding, r->slots[1].multimodal.embedding)) < 1e-4);
    QVERIFY(view.slotPanel(2)->shownImage() != attention);  // the attribution map, not attention
    QVERIFY(view.slotPanel(0)->traceHtml().contains(QStringLiteral("What moves")));
    // The JSON export carries the attributions.
    const QString json = q(fx_->path("why.json"));
    QString error;
    QVERIFY2(view.exportJson(json, &error), qPrintable(error));
    QFile file(json);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto parsed = nlohmann::json::parse(file.readAll().toStdString());
    QCOMPARE(parsed.at("attribution").at("ground_truth").at("patches").size(), a[0]->patches.size());
    QVERIFY(parsed.at("attribution").contains("near_duplicate"));
    why->setAttributionShown(false);
    QCOMPARE(view.slotPanel(2)->shownImage(), attention);

    // A counterfactual trace: cosines before are the comparison's; the catalogue's top 10 is searched.
    why->explainTrace(QStringLiteral("color: blue; logo: none"));
    QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 60000);
    QVERIFY2(why->counterfactual().has_value(), qPrintable(why->messageText()));
    const CounterfactualResult& c = *why->counterfactual();
    QVERIFY(std::abs(c.before[1] - dot(r->slots[0].multimodal.embedding, r->slots[2].multimodal.embedding)) < 1e-4);
    QVERIFY(c.after[0] != c.before[0] || c.after[1] != c.before[1]);
    QCOMPARE(c.entered.size(), c.left.size());  // ten in, ten out
    QVERIFY2(c.galleryNote.contains(QStringLiteral("products")), qPrintable(c.galleryNote));

    // Cancel: a re-embedding stopped at once (it checks after the model's forward pass) says so.
    why->explainTrace(QStringLiteral("color: red"));
    why->cancel();
    QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 60000);
    QVERIFY2(why->messageText().contains(QStringLiteral("canceled")), qPrintable(why->messageText()));

    // A new comparison clears both.
    view.regenerate();
    QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 60000);
    QVERIFY(!why->attributions()[0] && !why->counterfactual());
  }

  void productsRequestFillsTheSlots() {
    CompareView view;
    DatasetOptions o;
    o.requiredSplits = {};
    o.logReport = false;
    const Dataset ds = Dataset::load(fx_->dataset(), o);
    const auto& p = ds.products();
    QVERIFY(view.handleRequest({{QStringLiteral("checkpoint"), q(fx_->modelCheckpoint())},
                                {QStringLiteral("dataset"), q(fx_->dataset())},
                                {QStringLiteral("products"), q(p[3].id + "," + p[0].id + ",no-such-id")}}));
    QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 60000);
    QCOMPARE(view.controller().input(0).id, p[3].id);
    QCOMPARE(view.controller().input(0).title, p[3].title);
    QVERIFY(!view.controller().input(0).image.empty());
    QCOMPARE(view.controller().input(1).id, p[0].id);
    QVERIFY(view.controller().input(2).empty());
    QVERIFY(view.result());  // two slots are enough to compare
    // With the model loaded, a missing id is named (a loading checkpoint clears earlier notes).
    view.controller().showProducts({q(p[1].id), q(p[2].id), QStringLiteral("no-such-id")});
    QVERIFY2(view.message().contains(QStringLiteral("no-such-id")), qPrintable(view.message()));
    QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 60000);
  }

  void badCheckpointAndImageAreMessages() {
    CompareView view;
    loadTriplet(view);
    const fs::path bad = fx_->path("truncated-view");
    fs::copy(fx_->modelCheckpoint(), bad, fs::copy_options::recursive);
    fs::resize_file(bad / "model.safetensors", 100);
    view.setCheckpoint(q(bad.string()));
    QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 30000);
    QVERIFY(view.message().contains(QStringLiteral("model.safetensors")));
    QVERIFY(!view.result());  // the old result is not passed off as this checkpoint's

    view.setCheckpoint(q(fx_->path("does-not-exist")));
    QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 30000);
    QVERIFY(view.message().contains(QStringLiteral("does-not-exist")));

    const std::string junk = fx_->path("junk.png");
    std::ofstream(junk) << "\x89PNG\r\n\x1a\n garbage";
    QVERIFY(!view.setSlotImageFile(0, q(junk)));
    QVERIFY(view.message().contains(QStringLiteral("junk.png")));

    // A good checkpoint again recovers.
    view.setCheckpoint(q(fx_->modelCheckpoint()));
    QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 60000);
    QVERIFY(view.message().isEmpty());
    QVERIFY(view.result());
  }

  void ownInputAndOutOfRangeTriplet() {
    CompareView view;
    loadTriplet(view);
    view.setSlotTitle(0, QStringLiteral("red striped shirt"));
    QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 60000);
    QCOMPARE(view.result()->slots[0].input.title, std::string("red striped shirt"));
    QVERIFY(!view.result()->slots[0].input.truth);  // the user's own input has no known attributes
    view.showTriplet(split_, 100000);
    QVERIFY(view.message().contains(QStringLiteral("out of range")));
    QVERIFY(view.handleRequest({{QStringLiteral("triplet"), QStringLiteral("%1:0").arg(split_)}}));
    QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 60000);
    QVERIFY(view.message().isEmpty());
    QVERIFY(view.handleRequest({{QStringLiteral("triplet"), QStringLiteral("x:y:z")}}));
    QVERIFY(view.message().contains(QStringLiteral("not a triplet")));
  }

  // `moon-workbench --checkpoint C --triplet N` in a workspace without
  // datasets: the triplet waits for the dataset the checkpoint's run names.
  void requestedTripletWaitsForTheCheckpointsDataset() {
    CompareView view;
    QVERIFY(view.handleRequest({{QStringLiteral("checkpoint"), q(fx_->trainingCheckpoint())},
                                {QStringLiteral("triplet"), QStringLiteral("%1:0").arg(split_)}}));
    QTRY_VERIFY_WITH_TIMEOUT(view.isReady() && view.result(), 60000);
    QVERIFY2(view.message().isEmpty(), qPrintable(view.message()));
    QVERIFY(!view.result()->slots[0].multimodal.traceText.empty());
  }

  void cancelLeavesTheViewUsable() {
    CompareView view;
    loadTriplet(view);
    view.regenerate();
    QTRY_VERIFY_WITH_TIMEOUT(!view.isReady(), 5000);
    view.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 30000);
    view.regenerate();
    QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 60000);
    QVERIFY(view.result());
  }

  void shellOrdersViewsAndForwardsRequests() {
    MainWindow w(standardViews());
    const QStringList ids = w.viewIds();
    QVERIFY(ids.indexOf(QStringLiteral("overview")) < ids.indexOf(QStringLiteral("compare")));
    QVERIFY(ids.indexOf(QStringLiteral("compare")) < ids.indexOf(QStringLiteral("dataset")));
    auto* compare = qobject_cast<CompareView*>(w.view(QStringLiteral("compare")));
    QVERIFY(compare);
    compare->setCheckpoint(q(fx_->modelCheckpoint()));
    // What the Dataset view sends on a double-click.
    Q_EMIT w.view(QStringLiteral("dataset"))
        ->openRequested(QStringLiteral("compare"), {{QStringLiteral("dataset"), q(fx_->dataset())},
                                                    {QStringLiteral("triplet"), split_ + QStringLiteral(":0")}});
    QCOMPARE(w.currentViewId(), QStringLiteral("compare"));
    QTRY_VERIFY_WITH_TIMEOUT(compare->isReady() && compare->result(), 60000);
  }
};

QTEST_MAIN(TestCompareView)
#include "test_compare_view.moc"
