#pragma once

// Attribute prediction accuracy: attributes parsed from generated reasoning
// traces against the labelled ones.
//
// Conventions:
//   * Only labelled (item, key) pairs are scored: per key,
//     accuracy = correct / labelled.
//   * A labelled key that the prediction lacks is wrong (an unparsable trace
//     is an empty prediction, so all its keys are wrong).
//   * Values match when equal after trimming white space and folding ASCII
//     case ("Red " == "red").
//   * Predicted keys without a label are not scored; they are counted in
//     `unlabelledPredictions` so invented attributes stay visible.
//   * micro = all correct / all labelled pairs; macro = mean of the per-key
//     accuracies (each key weighs the same however often it is labelled).

#include <cstddef>
#include <string>
#include <vector>

#include "core/config/Config.h"
#include "core/data/Product.h"

namespace moon {

struct AttributeKeyAccuracy {
  std::string key;
  std::size_t labelled = 0;
  std::size_t correct = 0;
  double accuracy = 0.0;
  template <class V>
  void visit(V& v) {  // stored keys (EvaluationResult.h)
    v.field("key", key);
    v.field("labelled", labelled);
    v.field("correct", correct);
    v.field("accuracy", accuracy);
  }
};

struct AttributeReport {
  std::size_t items = 0;
  std::vector<AttributeKeyAccuracy> perKey;  // sorted by key
  std::size_t labelled = 0;                  // (item, key) pairs scored
  std::size_t correct = 0;
  std::size_t unlabelledPredictions = 0;
  double microAccuracy = 0.0;
  double macroAccuracy = 0.0;
  template <class V>
  void visit(V& v) {
    v.field("items", items);
    v.field("labelled", labelled);
    v.field("correct", correct);
    v.field("unlabelled_predictions", unlabelledPredictions);
    v.field("micro", microAccuracy);
    v.field("macro", macroAccuracy);
    v.list("per_key", perKey);
  }
};

// predicted[i] and labelled[i] describe the same item. Throws FormatError
// when the sizes differ.
AttributeReport attributeAccuracy(const std::vector<Attributes>& predicted, const std::vector<Attributes>& labelled);

// The comparison used above: trimmed, ASCII-lower-cased.
std::string normalizeAttributeValue(const std::string& value);

}  // namespace moon
