#include "training/eval/PrototypeClassifier.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "core/base/Error.h"

namespace moon {

PrototypeClassifier::PrototypeClassifier(const EmbeddingMatrix& embeddings, const std::vector<std::string>& labels) {
  if (labels.size() != embeddings.rows)
    throw FormatError("prototype classifier: " + std::to_string(labels.size()) + " labels for " +
                      std::to_string(embeddings.rows) + " embeddings");
  requireFinite(embeddings, "prototype classifier embeddings");

  // std::map keeps the classes sorted by name, which fixes the tie order.
  std::map<std::string, std::vector<double>> sums;
  for (std::size_t r = 0; r < embeddings.rows; ++r) {
    if (labels[r].empty()) continue;
    auto& sum = sums[labels[r]];
    sum.resize(embeddings.dim, 0.0);
    const float* v = embeddings.row(r);
    const double norm = l2Norm(v, embeddings.dim);
    if (norm == 0.0) continue;  // a zero vector has no direction to contribute
    for (std::size_t i = 0; i < embeddings.dim; ++i) sum[i] += v[i] / norm;
  }

  prototypes_ = EmbeddingMatrix(sums.size(), embeddings.dim);
  std::size_t c = 0;
  for (const auto& [label, sum] : sums) {
    classes_.push_back(label);
    for (std::size_t i = 0; i < embeddings.dim; ++i) prototypes_.at(c, i) = static_cast<float>(sum[i]);
    ++c;
  }
  l2NormalizeRows(prototypes_);
}

std::vector<std::string> PrototypeClassifier::predict(const EmbeddingMatrix& embeddings) const {
  if (!classes_.empty() && embeddings.rows > 0 && embeddings.dim != prototypes_.dim)
    throw FormatError("prototype classifier: embeddings have dimension " + std::to_string(embeddings.dim) +
                      ", prototypes have " + std::to_string(prototypes_.dim));
  requireFinite(embeddings, "prototype classifier input");
  std::vector<std::string> predicted(embeddings.rows);
  if (classes_.empty()) return predicted;
  for (std::size_t r = 0; r < embeddings.rows; ++r) {
    std::size_t best = 0;
    double bestSim = cosineSimilarity(embeddings.row(r), prototypes_.row(0), prototypes_.dim);
    for (std::size_t c = 1; c < classes_.size(); ++c) {
      const double sim = cosineSimilarity(embeddings.row(r), prototypes_.row(c), prototypes_.dim);
      if (sim > bestSim) {  // strict: the earlier (smaller) name keeps a tie
        bestSim = sim;
        best = c;
      }
    }
    predicted[r] = classes_[best];
  }
  return predicted;
}

ClassificationReport classificationAccuracy(std::string name, const std::vector<std::string>& predicted,
                                            const std::vector<std::string>& truth,
                                            const std::vector<std::string>& known) {
  if (predicted.size() != truth.size())
    throw FormatError("classification '" + name + "': " + std::to_string(predicted.size()) + " predictions for " +
                      std::to_string(truth.size()) + " labels");
  const std::set<std::string> knownSet(known.begin(), known.end());
  ClassificationReport report;
  report.name = std::move(name);
  report.classes = knownSet.size();
  for (std::size_t i = 0; i < truth.size(); ++i) {
    if (truth[i].empty()) continue;
    ++report.items;
    if (!knownSet.count(truth[i])) ++report.unseen;
    if (predicted[i] == truth[i]) ++report.correct;
  }
  if (report.items > 0) report.accuracy = static_cast<double>(report.correct) / static_cast<double>(report.items);
  return report;
}

ClassificationReport evaluatePrototypeClassification(std::string name, const EmbeddingMatrix& fitEmbeddings,
                                                     const std::vector<std::string>& fitLabels,
                                                     const EmbeddingMatrix& testEmbeddings,
                                                     const std::vector<std::string>& testLabels) {
  const PrototypeClassifier classifier(fitEmbeddings, fitLabels);
  return classificationAccuracy(std::move(name), classifier.predict(testEmbeddings), testLabels, classifier.classes());
}

}  // namespace moon
