// The failure list behind the Failures view: per-query results joined with
// the dataset, worst first, with the trace's attribute errors; its CSV; and
// finding and storing evaluations in the run store (no model is run here).

#include <QtTest>

#include <filesystem>

#include "SyntheticCatalogue.h"
#include "core/base/Error.h"
#include "core/data/TraceFormat.h"
#include "core/store/Workspace.h"
#include "training/eval/CheckpointEvaluation.h"
#include "training/eval/FailureList.h"

using namespace moon;
namespace fs = std::filesystem;

namespace {

QueryResult result(const Triplet& t, std::size_t index, const std::string& direction, std::size_t rank, double margin,
                   const std::string& trace = "") {
  QueryResult q;
  q.direction = direction;
  q.index = index;
  q.positive = t.positiveId;
  q.negative = t.negativeId;
  q.rank = rank;
  q.margin = margin;
  q.trace = trace;
  return q;
}

}  // namespace

class TestFailureList : public QObject {
  Q_OBJECT
  std::unique_ptr<test::SyntheticCatalogue> catalogue_;
  std::unique_ptr<Dataset> dataset_;
  std::string split_;

 private Q_SLOTS:
  void initTestCase() {
    SynthOptions o = test::smallCatalogue(24, 32, 5);
    o.testFraction = 0.3;
    catalogue_ = std::make_unique<test::SyntheticCatalogue>(o);
    dataset_ = std::make_unique<Dataset>(loadDatasetForSplit(catalogue_->dataDir(), "test", false));
    split_ = "test";
    QVERIFY(dataset_->split(split_).size() >= 5);
  }

  void worstFirstWithAttributeErrors() {
    const auto& t = dataset_->split(split_);
    QVERIFY(!t[1].query.attributes.empty());
    Attributes wrong = t[1].query.attributes;
    const std::string firstKey = wrong.begin()->first;
    wrong.begin()->second = "definitely-not-" + wrong.begin()->second;
    wrong.erase(std::next(wrong.begin()), wrong.end());  // every other labelled key is missing

    EvaluationResult e;
    e.perQuery = {result(t[0], 0, "t->mm", 3, 0.20),
                  result(t[1], 1, "mm->mm", 40, 0.05, formatTrace(wrong) + "</think>"),
                  result(t[2], 2, "i->mm", 0, 0.30),   // unranked: worst
                  result(t[3], 3, "t->mm", 3, -0.10),  // same rank as t[0], smaller margin
                  result(t[4], 4, "mm->mm", 1, 0.40, formatTrace(t[4].query.attributes))};
    QueryResult crossModal;  // t->i results are no triplets: left out
    crossModal.direction = "t->i";
    crossModal.rank = 99;
    e.perQuery.push_back(crossModal);

    const FailureList list = failureList(e, *dataset_, split_);
    QCOMPARE(list.mismatched, std::size_t(0));
    QCOMPARE(list.cases.size(), std::size_t(5));
    std::vector<std::size_t> order;
    for (const auto& c : list.cases) order.push_back(c.triplet);
    QCOMPARE(order, (std::vector<std::size_t>{2, 1, 3, 0, 4}));
    for (std::size_t i = 1; i < list.cases.size(); ++i) QVERIFY(!failsWorse(list.cases[i], list.cases[i - 1]));

    const FailureCase& bad = list.cases[1];
    QCOMPARE(bad.direction, std::string("mm->mm"));
    QVERIFY(bad.traceParsable);
    QCOMPARE(bad.attributesLabelled, t[1].query.attributes.size());
    QCOMPARE(bad.attributeErrors.size(), t[1].query.attributes.size());  // one wrong, the rest missing
    QCOMPARE(bad.attributeErrors.front().key, firstKey);
    QCOMPARE(bad.attributeErrors.front().predicted, "definitely-not-" + t[1].query.attributes.at(firstKey));
    for (std::size_t i = 1; i < bad.attributeErrors.size(); ++i) QVERIFY(bad.attributeErrors[i].predicted.empty());
    const std::string described = describeAttributeErrors(bad.attributeErrors);
    QVERIFY(described.rfind(firstKey + ": " + t[1].query.attributes.at(firstKey) + " \u2192 definitely-not-", 0) == 0);
    QCOMPARE(described.find("(none)") != std::string::npos, bad.attributeErrors.size() > 1);

    const FailureCase& good = list.cases.back();
    QVERIFY(good.attributeErrors.empty());
    QVERIFY(!good.missedAt(10));
    QVERIFY(list.cases[2].nearDuplicateAbove);
    QVERIFY(!list.cases[3].nearDuplicateAbove);
    QVERIFY(list.cases[0].missedAt(10) && list.cases[0].trace.empty() && list.cases[0].attributeErrors.empty());
    const Product* p = dataset_->findProduct(t[2].positiveId);
    QCOMPARE(list.cases[0].coarseCategory, p->coarseCategory());
    QCOMPARE(list.cases[0].queryTitle, t[2].query.title.value_or(""));
    QCOMPARE(list.cases[0].positiveImage, dataset_->imageFile(p->imagePath));
    QVERIFY(fs::is_regular_file(list.cases[0].positiveImage) && fs::is_regular_file(list.cases[0].negativeImage));
    QCOMPARE(list.cases[0].queryImage.empty(), !t[2].query.imagePath.has_value());
  }

  void resultsThatNoLongerMatchTheDatasetAreCounted() {
    const auto& t = dataset_->split(split_);
    EvaluationResult e;
    e.perQuery = {result(t[0], 0, "t->mm", 2, 0.1), result(t[1], t.size() + 7, "t->mm", 2, 0.1)};
    QueryResult moved = result(t[2], 2, "t->mm", 2, 0.1);
    moved.positive = "no-such-product";
    e.perQuery.push_back(moved);
    const FailureList list = failureList(e, *dataset_, split_);
    QCOMPARE(list.cases.size(), std::size_t(1));
    QCOMPARE(list.mismatched, std::size_t(2));
    QVERIFY_EXCEPTION_THROWN(failureList(e, *dataset_, "val"), ConfigError);  // not loaded
  }

  void csvHasOneRowPerCaseAndQuotes() {
    const auto& t = dataset_->split(split_);
    EvaluationResult e;
    e.perQuery = {result(t[0], 0, "t->mm", 12, -0.25, "color: red, \"dark\"; logo"), result(t[1], 1, "i->mm", 1, 0.5)};
    const std::string csv = failureCsv(failureList(e, *dataset_, split_).cases);
    QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), 3L);
    QVERIFY(csv.rfind("direction,triplet,query,", 0) == 0);
    QVERIFY(csv.find("\"color: red, \"\"dark\"\"; logo\"") != std::string::npos);
    QVERIFY(csv.find(",12,0,-0.250000,1,") != std::string::npos);
  }

  void storedEvaluationsAreFoundNewestFirstWithPerQueryResults() {
    const fs::path root = catalogue_->path("ws");
    Workspace ws = Workspace::open(root.string(), true);
    RunRecord run;
    run.name = "r";
    run.runDir = "runs/1";
    const int64_t runId = ws.store().createRun(run);
    fs::create_directories(root / "runs/1/checkpoints/step-5");
    ws.store().addCheckpoint({runId, 5, "checkpoints/step-5", 0.5, true, 0});

    const auto found =
        findRunCheckpoint(ws.store(), root, root / "runs" / "1" / "checkpoints" / ".." / "checkpoints" / "step-5");
    QVERIFY(found);
    QCOMPARE(found->step, int64_t(5));
    QVERIFY(!findRunCheckpoint(ws.store(), root, root / "elsewhere"));
    QVERIFY(!findStoredEvaluation(ws.store(), runId, 5, "test"));

    const auto& t = dataset_->split(split_);
    CheckpointEvaluation evaluation;
    evaluation.split = "test";
    evaluation.result.perQuery = {result(t[0], 0, "t->mm", 4, 0.1)};
    evaluation.json = evaluation.result.toJson();
    evaluation.json["data"] = catalogue_->dataDir();
    CheckpointEvaluation empty = evaluation;  // an older record without per-query results
    empty.result.perQuery.clear();
    empty.json = empty.result.toJson();

    const int64_t first = storeEvaluation(ws.store(), *found, evaluation);
    const int64_t second = storeEvaluation(ws.store(), *found, evaluation);
    storeEvaluation(ws.store(), *found, empty);
    CheckpointEvaluation val = evaluation;
    val.split = "val";
    storeEvaluation(ws.store(), *found, val);
    QVERIFY(second > first);

    const auto stored = findStoredEvaluation(ws.store(), runId, 5, "test");
    QVERIFY(stored);
    QCOMPARE(stored->id, second);
    const auto json = nlohmann::json::parse(stored->resultsJson);
    QCOMPARE(json.at("run").at("name").get<std::string>(), std::string("r"));
    QCOMPARE(json.at("data").get<std::string>(), catalogue_->dataDir());
    QCOMPARE(EvaluationResult::fromJson(json).perQuery.size(), std::size_t(1));
    QVERIFY(!findStoredEvaluation(ws.store(), runId, 6, "test"));
    QVERIFY(findStoredEvaluation(ws.store(), runId, 5, "val"));
  }
};

QTEST_APPLESS_MAIN(TestFailureList)
#include "test_failure_list.moc"
