#include "core/synth/CataloguePlan.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "core/base/Error.h"
#include "core/data/DatasetLayout.h"
#include "core/synth/Rng.h"
#include "core/synth/TextWriter.h"
#include "core/synth/Vocabulary.h"

namespace moon::synth {
namespace {

// Independent random streams of one seed.
enum Stream : uint64_t { kFamilies = 1, kPose = 2, kNouns = 3, kTriplets = 4, kLooks = 5, kSplits = 6 };

struct Family {
  const CategorySpec* category;
  std::vector<Attributes> members;  // all attributes of each near-duplicate
  TitleLayout layout;
  std::string id;
  std::string split;
};

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::vector<std::string> concat(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

std::string pickValue(const AttributeSpec& spec, Rng& rng, const std::string& avoid = "") {
  std::vector<std::string> values;
  for (const auto& v : spec.values)
    if (v.value != avoid) values.push_back(v.value);
  // About half the products carry no logo; the rest one of the marks.
  if (spec.key == "logo" && avoid.empty() && rng.chance(0.5)) return "none";
  return rng.pick(values);
}

std::string numbered(char prefix, size_t n, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%c%0*zu", prefix, width, n);
  return buf;
}

// Members: a base product and variants that each change one attribute of it
// (a different attribute per variant), so any two members differ in one or
// two attributes. The first variant changes an image attribute, the second a
// text attribute, so every member has a near-duplicate an image can tell apart.
std::vector<Attributes> makeMembers(const CategorySpec& category, int size, Rng& rng) {
  Attributes base;
  for (const auto& spec : category.attributes) base[spec.key] = pickValue(spec, rng);
  std::vector<std::string> visual, text;
  for (const auto& spec : category.attributes)
    if (spec.values.size() > 1) (spec.visual ? visual : text).push_back(spec.key);

  std::vector<Attributes> members = {base};
  std::vector<std::string> used;
  for (int k = 1; k < size; ++k) {
    std::vector<std::string> pool;
    for (const auto& key : k == 1 ? visual : k == 2 ? text : concat(visual, text))
      if (!contains(used, key)) pool.push_back(key);
    if (pool.empty()) break;
    const std::string key = rng.pick(pool);
    used.push_back(key);
    Attributes variant = base;
    variant[key] = pickValue(category.attribute(key), rng, base.at(key));
    members.push_back(std::move(variant));
  }
  rng.shuffle(members);
  return members;
}

std::vector<Family> makeFamilies(const SynthOptions& o) {
  Rng rng(deriveSeed(o.seed, kFamilies, 0));
  const auto& categories = catalogueCategories();
  std::vector<size_t> order;
  std::vector<Family> families;
  int remaining = o.products;
  while (remaining > 0) {
    int size = std::min(remaining, rng.range(o.minFamily, o.maxFamily));
    if (remaining - size == 1) ++size;  // never leave a family of one
    remaining -= size;
    // Categories come round-robin in shuffled rounds, so every category appears.
    if (order.empty()) {
      for (size_t i = 0; i < categories.size(); ++i) order.push_back(i);
      rng.shuffle(order);
    }
    Family f;
    f.category = &categories[order.back()];
    order.pop_back();
    f.members = makeMembers(*f.category, size, rng);
    f.layout = makeTitleLayout(rng);
    f.id = numbered('f', families.size() + 1, 4);
    families.push_back(std::move(f));
  }
  return families;
}

void assignSplits(std::vector<Family>& families, const SynthOptions& o) {
  const size_t n = families.size();
  auto count = [n](double fraction) {
    return fraction <= 0 ? size_t(0) : std::max<size_t>(1, size_t(std::lround(n * fraction)));
  };
  const size_t test = count(o.testFraction), val = count(o.valFraction);
  if (test + val >= n)
    throw ConfigError("synthetic catalogue: " + std::to_string(o.products) + " products make only " +
                      std::to_string(n) + " families, too few for train, val and test; use more products");
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  Rng rng(deriveSeed(o.seed, kSplits, 0));
  rng.shuffle(order);
  for (size_t i = 0; i < n; ++i) families[order[i]].split = i < test ? "test" : i < test + val ? "val" : "train";
}

Attributes select(const Attributes& all, const CategorySpec& category, bool visual) {
  Attributes out;
  for (const auto& key : category.keys(visual)) out[key] = all.at(key);
  return out;
}

}  // namespace

std::vector<std::string> differingKeys(const Attributes& a, const Attributes& b) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : a) {
    auto it = b.find(key);
    if (it == b.end() || it->second != value) keys.push_back(key);
  }
  for (const auto& [key, value] : b)
    if (!a.count(key)) keys.push_back(key);
  return keys;
}

CataloguePlan planCatalogue(const SynthOptions& options) {
  options.validate();
  std::vector<Family> families = makeFamilies(options);
  assignSplits(families, options);

  CataloguePlan plan;
  plan.families = families.size();
  std::vector<std::vector<size_t>> memberIndex(families.size());
  const int idWidth = std::max(5, int(std::to_string(options.products).size()));
  for (size_t f = 0; f < families.size(); ++f) {
    const Family& family = families[f];
    const uint64_t pose = deriveSeed(options.seed, kPose, f);
    for (const Attributes& all : family.members) {
      PlannedProduct p;
      p.product.id = numbered('p', plan.products.size() + 1, idWidth);
      p.product.imagePath = std::string(kImagesDir) + "/" + p.product.id + ".jpg";
      p.product.categoryPath = {family.category->coarse, family.category->fine};
      p.product.imageAttributes = select(all, *family.category, true);
      p.product.textAttributes = select(all, *family.category, false);
      Rng nouns(deriveSeed(options.seed, kNouns, f));  // same nouns for the whole family
      p.product.title = writeTitle(family.layout, *family.category, p.product.textAttributes, nouns);
      p.family = family.id;
      p.split = family.split;
      p.poseSeed = pose;
      memberIndex[f].push_back(plan.products.size());
      plan.products.push_back(std::move(p));
    }
  }

  size_t tripletCount = 0;
  const int mostQueries = std::max(options.queriesPerProduct, options.testQueriesPerProduct);
  const int queryWidth = std::max(5, int(std::to_string(size_t(options.products) * mostQueries).size()));
  for (const char* split : kSplitNames) {
    for (size_t f = 0; f < families.size(); ++f) {
      if (families[f].split != split) continue;
      const CategorySpec& category = *families[f].category;
      for (size_t pi : memberIndex[f]) {
        for (int q = 0; q < options.queriesFor(split); ++q) {
          ++tripletCount;
          Rng rng(deriveSeed(options.seed, kTriplets, tripletCount));
          const Product& pos = plan.products[pi].product;
          const Attributes posAll = pos.allAttributes();
          Modality modality =
              std::array<Modality, 3>{Modality::Text, Modality::Image, Modality::Multimodal}[rng.below(3)];

          // Near-duplicates the query's modalities can tell apart.
          auto candidates = [&](Modality m) {
            std::vector<size_t> out;
            for (size_t ni : memberIndex[f]) {
              if (ni == pi) continue;
              const auto diff = differingKeys(posAll, plan.products[ni].product.allAttributes());
              if (diff.empty() || diff.size() > 2) continue;
              const bool visible = std::any_of(diff.begin(), diff.end(),
                                               [&](const std::string& k) { return pos.imageAttributes.count(k) > 0; });
              if (m == Modality::Image && !visible) continue;
              out.push_back(ni);
            }
            return out;
          };
          std::vector<size_t> negatives = candidates(modality);
          if (negatives.empty() && modality == Modality::Image) {
            modality = Modality::Multimodal;
            negatives = candidates(modality);
          }
          if (negatives.empty()) continue;  // cannot happen with families of two or more
          const size_t ni = rng.pick(negatives);
          const Product& neg = plan.products[ni].product;
          const auto diff = differingKeys(posAll, neg.allAttributes());
          std::vector<std::string> diffVisual, diffText;
          for (const auto& k : diff) (pos.imageAttributes.count(k) ? diffVisual : diffText).push_back(k);

          PlannedTriplet t;
          t.split = split;
          t.positive = pi;
          t.lookSeed = deriveSeed(options.seed, kLooks, tripletCount);
          t.triplet.positiveId = pos.id;
          t.triplet.negativeId = neg.id;
          t.triplet.query.modality = modality;
          if (modality != Modality::Image) {
            // The text names a differing attribute unless the image already shows one.
            std::vector<std::string> must;
            if (modality == Modality::Text)
              must = {rng.pick(diff)};
            else if (diffVisual.empty())
              must = {rng.pick(diffText)};
            const int extra = must.empty() ? rng.range(1, 3) : rng.range(1, 2);
            QueryText text = writeQueryText(category, posAll, must, extra, rng);
            t.triplet.query.title = text.text;
            t.triplet.query.attributes = text.mentioned;
          }
          if (modality != Modality::Text) {
            t.triplet.query.imagePath =
                std::string(kImagesDir) + "/queries/" + numbered('q', tripletCount, queryWidth) + ".jpg";
            for (const auto& [k, v] : pos.imageAttributes) t.triplet.query.attributes[k] = v;
          }
          plan.triplets.push_back(std::move(t));
        }
      }
    }
  }
  return plan;
}

}  // namespace moon::synth
