#pragma once

#include <QString>

#include <memory>

#include "views/common/Job.h"

namespace moon {

class Dataset;

// Reads a dataset folder (products and every split present; no image
// decoding) on a worker thread. Views share the result read-only.
class DatasetLoadJob : public Job {
  Q_OBJECT
 public:
  explicit DatasetLoadJob(QString dir);
  QString dir() const { return dir_; }
  // After finished(true).
  std::shared_ptr<const Dataset> dataset() const { return dataset_; }

 protected:
  bool run() override;

 private:
  QString dir_;
  std::shared_ptr<const Dataset> dataset_;
};

// Dataset folders under `datasetsDir` (those with a products.jsonl), sorted by name.
QStringList datasetFolders(const QString& datasetsDir);

}  // namespace moon
