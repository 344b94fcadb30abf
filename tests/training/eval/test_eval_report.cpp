// EvaluationResult JSON round trip and terminal table; ablation Markdown and
// CSV writers.

#include <QtTest>

#include <fstream>
#include <sstream>

#include "core/base/Error.h"
#include "training/ablation/AblationTable.h"
#include "training/eval/EvaluationResult.h"
#include "training/eval/TextTable.h"

using namespace moon;

namespace {

RetrievalReport retrieval(const std::string& name, std::size_t queries, double r10) {
  RetrievalReport r;
  r.name = name;
  r.queries = queries;
  r.missing = 1;
  r.galleryItems = 80;
  r.recallAt1 = r10 / 4;
  r.recallAt5 = r10 / 2;
  r.recallAt10 = r10;
  r.mrr = r10 / 3;
  return r;
}

EvaluationResult sampleResult() {
  EvaluationResult e;
  e.retrieval = {retrieval("t->mm", 40, 0.5), retrieval("i->mm", 40, 0.75), retrieval("mm->mm", 40, 1.0),
                 retrieval("t->i", 40, 0.25), retrieval("i->t", 0, 0.0)};
  NearDuplicateReport n;
  n.triplets = 40;
  n.skipped = 2;
  n.wins = 30;
  n.accuracy = 0.75;
  n.meanMargin = 0.0625;
  e.nearDuplicate = n;
  ClassificationReport coarse;
  coarse.name = "coarse";
  coarse.items = 40;
  coarse.correct = 36;
  coarse.classes = 4;
  coarse.accuracy = 0.9;
  e.coarseCategory = coarse;
  ClassificationReport fine = coarse;
  fine.name = "fine";
  fine.correct = 20;
  fine.unseen = 3;
  fine.classes = 12;
  fine.accuracy = 0.5;
  e.fineCategory = fine;
  AttributeReport a;
  a.items = 40;
  a.labelled = 100;
  a.correct = 64;
  a.unlabelledPredictions = 7;
  a.microAccuracy = 0.64;
  a.macroAccuracy = 0.6;
  a.perKey = {{"color", 40, 30, 0.75}, {"pattern", 60, 34, 34.0 / 60}};
  e.attributes = a;
  return e;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Splits one RFC 4180 line (no embedded newlines).
std::vector<std::string> splitCsv(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        fields.back() += ch;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      fields.emplace_back();
    } else {
      fields.back() += ch;
    }
  }
  return fields;
}

std::string readFile(const QString& path) {
  std::ifstream in(path.toStdString(), std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

class TestEvalReport : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void meanRecallSkipsEmptyDirections() {
    const EvaluationResult e = sampleResult();
    QVERIFY(e.meanRecallAt10().has_value());
    QCOMPARE(*e.meanRecallAt10(), (0.5 + 0.75 + 1.0 + 0.25) / 4);
    QVERIFY(!EvaluationResult().meanRecallAt10().has_value());
    QVERIFY(e.findRetrieval("t->i") != nullptr);
    QVERIFY(e.findRetrieval("x->y") == nullptr);
  }

  void jsonRoundTrip() {
    const EvaluationResult e = sampleResult();
    const nlohmann::json j = e.toJson();
    QCOMPARE(j["retrieval"].size(), std::size_t(5));
    QCOMPARE(j["retrieval"][1]["name"].get<std::string>(), std::string("i->mm"));
    QCOMPARE(j["retrieval"][1]["recall@10"].get<double>(), 0.75);
    QCOMPARE(j["mean_recall@10"].get<double>(), 0.625);
    QCOMPARE(j["near_duplicate"]["mean_margin"].get<double>(), 0.0625);
    QCOMPARE(j["category"]["fine"]["unseen"].get<int>(), 3);
    QCOMPARE(j["attributes"]["per_key"][1]["key"].get<std::string>(), std::string("pattern"));

    // Through text, as the run store keeps it.
    const EvaluationResult back = EvaluationResult::fromJson(nlohmann::json::parse(j.dump()));
    QCOMPARE(back.toJson(), j);
    QCOMPARE(back.retrieval.size(), std::size_t(5));
    QCOMPARE(back.retrieval[3].recallAt5, 0.125);
    QCOMPARE(back.fineCategory->classes, std::size_t(12));
    QCOMPARE(back.attributes->perKey[0].correct, std::size_t(30));
  }

  void jsonWithoutOptionalSections() {
    EvaluationResult e;
    e.retrieval = {retrieval("t->mm", 3, 1.0)};
    const nlohmann::json j = e.toJson();
    QVERIFY(j["near_duplicate"].is_null());
    QVERIFY(j["attributes"].is_null());
    QVERIFY(j["category"]["coarse"].is_null());
    const EvaluationResult back = EvaluationResult::fromJson(j);
    QVERIFY(!back.nearDuplicate && !back.coarseCategory && !back.fineCategory && !back.attributes);
  }

  void jsonErrorsNameTheKey() {
    nlohmann::json j = sampleResult().toJson();
    j["retrieval"][2].erase("mrr");
    try {
      EvaluationResult::fromJson(j);
      QFAIL("expected FormatError");
    } catch (const FormatError& e) {
      QVERIFY2(std::string(e.what()).find("retrieval[2].mrr") != std::string::npos, e.what());
    }
    nlohmann::json k = sampleResult().toJson();
    k["attributes"]["micro"] = "high";
    try {
      EvaluationResult::fromJson(k);
      QFAIL("expected FormatError");
    } catch (const FormatError& e) {
      QVERIFY2(std::string(e.what()).find("attributes.micro") != std::string::npos, e.what());
    }
    QVERIFY_THROWS_EXCEPTION(FormatError, EvaluationResult::fromJson(nlohmann::json::array()));
  }

  void terminalTableIsAligned() {
    const std::string table = sampleResult().formatTable();
    const auto all = lines(table);
    // Retrieval section: header, rule, 5 directions, mean; right-aligned numbers end in one column.
    QVERIFY(all.size() > 8);
    QVERIFY(all[0].rfind("Retrieval", 0) == 0);
    const std::size_t width = displayWidth(all[0]);
    for (int i = 1; i <= 6; ++i) QCOMPARE(displayWidth(all[i]), width);
    QVERIFY(all[2].find("t->mm") == 0);
    QVERIFY(all[2].find("50.0") != std::string::npos);                            // R@10 of t->mm in %
    QVERIFY(all[2].find("0.167") != std::string::npos);                           // MRR
    QVERIFY(all[6].find("i->t") == 0 && all[6].find(" -") != std::string::npos);  // no queries
    QVERIFY(all[7].find("62.5") != std::string::npos);                            // mean R@10
    QVERIFY(table.find("75.0") != std::string::npos);                             // near-duplicate accuracy
    QVERIFY(table.find("0.0625") != std::string::npos);                           // margin
    QVERIFY(table.find("pattern") != std::string::npos);
    QVERIFY(table.find("56.7") != std::string::npos);  // pattern 34/60
    QCOMPARE(EvaluationResult().formatTable(), std::string("(nothing evaluated)\n"));
  }

  void textTableAlignsUtf8() {
    TextTable t({"name", "n"}, {TextTable::Align::Left, TextTable::Align::Right});
    t.addRow({"−MMF", "5"});
    t.addRow({"full", "12"});
    const auto text = lines(t.toText());
    QCOMPARE(text.size(), std::size_t(4));
    QCOMPARE(text[2], std::string("−MMF   5"));
    QCOMPARE(text[3], std::string("full  12"));
    const auto md = lines(t.toMarkdown());
    QCOMPARE(md[1], std::string("| ---- | --: |"));
    QCOMPARE(md[2], std::string("| −MMF |   5 |"));
  }

  void ablationMarkdown() {
    EvaluationResult noAttributes = sampleResult();
    noAttributes.attributes.reset();
    const std::vector<AblationRow> rows = {{"MOON3.0 (full)", sampleResult(), 3725.0},
                                           {"−reasoning | global", noAttributes, 42.4}};
    const auto md = lines(formatAblationMarkdown(rows));
    QVERIFY(md.size() >= 4);
    // Header, separator and one line per variant, all the same width and column count.
    const auto columns = [](const std::string& line) {
      std::size_t n = 0;
      for (std::size_t i = 0; i < line.size(); ++i)
        if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++n;
      return n;
    };
    for (int i = 0; i < 4; ++i) {
      QCOMPARE(columns(md[i]), std::size_t(17));
      QCOMPARE(displayWidth(md[i]), displayWidth(md[0]));
    }
    QVERIFY(md[0].find("R@10 t->mm") != std::string::npos);
    QVERIFY(md[0].find("train time") != std::string::npos);
    QVERIFY(md[1].find("---:") != std::string::npos);
    QVERIFY(md[2].find("MOON3.0 (full)") != std::string::npos);
    QVERIFY(md[2].find(" 62.5 |") != std::string::npos);  // mean R@10
    QVERIFY(md[2].find("0.0625") != std::string::npos);   // margin
    QVERIFY(md[2].find(" 64.0 |") != std::string::npos);  // attribute accuracy (micro)
    QVERIFY(md[2].find("1 h 02 min") != std::string::npos);
    QVERIFY(md[3].find("−reasoning \\| global") != std::string::npos);  // escaped pipe
    QVERIFY(md[3].find("n/a") != std::string::npos);                    // i->t had no queries, attributes not evaluated
    QVERIFY(md[3].find("42 s") != std::string::npos);
  }

  void ablationCsv() {
    EvaluationResult noAttributes = sampleResult();
    noAttributes.attributes.reset();
    const std::vector<AblationRow> rows = {{"full", sampleResult(), 100.04}, {"-RL, SFT only", noAttributes, 7}};
    const auto csv = lines(formatAblationCsv(rows));
    QCOMPARE(csv.size(), std::size_t(3));
    const auto header = splitCsv(csv[0]);
    QCOMPARE(header.size(), std::size_t(20));
    QCOMPARE(header[0], std::string("variant"));
    QCOMPARE(header[1], std::string("recall10_t2mm"));
    QCOMPARE(header[11], std::string("thinking_gain10"));
    QCOMPARE(header[19], std::string("train_seconds"));
    const auto full = splitCsv(csv[1]);
    QCOMPARE(full.size(), std::size_t(20));
    QCOMPARE(full[0], std::string("full"));
    QCOMPARE(std::stod(full[1]), 0.5);
    QVERIFY(full[5].empty());  // i->t: no queries
    QCOMPARE(std::stod(full[6]), 0.625);
    QVERIFY(full[7].empty());   // no per-query ranks: no paired difference
    QVERIFY(full[11].empty());  // no per-query ranks: no thinking gain either
    QCOMPARE(std::stod(full[15]), 0.0625);
    QCOMPARE(std::stod(full[18]), 0.64);
    QCOMPARE(full[19], std::string("100.0"));  // seconds, one decimal
    const auto rl = splitCsv(csv[2]);
    QCOMPARE(rl[0], std::string("-RL, SFT only"));  // quoted field survives the comma
    QVERIFY(csv[2].rfind("\"-RL, SFT only\",", 0) == 0);
    QCOMPARE(rl.size(), std::size_t(20));
    QVERIFY(rl[18].empty());
  }

  void writesBothFiles() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::vector<AblationRow> rows = {{"full", sampleResult(), 12}};
    const QString md = dir.filePath("ablation.md");
    const QString csv = dir.filePath("ablation.csv");
    writeAblationTables(rows, md.toStdString(), csv.toStdString());
    QCOMPARE(readFile(md), formatAblationMarkdown(rows));
    QCOMPARE(readFile(csv), formatAblationCsv(rows));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 2);  // no temporary file left
    QVERIFY_THROWS_EXCEPTION(
        IoError, writeAblationTables(rows, dir.filePath("missing/dir/a.md").toStdString(), csv.toStdString()));
  }

  void durations() {
    QCOMPARE(formatDuration(0.4), std::string("0 s"));
    QCOMPARE(formatDuration(59.4), std::string("59 s"));
    QCOMPARE(formatDuration(187), std::string("3 min 07 s"));
    QCOMPARE(formatDuration(7500), std::string("2 h 05 min"));
    QCOMPARE(formatDuration(-1), std::string("n/a"));
  }
};

QTEST_GUILESS_MAIN(TestEvalReport)
#include "test_eval_report.moc"
