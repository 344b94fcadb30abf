#pragma once

// The Compare view's worker-thread jobs. They call model/compare through
// headers that name no LibTorch type, so no views file compiles <torch/torch.h>.

#include <QString>
#include <QStringList>

#include <array>
#include <memory>
#include <optional>
#include <vector>

#include "model/checkpoint/CheckpointLoader.h"
#include "model/compare/CompareRunner.h"
#include "model/compare/SimilarityAttribution.h"
#include "views/common/CheckpointListJob.h"
#include "views/common/Job.h"
#include "views/common/WorkspaceLocation.h"

namespace moon {

class LoadCheckpointJob : public Job {
  Q_OBJECT
 public:
  LoadCheckpointJob(QString path, QString fallbackDatasetDir);
  QString path() const { return path_; }
  // After finished(true).
  const LoadedCheckpoint& checkpoint() const { return checkpoint_; }

 protected:
  bool run() override;

 private:
  QString path_, fallback_;
  LoadedCheckpoint checkpoint_;
};

class ComparisonJob : public Job {
  Q_OBJECT
 public:
  ComparisonJob(std::shared_ptr<InferenceContext> context, std::array<CompareInput, kCompareSlots> inputs,
                CompareOptions options, QString checkpoint);
  // After finished(true).
  const ComparisonResult& result() const { return *result_; }

 protected:
  bool run() override;

 private:
  std::shared_ptr<InferenceContext> context_;
  std::array<CompareInput, kCompareSlots> inputs_;
  CompareOptions options_;
  QString checkpoint_;
  std::optional<ComparisonResult> result_;
};

// "Why are these two close?": the query against the ground truth and against
// the near-duplicate (model/compare/SimilarityAttribution.h).
class AttributionJob : public Job {
  Q_OBJECT
 public:
  AttributionJob(std::shared_ptr<InferenceContext> context, CompareInput query, std::array<CompareInput, 2> candidates);
  // After finished(true): one per candidate slot (ground truth, near-duplicate); empty for an empty slot.
  const std::array<std::optional<SimilarityAttribution>, 2>& attributions() const { return attributions_; }

 protected:
  bool run() override;

 private:
  std::shared_ptr<InferenceContext> context_;
  CompareInput query_;
  std::array<CompareInput, 2> candidates_;
  std::array<std::optional<SimilarityAttribution>, 2> attributions_;
};

// What an edited query trace changes: its cosine to the two candidates, and
// which catalogue products enter or leave its ten nearest.
struct CounterfactualResult {
  QString trace;
  std::array<float, 2> before{}, after{};  // cos to ground truth, near-duplicate (NaN: empty slot)
  QStringList entered, left;               // "id title" of products entering / leaving the top 10
  QString galleryNote;                     // why neighbours are missing, or how many products were searched
};

struct CounterfactualRequest {
  std::shared_ptr<InferenceContext> context;
  CompareInput query;
  QString trace;
  std::vector<float> queryEmbedding;             // as the comparison embedded it (its own trace)
  std::array<std::vector<float>, 2> candidates;  // the comparison's candidate embeddings (empty: none)
  QString checkpoint;                            // for the catalogue's cached map (EmbeddingMap.h)
  QString datasetDir;                            // "" : no neighbours
};

class CounterfactualJob : public Job {
  Q_OBJECT
 public:
  explicit CounterfactualJob(CounterfactualRequest request);
  const CounterfactualResult& result() const { return result_; }

 protected:
  bool run() override;

 private:
  CounterfactualRequest request_;
  CounterfactualResult result_;
};

}  // namespace moon
