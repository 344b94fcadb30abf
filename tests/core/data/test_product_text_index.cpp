// core/data/ProductTextIndex: the Dataset view's search. Checked against a
// brute-force substring search of "title\nid" (ASCII case folded) on a catalogue with
// upper/lower case, non-ASCII titles and needles that sit at row boundaries.

#include <QtTest>

#include <algorithm>
#include <random>

#include "core/data/ProductTextIndex.h"

using namespace moon;

namespace {

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::vector<uint32_t> bruteForce(const std::vector<Product>& products, const std::string& needle) {
  std::vector<uint32_t> rows;
  const std::string n = lower(needle);
  for (uint32_t r = 0; r < products.size(); ++r)
    if (lower(products[r].title + "\n" + products[r].id).find(n) != std::string::npos) rows.push_back(r);
  return rows;
}

Product product(const std::string& id, const std::string& title) {
  Product p;
  p.id = id;
  p.title = title;
  return p;
}

std::vector<Product> catalogue(size_t n) {
  static const char* words[] = {"Red", "navy", "T-Shirt", "café", "Crème", "boot", "BAG", "cotton", "XL", "größe"};
  std::mt19937 rng(7);
  std::vector<Product> out;
  for (size_t i = 0; i < n; ++i) {
    std::string title;
    for (int w = 0; w < 4; ++w) title += std::string(w ? " " : "") + words[rng() % 10];
    out.push_back(product("P" + std::to_string(i), title));
  }
  return out;
}

}  // namespace

class TestProductTextIndex : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void matchesBruteForceSearch() {
    const auto products = catalogue(3000);
    const ProductTextIndex index(products);
    QCOMPARE(index.size(), products.size());
    for (const std::string needle : {"red", "RED", "Navy T", "t-shirt", "café", "CAFÉ", "crème", "p12", "P299", "xl p",
                                     "bag\nP", "zzz", "größe", "e"}) {
      const auto expected = bruteForce(products, needle);
      QCOMPARE(index.find(needle), expected);
    }
  }

  void nonAsciiLettersMatchOnlyInTheirOwnCase() {
    const std::vector<Product> products{product("a", "Café"), product("b", "CAFÉ")};
    const ProductTextIndex index(products);
    QCOMPARE(index.find("café"), (std::vector<uint32_t>{0}));  // 'É' is not folded to 'é'
    QCOMPARE(index.find("caf"), (std::vector<uint32_t>{0, 1}));
  }

  void aMatchNeverSpansTwoProducts() {
    // "ab" + id "x" | "cd": the end of one row and the start of the next do not join.
    const std::vector<Product> products{product("x", "ab"), product("y", "cd")};
    const ProductTextIndex index(products);
    QVERIFY(index.find("xcd").empty());
    QVERIFY(index.find("x\ncd").empty());
    QCOMPARE(index.find("ab\nx"), (std::vector<uint32_t>{0}));  // title and id of one product do
  }

  void narrowingWithinAnEarlierResultAgreesWithAFullSearch() {
    const auto products = catalogue(2000);
    const ProductTextIndex index(products);
    const auto shorter = index.find("c");  // café, crème, cotton
    QVERIFY(!shorter.empty());
    const auto narrowed = index.find("cotton", &shorter);
    QCOMPARE(narrowed, index.find("cotton"));
    QVERIFY(narrowed.size() < shorter.size());
  }

  void emptyNeedleMatchesEveryRowOrTheGivenOnes() {
    const auto products = catalogue(50);
    const ProductTextIndex index(products);
    QCOMPARE(index.find("").size(), size_t(50));
    const std::vector<uint32_t> some{3, 9, 40};
    QCOMPARE(index.find("", &some), some);
    QVERIFY(ProductTextIndex().find("red").empty());
    QCOMPARE(ProductTextIndex().size(), size_t(0));
  }
};

QTEST_GUILESS_MAIN(TestProductTextIndex)
#include "test_product_text_index.moc"
