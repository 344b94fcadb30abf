// Evaluation with planted answers: an embedder whose vectors are known puts
// each query's positive at a chosen rank, different per query modality, so
// the exact ranks, Recall@K, MRR and near-duplicate figures of every
// direction are known in advance. A direction that used the wrong queries
// (t->mm fed the mm queries) or the wrong gallery gets other numbers.
#include <QtTest>

#include <cmath>
#include <map>
#include <set>

#include "EvalFixture.h"
#include "training/eval/Evaluator.h"

using namespace moon;

namespace {

// 1-based rank planted for the query of split triplet `j` shown in modality `m`.
int plantedRank(std::size_t j, Modality m) { return 1 + int((j + std::size_t(m)) % 3); }

// cos(q, positive) − cos(q, near-duplicate) of the vectors plantedQuery() makes.
double plantedMargin(int rank) {
  if (rank == 1) return 1.0;
  return (0.5 - 1.0) / std::sqrt(rank == 2 ? 1.25 : 2.06);
}

class PlantedEmbedder {
 public:
  PlantedEmbedder(const Dataset& dataset, const std::string& split) : triplets_(dataset.split(split)) {
    for (const Product& p : productsOf(triplets_, dataset.products())) slot_.emplace(p.id, slot_.size());
  }

  std::size_t gallerySize() const { return slot_.size(); }
  int mismatches() const { return mismatches_; }

  EmbeddedItems operator()(const std::vector<Product>& items, const EmbedOptions& o) {
    std::vector<std::vector<float>> rows;
    EmbeddedItems out;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Product& item = items[i];
      std::vector<float> v(slot_.size(), 0.0f);
      if (item.id.rfind("query:", 0) == 0) {
        // queryItems() numbers the queries of one modality in split order.
        const std::size_t k = std::stoul(item.id.substr(6));
        const std::size_t j = nthOfModality(o.modality, k);
        const Query& q = triplets_[j].query;
        if (item.title != q.title.value_or("") || item.imagePath != q.imagePath.value_or("")) ++mismatches_;
        plantQuery(v, plantedRank(j, o.modality), triplets_[j]);
      } else if (o.modality == Modality::Text) {
        // Titles for t->i: rank 1 for even gallery slots, 2 for odd ones.
        const std::size_t g = slot_.at(item.id);
        if (g % 2 == 0) {
          v[g] = 1.0f;
        } else {
          v[(g + 1) % slot_.size()] = 1.0f;
          v[g] = 0.5f;
        }
      } else {
        v[slot_.at(item.id)] = 1.0f;  // the mm gallery and the images: one axis per product
      }
      rows.push_back(normalised(v));
      out.ids.push_back(item.id);
      out.itemIndex.push_back(i);
    }
    out.embeddings = EmbeddingMatrix::fromRows(rows);
    return out;
  }

  // The split's triplets whose query is shown in `m`, as the evaluator picks them.
  std::vector<std::size_t> ofModality(Modality m) const {
    std::vector<std::size_t> out;
    for (std::size_t j = 0; j < triplets_.size(); ++j)
      if (triplets_[j].query.modality == m) out.push_back(j);
    return out;
  }

 private:
  std::size_t nthOfModality(Modality m, std::size_t k) const { return ofModality(m).at(k); }

  // Rank 1: the positive alone. Rank 2: the near-duplicate above it. Rank 3:
  // the near-duplicate and one more product above it.
  void plantQuery(std::vector<float>& v, int rank, const Triplet& t) const {
    const std::size_t p = slot_.at(t.positiveId), n = slot_.at(t.negativeId);
    v[p] = rank == 1 ? 1.0f : 0.5f;
    if (rank >= 2) v[n] = 1.0f;
    if (rank == 3) {
      std::size_t x = 0;
      while (x == p || x == n) ++x;
      v[x] = 0.9f;
    }
  }

  static std::vector<float> normalised(std::vector<float> v) {
    double norm = 0;
    for (float x : v) norm += double(x) * x;
    for (float& x : v) x = float(x / std::sqrt(norm));
    return v;
  }

  const std::vector<Triplet>& triplets_;
  std::map<std::string, std::size_t> slot_;  // gallery product id -> axis
  int mismatches_ = 0;
};

// Products on one axis per fine category. The prototype fit (the train
// split's products, embedded multimodal) sits on each product's own axis; in
// every other call a product listed in `shownAs` sits on the axis of that
// category instead, so which gallery products come out right is planted.
class CategoryEmbedder {
 public:
  CategoryEmbedder(const Dataset& dataset, std::map<std::string, std::string> shownAs) : shownAs_(std::move(shownAs)) {
    for (const Product& p : dataset.products()) axis_.emplace(p.fineCategory(), axis_.size());
    for (const Product& p : productsOf(dataset.split("train"), dataset.products())) fitIds_.insert(p.id);
  }

  int fitCalls() const { return fitCalls_; }

  EmbeddedItems operator()(const std::vector<Product>& items, const EmbedOptions& o) {
    bool fit = o.modality == Modality::Multimodal && !items.empty();
    for (const Product& p : items) fit = fit && fitIds_.count(p.id) > 0;
    fitCalls_ += fit ? 1 : 0;
    std::vector<std::vector<float>> rows;
    EmbeddedItems out;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Product& p = items[i];
      std::string category = p.categoryPath.empty() ? std::string() : p.fineCategory();
      if (!fit && shownAs_.count(p.id)) category = shownAs_.at(p.id);
      std::vector<float> v(axis_.size(), 0.0f);
      v[axis_.count(category) ? axis_.at(category) : 0] = 1.0f;
      rows.push_back(v);
      out.ids.push_back(p.id);
      out.itemIndex.push_back(i);
    }
    out.embeddings = EmbeddingMatrix::fromRows(rows);
    return out;
  }

 private:
  std::map<std::string, std::string> shownAs_;  // product id -> category it is embedded as
  std::map<std::string, std::size_t> axis_;     // fine category -> axis
  std::set<std::string> fitIds_;
  int fitCalls_ = 0;
};

}  // namespace

class TestEvalPlanted : public QObject {
  Q_OBJECT
  std::unique_ptr<EvalFixture> fx_;

 private Q_SLOTS:
  void initTestCase() { fx_ = std::make_unique<EvalFixture>(60); }

  void everyDirectionGetsItsPlantedRanks() {
    PlantedEmbedder planted(fx_->dataset, "test");
    QVERIFY(planted.gallerySize() >= 3);
    Evaluator evaluator(fx_->dataset, fx_->tokenizer, fx_->microConfig().loader);
    EvaluatorOptions o;
    o.split = "test";
    o.classification = false;
    const EvaluationOutcome out =
        evaluator.evaluate([&](const auto& items, const auto& e) { return planted(items, e); }, false, o);
    QCOMPARE(planted.mismatches(), 0);  // every query was the triplet's own query
    QCOMPARE(out.galleryItems, planted.gallerySize());
    const EvaluationResult& r = out.result;

    // t->mm, i->mm, mm->mm: exact figures from the planted ranks.
    std::size_t ndTriplets = 0, ndWins = 0;
    double ndMargin = 0;
    int directions = 0;
    for (auto [m, name] : {std::pair{Modality::Text, "t->mm"}, std::pair{Modality::Image, "i->mm"},
                           std::pair{Modality::Multimodal, "mm->mm"}}) {
      const auto picked = planted.ofModality(m);
      if (picked.empty()) continue;
      ++directions;
      double r1 = 0, mrr = 0;
      for (std::size_t j : picked) {
        const int rank = plantedRank(j, m);
        r1 += rank == 1;
        mrr += 1.0 / rank;
        ndWins += rank == 1;
        ndMargin += plantedMargin(rank);
        ++ndTriplets;
      }
      const RetrievalReport* rep = nullptr;
      for (const auto& x : r.retrieval)
        if (x.name == name) rep = &x;
      QVERIFY2(rep, name);
      QCOMPARE(rep->queries, picked.size());
      QCOMPARE(rep->missing, std::size_t(0));
      QCOMPARE(rep->galleryItems, planted.gallerySize());
      QVERIFY2(std::abs(rep->recallAt1 - r1 / double(picked.size())) < 1e-9, name);
      QCOMPARE(rep->recallAt5, 1.0);  // every planted rank is at most 3
      QVERIFY2(std::abs(rep->mrr - mrr / double(picked.size())) < 1e-9, name);
      // Per query: the triplet it came from and its exact rank.
      std::size_t seen = 0;
      for (const QueryResult& q : r.perQuery)
        if (q.direction == name) {
          QCOMPARE(int(q.rank), plantedRank(q.index, m));
          QVERIFY(std::abs(q.margin - plantedMargin(int(q.rank))) < 1e-5);
          ++seen;
        }
      QCOMPARE(seen, picked.size());
    }
    QVERIFY(directions >= 2);
    QVERIFY(r.nearDuplicate.has_value());
    QCOMPARE(r.nearDuplicate->triplets, ndTriplets);
    QCOMPARE(r.nearDuplicate->wins, ndWins);
    QVERIFY(std::abs(r.nearDuplicate->meanMargin - ndMargin / double(ndTriplets)) < 1e-5);

    // t->i: titles planted at rank 1 (even slots) or 2 (odd); i->t: every image finds its own title first.
    const std::size_t g = planted.gallerySize();
    for (const auto& x : r.retrieval) {
      if (x.name == "t->i") {
        QCOMPARE(x.queries, g);
        QVERIFY(std::abs(x.recallAt1 - double((g + 1) / 2) / double(g)) < 1e-9);
        QVERIFY(std::abs(x.mrr - (double((g + 1) / 2) + 0.5 * double(g / 2)) / double(g)) < 1e-9);
      }
      if (x.name == "i->t") {
        QCOMPARE(x.queries, g);
        QCOMPARE(x.recallAt1, 1.0);
      }
    }
    QVERIFY(r.discRetrieval.empty());  // the planted model has no <disc_emb>
  }

  // Prototypes are fitted on the train split's products and score the test
  // gallery: every third gallery product (and any whose category train never
  // shows) is embedded as a category of another coarse class, so it must come
  // out wrong at both levels and the rest right. Fitting on the gallery, or
  // scoring the train products, gives other counts.
  void prototypeClassificationGetsItsPlantedCounts() {
    const Dataset& ds = fx_->dataset;
    const std::vector<Product> train = productsOf(ds.split("train"), ds.products());
    const std::vector<Product> gallery = productsOf(ds.split("test"), ds.products());
    std::set<std::string> seenFine, seenCoarse;
    for (const Product& p : train) {
      seenFine.insert(p.fineCategory());
      seenCoarse.insert(p.coarseCategory());
    }
    auto elsewhere = [&](const std::string& coarse) {
      for (const Product& p : train)
        if (p.coarseCategory() != coarse) return p.fineCategory();
      return std::string();
    };
    std::map<std::string, std::string> shownAs;
    std::size_t right = 0, unseenFine = 0, unseenCoarse = 0;
    for (std::size_t k = 0; k < gallery.size(); ++k) {
      const Product& p = gallery[k];
      unseenFine += seenFine.count(p.fineCategory()) ? 0 : 1;
      unseenCoarse += seenCoarse.count(p.coarseCategory()) ? 0 : 1;
      if (k % 3 == 0 || !seenFine.count(p.fineCategory())) {
        const std::string other = elsewhere(p.coarseCategory());
        QVERIFY2(!other.empty(), "the catalogue needs two coarse categories in train");
        shownAs[p.id] = other;
      } else {
        ++right;
      }
    }
    QVERIFY(right >= 2 && shownAs.size() >= 2);

    CategoryEmbedder planted(ds, shownAs);
    Evaluator evaluator(ds, fx_->tokenizer, fx_->microConfig().loader);
    EvaluatorOptions o;
    o.split = "test";
    const EvaluationResult r =
        evaluator.evaluate([&](const auto& items, const auto& e) { return planted(items, e); }, false, o).result;
    QCOMPARE(planted.fitCalls(), 1);
    QVERIFY(r.coarseCategory.has_value() && r.fineCategory.has_value());
    for (const ClassificationReport* c : {&*r.coarseCategory, &*r.fineCategory}) {
      const bool fine = c == &*r.fineCategory;
      QCOMPARE(c->items, gallery.size());
      QCOMPARE(c->correct, right);
      QCOMPARE(c->unseen, fine ? unseenFine : unseenCoarse);
      QCOMPARE(c->classes, fine ? seenFine.size() : seenCoarse.size());
      QVERIFY(std::abs(c->accuracy - double(right) / double(gallery.size())) < 1e-12);
    }
  }
};

QTEST_GUILESS_MAIN(TestEvalPlanted)
#include "test_eval_planted.moc"
