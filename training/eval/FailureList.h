#pragma once

// The queries of a stored evaluation as failure cases, worst first: what the
// Failures view lists. Built from EvaluationResult::perQuery (no model is
// run) and the dataset the evaluation read (titles, categories, labels).
//
// Only the triplet directions (t->mm, i->mm, mm->mm) become cases: their
// queries have a near-duplicate and open in the Compare view as a triplet.
//
// Worst first means: a positive the gallery could not rank (rank 0) first,
// then by the positive's rank, larger first; equal ranks by the margin
// cos(q, positive) - cos(q, near-duplicate), smaller first.

#include <cstddef>
#include <string>
#include <vector>

#include "core/data/Dataset.h"
#include "training/eval/EvaluationResult.h"

namespace moon {

struct AttributeError {
  std::string key;
  std::string expected;   // the query's label
  std::string predicted;  // from the trace; "" when the trace lacks the key
};

struct FailureCase {
  std::string direction;    // "t->mm", "i->mm", "mm->mm"
  std::size_t triplet = 0;  // index in the split
  std::string queryTitle;   // "" for an image-only query
  std::string positive;     // product ids
  std::string negative;
  // Image files (resolved against the dataset folder; "" when none).
  std::string queryImage;
  std::string positiveImage;
  std::string negativeImage;
  std::string coarseCategory;  // of the positive
  std::string fineCategory;
  std::size_t rank = 0;      // of the positive with <emb>; 0 = could not be ranked
  std::size_t discRank = 0;  // the same with <disc_emb>; 0 without
  double margin = 0.0;
  bool nearDuplicateAbove = false;  // margin < 0
  std::string trace;                // "" when the evaluation generated none
  bool traceParsable = false;       // at least one `key: value` pair and nothing else
  std::size_t attributesLabelled = 0;
  std::vector<AttributeError> attributeErrors;  // labelled keys the trace got wrong or left out

  bool missedAt(std::size_t k) const { return rank == 0 || rank > k; }
};

struct FailureList {
  std::vector<FailureCase> cases;  // worst first
  // Per-query results that no longer match the dataset (a triplet index past
  // the split's end, or a different positive): left out, and counted so the
  // view can say the dataset changed since the evaluation.
  std::size_t mismatched = 0;
};

// True when `a` fails worse than `b` (the order above; ties by direction, then triplet).
bool failsWorse(const FailureCase& a, const FailureCase& b);

// Throws ConfigError when the dataset lacks `split`.
FailureList failureList(const EvaluationResult& evaluation, const Dataset& dataset, const std::string& split);

// "color: red → blue; logo: acme → (none)"; "" without errors.
std::string describeAttributeErrors(const std::vector<AttributeError>& errors);

// One header line and one row per case, RFC 4180 quoting.
std::string failureCsv(const std::vector<FailureCase>& cases);

}  // namespace moon
