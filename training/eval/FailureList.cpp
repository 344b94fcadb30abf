#include "training/eval/FailureList.h"

#include <algorithm>
#include <limits>
#include <tuple>

#include "core/base/Error.h"
#include "core/data/TraceFormat.h"
#include "training/eval/AttributeAccuracy.h"
#include "training/eval/TextTable.h"

namespace moon {
namespace {

bool isTripletDirection(const std::string& d) { return d == "t->mm" || d == "i->mm" || d == "mm->mm"; }

// Unranked sorts past every real rank.
std::size_t sortRank(std::size_t rank) { return rank == 0 ? std::numeric_limits<std::size_t>::max() : rank; }

std::vector<AttributeError> attributeErrors(const Attributes& labelled, const Attributes& predicted) {
  std::vector<AttributeError> out;
  for (const auto& [key, value] : labelled) {
    const auto p = predicted.find(key);
    if (p == predicted.end())
      out.push_back({key, value, ""});
    else if (normalizeAttributeValue(p->second) != normalizeAttributeValue(value))
      out.push_back({key, value, p->second});
  }
  return out;
}

}  // namespace

bool failsWorse(const FailureCase& a, const FailureCase& b) {
  const std::size_t ra = sortRank(a.rank), rb = sortRank(b.rank);
  if (ra != rb) return ra > rb;
  if (a.margin != b.margin) return a.margin < b.margin;
  return std::tie(a.direction, a.triplet) < std::tie(b.direction, b.triplet);
}

FailureList failureList(const EvaluationResult& evaluation, const Dataset& dataset, const std::string& split) {
  const auto names = dataset.splitNames();
  if (std::find(names.begin(), names.end(), split) == names.end())
    throw ConfigError(dataset.dir() + ": the dataset has no split '" + split + "' loaded");
  const std::vector<Triplet>& triplets = dataset.split(split);
  FailureList out;
  for (const QueryResult& q : evaluation.perQuery) {
    if (!isTripletDirection(q.direction)) continue;
    if (q.index >= triplets.size() || triplets[q.index].positiveId != q.positive) {
      ++out.mismatched;
      continue;
    }
    const Triplet& t = triplets[q.index];
    FailureCase c;
    c.direction = q.direction;
    c.triplet = q.index;
    c.queryTitle = t.query.title.value_or("");
    c.positive = q.positive;
    c.negative = q.negative;
    if (t.query.imagePath) c.queryImage = dataset.imageFile(*t.query.imagePath);
    if (const Product* p = dataset.findProduct(q.positive)) {
      c.coarseCategory = p->coarseCategory();
      c.fineCategory = p->fineCategory();
      if (!p->imagePath.empty()) c.positiveImage = dataset.imageFile(p->imagePath);
    }
    if (const Product* n = dataset.findProduct(q.negative))
      if (!n->imagePath.empty()) c.negativeImage = dataset.imageFile(n->imagePath);
    c.rank = q.rank;
    c.discRank = q.discRank;
    c.margin = q.margin;
    c.nearDuplicateAbove = q.margin < 0.0;
    c.trace = q.trace;
    if (!q.trace.empty()) {
      const ParsedTrace parsed = parseTrace(q.trace);
      c.traceParsable = parsed.wellFormed();
      c.attributesLabelled = t.query.attributes.size();
      c.attributeErrors = attributeErrors(t.query.attributes, parsed.attributes);
    }
    out.cases.push_back(std::move(c));
  }
  std::stable_sort(out.cases.begin(), out.cases.end(), failsWorse);
  return out;
}

std::string describeAttributeErrors(const std::vector<AttributeError>& errors) {
  std::string out;
  for (const AttributeError& e : errors) {
    if (!out.empty()) out += "; ";
    out += e.key + ": " + e.expected + " \u2192 " + (e.predicted.empty() ? std::string("(none)") : e.predicted);
  }
  return out;
}

std::string failureCsv(const std::vector<FailureCase>& cases) {
  std::string out =
      "direction,triplet,query,positive,negative,coarse_category,fine_category,rank,disc_rank,margin,"
      "near_duplicate_above,trace,trace_parsable,attributes_labelled,attributes_wrong,attribute_errors\n";
  for (const FailureCase& c : cases) {
    const std::vector<std::string> fields = {c.direction,
                                             std::to_string(c.triplet),
                                             c.queryTitle,
                                             c.positive,
                                             c.negative,
                                             c.coarseCategory,
                                             c.fineCategory,
                                             std::to_string(c.rank),
                                             std::to_string(c.discRank),
                                             std::to_string(c.margin),
                                             c.nearDuplicateAbove ? "1" : "0",
                                             c.trace,
                                             c.traceParsable ? "1" : "0",
                                             std::to_string(c.attributesLabelled),
                                             std::to_string(c.attributeErrors.size()),
                                             describeAttributeErrors(c.attributeErrors)};
    for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csvField(fields[i]);
    out += '\n';
  }
  return out;
}

}  // namespace moon
