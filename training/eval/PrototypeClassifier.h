#pragma once

// Zero-shot category classification by nearest class prototype.
//
// Conventions:
//   * Prototype of a class = mean of the L2-normalised embeddings of its
//     fitting items, L2-normalised again.
//   * An item is assigned the class whose prototype has the highest cosine
//     similarity; on a tie the class whose name sorts first wins.
//   * Items with an empty label are unlabelled: ignored when fitting and
//     when scoring.
//   * A scored item whose true class has no prototype (never seen when
//     fitting) can only be wrong; it counts as wrong and in `unseen`.
//   * Fit on one set (e.g. the training products) and score another (the
//     test queries or products); fitting and scoring the same items flatters
//     the result.

#include <cstddef>
#include <string>
#include <vector>

#include "core/config/Config.h"
#include "training/eval/EmbeddingMatrix.h"

namespace moon {

struct ClassificationReport {
  std::string name;       // "coarse" or "fine"
  std::size_t items = 0;  // labelled items scored
  std::size_t correct = 0;
  std::size_t unseen = 0;   // scored items whose class has no prototype
  std::size_t classes = 0;  // prototypes available
  double accuracy = 0.0;    // correct / items (0 without items)
  template <class V>
  void visit(V& v) {  // stored keys (EvaluationResult.h); the name is the key it is stored under
    v.field("items", items);
    v.field("correct", correct);
    v.field("unseen", unseen);
    v.field("classes", classes);
    v.field("accuracy", accuracy);
  }
};

class PrototypeClassifier {
 public:
  PrototypeClassifier() = default;
  // Throws FormatError when labels.size() != embeddings.rows or a value is not finite.
  PrototypeClassifier(const EmbeddingMatrix& embeddings, const std::vector<std::string>& labels);

  const std::vector<std::string>& classes() const { return classes_; }  // sorted by name
  const EmbeddingMatrix& prototypes() const { return prototypes_; }     // row i belongs to classes()[i]

  // Predicted class per row; "" when the classifier has no classes.
  std::vector<std::string> predict(const EmbeddingMatrix& embeddings) const;

 private:
  std::vector<std::string> classes_;
  EmbeddingMatrix prototypes_;
};

// Scores predictions against true labels (convention above). `known` lists
// the classes that had a prototype, for the `unseen` count.
ClassificationReport classificationAccuracy(std::string name, const std::vector<std::string>& predicted,
                                            const std::vector<std::string>& truth,
                                            const std::vector<std::string>& known);

// Fits on (fitEmbeddings, fitLabels) and scores (testEmbeddings, testLabels).
ClassificationReport evaluatePrototypeClassification(std::string name, const EmbeddingMatrix& fitEmbeddings,
                                                     const std::vector<std::string>& fitLabels,
                                                     const EmbeddingMatrix& testEmbeddings,
                                                     const std::vector<std::string>& testLabels);

}  // namespace moon
