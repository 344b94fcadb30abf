#include "training/eval/EvaluationResult.h"

#include <cstdio>

#include "core/base/Error.h"
#include "training/eval/TextTable.h"

namespace moon {

namespace {

using nlohmann::json;
using Align = TextTable::Align;

// --- reading, with messages that name the key -------------------------------

const json& member(const json& object, const std::string& key, const std::string& where) {
  if (!object.is_object()) throw FormatError("evaluation result: '" + where + "' is not an object");
  auto it = object.find(key);
  if (it == object.end()) throw FormatError("evaluation result: missing key '" + where + "." + key + "'");
  return *it;
}

std::size_t readCount(const json& object, const std::string& key, const std::string& where) {
  const json& v = member(object, key, where);
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<long long>() >= 0))
    throw FormatError("evaluation result: '" + where + "." + key + "' must be a non-negative integer");
  return v.get<std::size_t>();
}

double readNumber(const json& object, const std::string& key, const std::string& where) {
  const json& v = member(object, key, where);
  if (!v.is_number()) throw FormatError("evaluation result: '" + where + "." + key + "' must be a number");
  return v.get<double>();
}

std::string readString(const json& object, const std::string& key, const std::string& where) {
  const json& v = member(object, key, where);
  if (!v.is_string()) throw FormatError("evaluation result: '" + where + "." + key + "' must be a string");
  return v.get<std::string>();
}

// Optional sections are null (or absent, for results written by older code).
const json* optionalSection(const json& object, const std::string& key) {
  auto it = object.find(key);
  return (it == object.end() || it->is_null()) ? nullptr : &*it;
}

// --- the sections -----------------------------------------------------------

json toJson(const RetrievalReport& r) {
  return {
      {"name", r.name},          {"queries", r.queries},    {"missing", r.missing},      {"gallery", r.galleryItems},
      {"recall@1", r.recallAt1}, {"recall@5", r.recallAt5}, {"recall@10", r.recallAt10}, {"mrr", r.mrr}};
}

RetrievalReport retrievalFromJson(const json& j, const std::string& where) {
  RetrievalReport r;
  r.name = readString(j, "name", where);
  r.queries = readCount(j, "queries", where);
  r.missing = readCount(j, "missing", where);
  r.galleryItems = readCount(j, "gallery", where);
  r.recallAt1 = readNumber(j, "recall@1", where);
  r.recallAt5 = readNumber(j, "recall@5", where);
  r.recallAt10 = readNumber(j, "recall@10", where);
  r.mrr = readNumber(j, "mrr", where);
  return r;
}

json toJson(const NearDuplicateReport& r) {
  return {{"triplets", r.triplets},
          {"skipped", r.skipped},
          {"wins", r.wins},
          {"accuracy", r.accuracy},
          {"mean_margin", r.meanMargin}};
}

NearDuplicateReport nearDuplicateFromJson(const json& j) {
  const std::string where = "near_duplicate";
  NearDuplicateReport r;
  r.triplets = readCount(j, "triplets", where);
  r.skipped = readCount(j, "skipped", where);
  r.wins = readCount(j, "wins", where);
  r.accuracy = readNumber(j, "accuracy", where);
  r.meanMargin = readNumber(j, "mean_margin", where);
  return r;
}

json toJson(const ClassificationReport& r) {
  return {{"items", r.items},
          {"correct", r.correct},
          {"unseen", r.unseen},
          {"classes", r.classes},
          {"accuracy", r.accuracy}};
}

ClassificationReport classificationFromJson(const json& j, const std::string& name) {
  const std::string where = "category." + name;
  ClassificationReport r;
  r.name = name;
  r.items = readCount(j, "items", where);
  r.correct = readCount(j, "correct", where);
  r.unseen = readCount(j, "unseen", where);
  r.classes = readCount(j, "classes", where);
  r.accuracy = readNumber(j, "accuracy", where);
  return r;
}

json toJson(const AttributeReport& r) {
  json perKey = json::array();
  for (const auto& k : r.perKey)
    perKey.push_back({{"key", k.key}, {"labelled", k.labelled}, {"correct", k.correct}, {"accuracy", k.accuracy}});
  return {{"items", r.items},         {"labelled", r.labelled},
          {"correct", r.correct},     {"unlabelled_predictions", r.unlabelledPredictions},
          {"micro", r.microAccuracy}, {"macro", r.macroAccuracy},
          {"per_key", perKey}};
}

AttributeReport attributesFromJson(const json& j) {
  const std::string where = "attributes";
  AttributeReport r;
  r.items = readCount(j, "items", where);
  r.labelled = readCount(j, "labelled", where);
  r.correct = readCount(j, "correct", where);
  r.unlabelledPredictions = readCount(j, "unlabelled_predictions", where);
  r.microAccuracy = readNumber(j, "micro", where);
  r.macroAccuracy = readNumber(j, "macro", where);
  const json& perKey = member(j, "per_key", where);
  if (!perKey.is_array()) throw FormatError("evaluation result: 'attributes.per_key' must be a list");
  for (std::size_t i = 0; i < perKey.size(); ++i) {
    const std::string at = "attributes.per_key[" + std::to_string(i) + "]";
    AttributeKeyAccuracy k;
    k.key = readString(perKey[i], "key", at);
    k.labelled = readCount(perKey[i], "labelled", at);
    k.correct = readCount(perKey[i], "correct", at);
    k.accuracy = readNumber(perKey[i], "accuracy", at);
    r.perKey.push_back(std::move(k));
  }
  return r;
}

std::string formatFixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

std::string formatPercent(double fraction) { return formatFixed(fraction * 100.0, 1); }

const RetrievalReport* EvaluationResult::findRetrieval(const std::string& name) const {
  for (const auto& r : retrieval)
    if (r.name == name) return &r;
  return nullptr;
}

std::optional<double> EvaluationResult::meanRecallAt10() const {
  double sum = 0.0;
  std::size_t n = 0;
  for (const auto& r : retrieval) {
    if (r.queries == 0) continue;
    sum += r.recallAt10;
    ++n;
  }
  if (n == 0) return std::nullopt;
  return sum / static_cast<double>(n);
}

json EvaluationResult::toJson() const {
  json out;
  out["retrieval"] = json::array();
  for (const auto& r : retrieval) out["retrieval"].push_back(moon::toJson(r));
  const auto mean = meanRecallAt10();
  out["mean_recall@10"] = mean ? json(*mean) : json(nullptr);
  out["near_duplicate"] = nearDuplicate ? moon::toJson(*nearDuplicate) : json(nullptr);
  out["category"] = {{"coarse", coarseCategory ? moon::toJson(*coarseCategory) : json(nullptr)},
                     {"fine", fineCategory ? moon::toJson(*fineCategory) : json(nullptr)}};
  out["attributes"] = attributes ? moon::toJson(*attributes) : json(nullptr);
  return out;
}

EvaluationResult EvaluationResult::fromJson(const json& j) {
  if (!j.is_object()) throw FormatError("evaluation result: expected a JSON object");
  EvaluationResult result;
  const json& retrieval = member(j, "retrieval", "result");
  if (!retrieval.is_array()) throw FormatError("evaluation result: 'retrieval' must be a list");
  for (std::size_t i = 0; i < retrieval.size(); ++i)
    result.retrieval.push_back(retrievalFromJson(retrieval[i], "retrieval[" + std::to_string(i) + "]"));
  if (const json* s = optionalSection(j, "near_duplicate")) result.nearDuplicate = nearDuplicateFromJson(*s);
  if (const json* category = optionalSection(j, "category")) {
    if (const json* s = optionalSection(*category, "coarse"))
      result.coarseCategory = classificationFromJson(*s, "coarse");
    if (const json* s = optionalSection(*category, "fine")) result.fineCategory = classificationFromJson(*s, "fine");
  }
  if (const json* s = optionalSection(j, "attributes")) result.attributes = attributesFromJson(*s);
  return result;
}

std::string EvaluationResult::formatTable() const {
  std::string out;
  if (!retrieval.empty()) {
    TextTable t({"Retrieval", "queries", "missing", "gallery", "R@1", "R@5", "R@10", "MRR"},
                {Align::Left, Align::Right, Align::Right, Align::Right, Align::Right, Align::Right, Align::Right,
                 Align::Right});
    for (const auto& r : retrieval) {
      if (r.queries == 0) {
        t.addRow({r.name, "0", "-", std::to_string(r.galleryItems), "-", "-", "-", "-"});
        continue;
      }
      t.addRow({r.name, std::to_string(r.queries), std::to_string(r.missing), std::to_string(r.galleryItems),
                formatPercent(r.recallAt1), formatPercent(r.recallAt5), formatPercent(r.recallAt10),
                formatFixed(r.mrr, 3)});
    }
    const auto mean = meanRecallAt10();
    t.addRow({"mean", "", "", "", "", "", mean ? formatPercent(*mean) : "-", ""});
    out += t.toText() + "(R@k in %, MRR in [0,1])\n";
  }
  if (nearDuplicate) {
    TextTable t({"Near-duplicate", "triplets", "skipped", "positive wins", "accuracy %", "mean margin"},
                {Align::Left, Align::Right, Align::Right, Align::Right, Align::Right, Align::Right});
    const auto& n = *nearDuplicate;
    t.addRow({"sim(q,p) > sim(q,n)", std::to_string(n.triplets), std::to_string(n.skipped), std::to_string(n.wins),
              n.triplets ? formatPercent(n.accuracy) : "-", n.triplets ? formatFixed(n.meanMargin, 4) : "-"});
    out += (out.empty() ? "" : "\n") + t.toText();
  }
  if (coarseCategory || fineCategory) {
    TextTable t({"Category", "items", "classes", "unseen", "correct", "accuracy %"},
                {Align::Left, Align::Right, Align::Right, Align::Right, Align::Right, Align::Right});
    for (const auto* c : {&coarseCategory, &fineCategory}) {
      if (!*c) continue;
      const auto& r = **c;
      t.addRow({r.name, std::to_string(r.items), std::to_string(r.classes), std::to_string(r.unseen),
                std::to_string(r.correct), r.items ? formatPercent(r.accuracy) : "-"});
    }
    out += (out.empty() ? "" : "\n") + t.toText();
  }
  if (attributes) {
    const auto& a = *attributes;
    TextTable t({"Attribute", "labelled", "correct", "accuracy %"},
                {Align::Left, Align::Right, Align::Right, Align::Right});
    for (const auto& k : a.perKey)
      t.addRow({k.key, std::to_string(k.labelled), std::to_string(k.correct), formatPercent(k.accuracy)});
    const bool any = a.labelled > 0;
    t.addRow({"micro (all pairs)", std::to_string(a.labelled), std::to_string(a.correct),
              any ? formatPercent(a.microAccuracy) : "-"});
    t.addRow({"macro (mean of keys)", "", "", any ? formatPercent(a.macroAccuracy) : "-"});
    out += (out.empty() ? "" : "\n") + t.toText();
    out += std::to_string(a.items) + " items; " + std::to_string(a.unlabelledPredictions) +
           " predicted attributes had no label\n";
  }
  if (out.empty()) out = "(nothing evaluated)\n";
  return out;
}

}  // namespace moon
