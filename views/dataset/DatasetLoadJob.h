#pragma once

#include <QString>

#include <memory>

#include "views/common/Job.h"

namespace moon {

class Dataset;
struct ProductCatalogue;

// Reads a dataset folder (products and every split present; no image
// decoding) on a worker thread. Views share the result read-only. With
// `withCatalogue`, also builds what the Dataset view shows it with
// (ProductCatalogue: lookups and the search index), off the GUI thread.
class DatasetLoadJob : public Job {
  Q_OBJECT
 public:
  explicit DatasetLoadJob(QString dir, bool withCatalogue = false);
  QString dir() const { return dir_; }
  // After finished(true).
  std::shared_ptr<const Dataset> dataset() const { return dataset_; }
  // After finished(true), with `withCatalogue`.
  std::shared_ptr<const ProductCatalogue> catalogue() const { return catalogue_; }

 protected:
  bool run() override;

 private:
  QString dir_;
  bool withCatalogue_;
  std::shared_ptr<const Dataset> dataset_;
  std::shared_ptr<const ProductCatalogue> catalogue_;
};

// Dataset folders under `datasetsDir` (those with a products.jsonl), sorted by name.
QStringList datasetFolders(const QString& datasetsDir);

}  // namespace moon
