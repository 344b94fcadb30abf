// Trace-form shares, bootstrap intervals on mean R@10, the paired difference
// the ablation table prints, and per-query results through the stored JSON.

#include <QtTest>

#include "core/base/Error.h"
#include "training/ablation/AblationTable.h"
#include "training/eval/EvaluationResult.h"
#include "training/eval/PairedBootstrap.h"
#include "training/eval/TraceReport.h"

using namespace moon;

namespace {

// `n` queries per direction; query i hits (rank 1) when i < hits, else misses (rank 50).
std::vector<QueryResult> planted(const std::vector<std::string>& directions, std::size_t n, std::size_t hits) {
  std::vector<QueryResult> out;
  for (const auto& d : directions)
    for (std::size_t i = 0; i < n; ++i) {
      QueryResult q;
      q.direction = d;
      q.index = i;
      q.rank = i < hits ? 1 : 50;
      q.discRank = i < hits / 2 ? 3 : 0;  // 0: missing from the gallery, never a hit
      out.push_back(q);
    }
  return out;
}

}  // namespace

class TestEvalBootstrap : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void traceReportCountsClosedAndParsable() {
    const TraceReport r = traceReport({"color: red; material: cotton", "color: red; material", ": : :", "color: blue"},
                                      {true, true, false, false});
    QCOMPARE(r.traces, std::size_t(4));
    QCOMPARE(r.closed, std::size_t(2));
    QCOMPARE(r.parsable, std::size_t(1));  // "material" has no value
    QCOMPARE(r.closedShare, 0.5);
    QCOMPARE(r.parsableShare, 0.25);
    QCOMPARE(traceReport({}, {}).closedShare, 0.0);
    QVERIFY_THROWS_EXCEPTION(FormatError, traceReport({"a: b"}, {}));
  }

  void bootstrapIntervalAroundTheMean() {
    // t->mm hits 30 of 100, i->mm 70 of 100: mean 0.5.
    auto queries = planted({"t->mm"}, 100, 30);
    for (auto q : planted({"i->mm"}, 100, 70)) queries.push_back(q);
    const BootstrapInterval b = bootstrapMeanRecall(queries, 10, RankKind::Emb, 500, 7);
    QCOMPARE(b.estimate, 0.5);
    QCOMPARE(b.resamples, std::size_t(500));
    QVERIFY(b.low < 0.5 && b.high > 0.5);
    // Binomial standard error of the mean of two directions: sqrt(.21/100 + .21/100)/2 = 0.032; the 95 % interval
    // spans about 4 of them.
    QVERIFY2(b.high - b.low > 0.08 && b.high - b.low < 0.18, QByteArray::number(b.high - b.low));
    // The same seed, the same interval; <disc_emb> ranks read separately (15 and 35 hits, rank 0 never a hit).
    QCOMPARE(bootstrapMeanRecall(queries, 10, RankKind::Emb, 500, 7).low, b.low);
    QCOMPARE(bootstrapMeanRecall(queries, 10, RankKind::Disc, 500, 7).estimate, 0.25);
    QCOMPARE(bootstrapMeanRecall(queries, 1, RankKind::Disc, 500, 7).estimate, 0.0);  // rank 3 > k = 1
  }

  void queriesOfOneProductAreResampledTogether() {
    // 200 queries, 5 per positive product, and a product's queries all hit or all miss: 40 independent trials,
    // not 200. The same hits with a positive per query (200 trials) give an interval about sqrt(5) narrower.
    auto clustered = planted({"mm->mm"}, 200, 100);
    auto independent = clustered;
    for (auto& q : clustered) q.positive = "p" + std::to_string(q.index / 5);
    for (auto& q : independent) q.positive = "p" + std::to_string(q.index);
    const BootstrapInterval c = bootstrapMeanRecall(clustered, 10, RankKind::Emb, 1000, 5);
    const BootstrapInterval i = bootstrapMeanRecall(independent, 10, RankKind::Emb, 1000, 5);
    QCOMPARE(c.estimate, 0.5);
    QCOMPARE(i.estimate, 0.5);
    const double ratio = (c.high - c.low) / (i.high - i.low);
    QVERIFY2(ratio > 1.8 && ratio < 2.8, QByteArray::number(ratio));
    // An evaluation reports the clustered interval with its mean.
    EvaluationResult e;
    e.perQuery = clustered;
    const BootstrapInterval reported = bootstrapMeanRecall(clustered);  // the defaults: 1,000 resamples, seed 1
    QVERIFY(e.meanRecallAt10Interval().has_value());
    QCOMPARE(e.meanRecallAt10Interval()->low, reported.low);
    const auto json = e.toJson();
    QCOMPARE(json.at("mean_recall@10_ci95").at(1).get<double>(), reported.high);
    QVERIFY2(e.formatTable().find("mean R@10 95 % interval: [") != std::string::npos, e.formatTable().c_str());
    QVERIFY(EvaluationResult{}.toJson().at("mean_recall@10_ci95").is_null());
    // Paired: the two sides must name the same positives.
    auto other = clustered;
    other[3].positive = "elsewhere";
    QVERIFY_THROWS_EXCEPTION(FormatError, pairedMeanRecallDifference(clustered, RankKind::Emb, other, RankKind::Emb));
  }

  void pairedDifferenceIsTightOnTheSameQueries() {
    const auto a = planted({"t->mm", "mm->mm"}, 200, 120);
    auto b = a;
    for (auto& q : b)
      if (q.index >= 100 && q.index < 120) q.rank = 11;  // b misses 20 of a's hits in each direction
    const BootstrapInterval d = pairedMeanRecallDifference(a, RankKind::Emb, b, RankKind::Emb, 10, 1000, 3);
    QCOMPARE(d.estimate, 0.1);
    QVERIFY(d.excludesZero());
    // Paired: only the 20 differing queries vary, so the interval is much narrower than two independent ones.
    const BootstrapInterval single = bootstrapMeanRecall(a, 10, RankKind::Emb, 1000, 3);
    QVERIFY(d.high - d.low < (single.high - single.low));
    const BootstrapInterval zero = pairedMeanRecallDifference(a, RankKind::Emb, a, RankKind::Emb);
    QCOMPARE(zero.low, 0.0);
    QCOMPARE(zero.high, 0.0);
    QVERIFY(!zero.excludesZero());
    // Not the same queries: an error, never a silently unpaired number.
    auto shuffled = a;
    std::swap(shuffled[0], shuffled[250]);
    QVERIFY_THROWS_EXCEPTION(FormatError, pairedMeanRecallDifference(a, RankKind::Emb, shuffled, RankKind::Emb));
    QVERIFY_THROWS_EXCEPTION(FormatError,
                             pairedMeanRecallDifference(a, RankKind::Emb, planted({"t->mm"}, 5, 1), RankKind::Emb));
  }

  void ablationTableShowsThePairedDifference() {
    EvaluationResult full, worse;
    full.perQuery = planted({"t->mm"}, 200, 120);
    worse.perQuery = full.perQuery;
    for (auto& q : worse.perQuery)
      if (q.index < 40) q.rank = 20;
    const std::string md = formatAblationMarkdown({{"full", full, 1}, {"−RL", worse, 1}});
    QVERIFY2(md.find(" — |") != std::string::npos, md.c_str());      // the reference row
    QVERIFY2(md.find("-20.0 [-") != std::string::npos, md.c_str());  // 40 of 200 fewer hits
    const std::string csv = formatAblationCsv({{"full", full, 1}, {"−RL", worse, 1}});
    QVERIFY2(csv.find(",-0.200000,") != std::string::npos, csv.c_str());
  }

  void thinkingGainIsEmbMinusDiscOnTheSameQueries() {
    EvaluationResult e;
    e.perQuery = planted({"t->mm", "mm->mm"}, 200, 120);  // <emb> hits 60 %, <disc_emb> 30 %
    QVERIFY(!e.thinkingGainInterval());                   // a model without <disc_emb> has no gain to report
    RetrievalReport disc;
    disc.name = "t->mm";
    e.discRetrieval = {disc};
    const auto gain = e.thinkingGainInterval();
    QVERIFY(gain);
    QCOMPARE(gain->estimate, 0.3);
    QVERIFY(gain->excludesZero());
    QVERIFY2(e.formatTable().find("(<emb> - <disc_emb>, mean R@10): +30.0 points") != std::string::npos,
             e.formatTable().c_str());
    QCOMPARE(e.toJson().at("thinking_gain@10").get<double>(), 0.3);
    const std::string md = formatAblationMarkdown({{"full", e, 1}});
    QVERIFY2(md.find("+30.0 [+") != std::string::npos, md.c_str());
    // Thinking that changes nothing reads as an unresolved zero.
    for (auto& q : e.perQuery) q.discRank = q.rank;
    QCOMPARE(e.thinkingGainInterval()->estimate, 0.0);
    QVERIFY(e.formatTable().find("not resolved") != std::string::npos);
  }

  void perQueryResultsSurviveTheStoredJson() {
    EvaluationResult e;
    e.perQuery = planted({"i->mm"}, 3, 2);
    e.perQuery[1].positive = "p-17";
    e.perQuery[1].negative = "p-18";
    e.perQuery[1].margin = -0.25;
    e.perQuery[1].trace = "color: red";
    TraceReport t;
    t.traces = 3;
    t.closed = 2;
    e.traces = t;
    const EvaluationResult back = EvaluationResult::fromJson(nlohmann::json::parse(e.toJson().dump()));
    QCOMPARE(back.perQuery.size(), std::size_t(3));
    QCOMPARE(back.perQuery[1].negative, std::string("p-18"));
    QCOMPARE(back.perQuery[1].margin, -0.25);
    QCOMPARE(back.perQuery[1].trace, std::string("color: red"));
    QCOMPARE(back.perQuery[2].rank, std::size_t(50));
    QCOMPARE(back.traces->closed, std::size_t(2));
    // An evaluation stored before per-query results existed still reads.
    nlohmann::json old = e.toJson();
    old.erase("per_query");
    old.erase("traces");
    old.erase("disc_retrieval");
    QVERIFY(EvaluationResult::fromJson(old).perQuery.empty());
  }
};

QTEST_APPLESS_MAIN(TestEvalBootstrap)
#include "test_eval_bootstrap.moc"
