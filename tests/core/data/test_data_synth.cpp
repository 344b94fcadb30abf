// The synthetic catalogue: deterministic bytes, the promised structure
// (categories, families split across train/val/test, near-duplicate
// negatives the query can tell apart) and decodable images of the right size.

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "DataTestFiles.h"
#include "core/base/Error.h"
#include "core/data/Dataset.h"
#include "core/data/DatasetLayout.h"
#include "core/image/ImageIo.h"
#include "core/synth/CatalogueGenerator.h"
#include "core/synth/CataloguePlan.h"

using namespace moon;
namespace fs = std::filesystem;

namespace {

SynthOptions small(uint64_t seed, int threads = 0) {
  SynthOptions o;
  o.products = 48;  // >= 8 families, so >= 8 categories (they come round-robin)
  o.seed = seed;
  o.imageSize = 64;
  o.threads = threads;
  return o;
}

// Relative path -> bytes of every file below `root`.
std::map<std::string, std::string> snapshot(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) files[fs::relative(e.path(), root).string()] = test::readBytes(e.path());
  return files;
}

std::set<std::string> words(const std::string& title) {
  std::set<std::string> out;
  std::string w;
  for (char c : title + " ") {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-') {
      w += char(std::tolower(static_cast<unsigned char>(c)));
    } else if (!w.empty()) {
      out.insert(w);
      w.clear();
    }
  }
  return out;
}

}  // namespace

class TestSynth : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  fs::path dirA_;
  Dataset dataset_;
  std::map<std::string, std::string> family_;  // product id -> family

  fs::path path(const std::string& name) const { return fs::path(tmp_.path().toStdString()) / name; }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    dirA_ = path("a");
    const SynthSummary s = generateCatalogue(dirA_.string(), small(5, 2));
    QVERIFY(!s.cancelled);
    QCOMPARE(s.products, size_t(48));
    DatasetOptions o;
    o.decodeImages = true;
    dataset_ = Dataset::load(dirA_.string(), o);
    std::istringstream in(test::readBytes(dirA_ / "products.jsonl"));
    for (std::string line; std::getline(in, line);) {
      const auto j = nlohmann::json::parse(line);
      family_[j.at("id")] = j.at("family");
    }
  }

  void sameSeedSameBytes() {
    // Different thread count too: work is split per item with per-item seeds.
    const fs::path b = path("b");
    generateCatalogue(b.string(), small(5, 1));
    const auto filesA = snapshot(dirA_), filesB = snapshot(b);
    QCOMPARE(filesA.size(), filesB.size());
    QVERIFY(filesA.size() > 48 + 4);
    for (const auto& [name, bytes] : filesA) {
      auto it = filesB.find(name);
      QVERIFY2(it != filesB.end(), name.c_str());
      QVERIFY2(it->second == bytes, ("differs: " + name).c_str());
    }
  }

  void otherSeedOtherCatalogue() {
    const fs::path c = path("c");
    generateCatalogue(c.string(), small(6));
    QVERIFY(test::readBytes(c / "products.jsonl") != test::readBytes(dirA_ / "products.jsonl"));
    QVERIFY(test::readBytes(c / "train.jsonl") != test::readBytes(dirA_ / "train.jsonl"));
    QVERIFY(test::readBytes(c / "images/p00001.jpg") != test::readBytes(dirA_ / "images/p00001.jpg"));
  }

  void loadsCleanWithExpectedCounts() {
    QVERIFY2(dataset_.report().clean(), dataset_.report().summary().c_str());
    QCOMPARE(dataset_.products().size(), size_t(48));
    size_t triplets = 0;
    for (const char* s : {"train", "val", "test"}) {
      QVERIFY2(!dataset_.split(s).empty(), s);
      triplets += dataset_.split(s).size();
    }
    QCOMPARE(triplets, size_t(48));  // one query per product
    QVERIFY(dataset_.split("train").size() > dataset_.split("test").size());
  }

  void moreTestQueriesLeaveTrainAndValAlone() {
    SynthOptions more = small(5, 2);
    more.testQueriesPerProduct = 3;
    const fs::path d = path("more-test");
    generateCatalogue(d.string(), more);
    for (const char* same : {"products.jsonl", "train.jsonl", "val.jsonl"})
      QVERIFY2(test::readBytes(d / same) == test::readBytes(dirA_ / same), same);
    const Dataset ds = Dataset::load(d.string(), DatasetOptions{});
    QVERIFY2(ds.report().clean(), ds.report().summary().c_str());
    const auto& test = ds.split("test");
    QCOMPARE(test.size(), 3 * dataset_.split("test").size());
    std::map<std::string, int> perPositive;
    std::set<std::string> images;
    for (const auto& t : test) {
      ++perPositive[t.positiveId];
      if (t.query.imagePath) QVERIFY2(images.insert(*t.query.imagePath).second, t.query.imagePath->c_str());
    }
    for (const auto& [id, n] : perPositive) QVERIFY2(n == 3, id.c_str());
    const auto meta = nlohmann::json::parse(test::readBytes(d / kSynthOptionsFile));
    QCOMPARE(meta.at("test_queries_per_product").get<int>(), 3);
    SynthOptions bad = small(5);
    bad.testQueriesPerProduct = 17;
    QVERIFY_EXCEPTION_THROWN(bad.validate(), ConfigError);
  }

  void categoriesAndAttributes() {
    std::set<std::string> fine, coarse, patterns, logos;
    for (const auto& p : dataset_.products()) {
      QCOMPARE(p.categoryPath.size(), size_t(2));
      fine.insert(p.fineCategory());
      coarse.insert(p.coarseCategory());
      patterns.insert(p.imageAttributes.at("pattern"));
      logos.insert(p.imageAttributes.at("logo"));
      for (const char* key : {"color", "pattern", "logo"}) QVERIFY(p.imageAttributes.count(key));
      for (const char* key : {"brand", "material", "season", "style"}) QVERIFY(p.textAttributes.count(key));
      // Text attributes are written in the title; image attributes are not.
      const auto titleWords = words(p.title);
      QVERIFY2(titleWords.count(p.textAttributes.at("brand")), p.title.c_str());
      QVERIFY2(titleWords.count(p.textAttributes.at("material")), p.title.c_str());
      QVERIFY2(!titleWords.count(p.imageAttributes.at("color")), p.title.c_str());
    }
    QVERIFY(fine.size() >= 8);
    QVERIFY(coarse.size() >= 2);
    QVERIFY(patterns.size() >= 3);
    QVERIFY(logos.count("none") && logos.size() >= 2);  // some products carry a logo, some do not
  }

  void splitsAreDisjointByFamily() {
    std::map<std::string, std::set<std::string>> familiesOf;
    for (const auto& name : dataset_.splitNames())
      for (const auto& t : dataset_.split(name)) {
        QCOMPARE(family_.at(t.positiveId), family_.at(t.negativeId));
        familiesOf[name].insert(family_.at(t.positiveId));
      }
    for (const char* a : {"train", "val", "test"})
      for (const char* b : {"train", "val", "test"}) {
        if (std::string(a) >= b) continue;
        for (const auto& f : familiesOf[a]) QVERIFY2(!familiesOf[b].count(f), (f + " in " + a + " and " + b).c_str());
      }
  }

  void negativesAreDistinguishableNearDuplicates() {
    std::set<Modality> modalities;
    for (const auto& name : dataset_.splitNames())
      for (const auto& t : dataset_.split(name)) {
        const Product* pos = dataset_.findProduct(t.positiveId);
        const Product* neg = dataset_.findProduct(t.negativeId);
        QVERIFY(pos && neg);
        QVERIFY(pos->categoryPath == neg->categoryPath);
        const auto diff = synth::differingKeys(pos->allAttributes(), neg->allAttributes());
        QVERIFY(diff.size() == 1 || diff.size() == 2);
        modalities.insert(t.query.modality);

        // What the query shows are the positive's values.
        for (const auto& [k, v] : t.query.attributes) QCOMPARE(pos->allAttributes().at(k), v);
        const bool hasImage = t.query.modality != Modality::Text;
        const bool hasText = t.query.modality != Modality::Image;
        QCOMPARE(bool(t.query.imagePath), hasImage);
        QCOMPARE(bool(t.query.title), hasText);
        if (hasImage)
          for (const auto& [k, v] : pos->imageAttributes) QCOMPARE(t.query.attributes.at(k), v);
        if (!hasText) QVERIFY(t.query.attributes == pos->imageAttributes);

        // The query shows at least one attribute in which the negative differs.
        bool distinguishable = false;
        for (const auto& k : diff) distinguishable |= t.query.attributes.count(k) > 0;
        QVERIFY2(distinguishable, (t.positiveId + " vs " + t.negativeId).c_str());
        if (t.query.modality == Modality::Image) {
          bool visible = false;
          for (const auto& k : diff) visible |= pos->imageAttributes.count(k) > 0;
          QVERIFY(visible);
        }
      }
    QCOMPARE(modalities.size(), size_t(3));
  }

  void nearDuplicatesDifferVisiblyOnlyWhenAnImageAttributeDiffers() {
    size_t visualPairs = 0, textPairs = 0;
    for (const auto& t : dataset_.split("train")) {
      const Product* pos = dataset_.findProduct(t.positiveId);
      const Product* neg = dataset_.findProduct(t.negativeId);
      const bool sameImage =
          test::readBytes(dataset_.imageFile(pos->imagePath)) == test::readBytes(dataset_.imageFile(neg->imagePath));
      const bool sameImageAttributes = pos->imageAttributes == neg->imageAttributes;
      // Family members are photographed alike: identical pictures exactly when nothing visible differs.
      QCOMPARE(sameImage, sameImageAttributes);
      (sameImageAttributes ? textPairs : visualPairs)++;
      // Titles differ exactly when a text attribute differs.
      QCOMPARE(pos->title == neg->title, pos->textAttributes == neg->textAttributes);
    }
    QVERIFY(visualPairs > 0);
    QVERIFY(textPairs > 0);
  }

  void imagesDecodeAtTheRightSize() {
    size_t queries = 0;
    for (const auto& p : dataset_.products()) {
      const cv::Mat img = readImageChecked(dataset_.imageFile(p.imagePath));
      QCOMPARE(img.cols, 64);
      QCOMPARE(img.rows, 64);
    }
    for (const auto& name : dataset_.splitNames())
      for (const auto& t : dataset_.split(name)) {
        if (!t.query.imagePath) continue;
        ++queries;
        const std::string file = dataset_.imageFile(*t.query.imagePath);
        QVERIFY2(file.find("images/queries/") != std::string::npos, file.c_str());
        const cv::Mat q = readImageChecked(file);
        QCOMPARE(q.size(), cv::Size(64, 64));
        // Another photo of the positive, not a copy of the catalogue picture.
        const cv::Mat g = readImageChecked(dataset_.imageFile(dataset_.findProduct(t.positiveId)->imagePath));
        QVERIFY(cv::norm(q, g, cv::NORM_L1) / (64.0 * 64 * 3) > 5.0);
      }
    QVERIFY(queries > 0);
  }

  void cancelLeavesNothing() {
    const fs::path d = path("cancelled");
    size_t calls = 0;
    bool sane = true;
    const SynthSummary s = generateCatalogue(d.string(), small(5), [&](size_t done, size_t total) -> bool {
      ++calls;
      sane &= done <= total;
      return done < 5;
    });
    QVERIFY(sane);
    QVERIFY(s.cancelled);
    QVERIFY(calls > 0);
    QVERIFY(!fs::exists(d));

    // An existing empty folder is kept, and left empty.
    fs::create_directories(d);
    QVERIFY(generateCatalogue(d.string(), small(5), [](size_t, size_t) { return false; }).cancelled);
    QVERIFY(fs::exists(d) && fs::is_empty(d));
  }

  void refusesNonEmptyFolderAndBadOptions() {
    QVERIFY_EXCEPTION_THROWN(generateCatalogue(dirA_.string(), small(5)), ConfigError);
    QVERIFY(fs::exists(dirA_ / "products.jsonl"));  // untouched
    SynthOptions tiny = small(5);
    tiny.products = 5;
    QVERIFY_EXCEPTION_THROWN(generateCatalogue(path("tiny").string(), tiny), ConfigError);
    SynthOptions huge = small(5);
    huge.imageSize = 4096;
    QVERIFY_EXCEPTION_THROWN(generateCatalogue(path("huge").string(), huge), ConfigError);
    QVERIFY(!fs::exists(path("tiny")) && !fs::exists(path("huge")));
  }
};

QTEST_APPLESS_MAIN(TestSynth)
#include "test_data_synth.moc"
