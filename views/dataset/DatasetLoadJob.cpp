#include "views/dataset/DatasetLoadJob.h"

#include <QDir>
#include <QFileInfo>

#include "core/data/Dataset.h"
#include "core/data/DatasetLayout.h"
#include "views/dataset/ProductCatalogue.h"

namespace moon {

DatasetLoadJob::DatasetLoadJob(QString dir, bool withCatalogue)
    : Job(tr("Reading dataset %1").arg(dir)), dir_(std::move(dir)), withCatalogue_(withCatalogue) {}

bool DatasetLoadJob::run() {
  DatasetOptions options;
  options.requiredSplits = {};  // a catalogue without triplets still has products to show
  options.logReport = false;
  options.progress = [this](size_t done, size_t total) {
    if (total > 0) setProgress(100.0 * double(done) / double(total));
  };
  dataset_ = std::make_shared<const Dataset>(Dataset::load(dir_.toStdString(), options));
  if (withCatalogue_ && !isCanceled()) {
    // Shares the dataset's products (aliasing pointer): nothing is copied.
    catalogue_ = buildProductCatalogue(std::shared_ptr<const std::vector<Product>>(dataset_, &dataset_->products()),
                                       QString::fromStdString(dataset_->dir()));
  }
  return !isCanceled();
}

QStringList datasetFolders(const QString& datasetsDir) {
  QStringList out;
  if (datasetsDir.isEmpty()) return out;
  const QDir root(datasetsDir);
  for (const QString& name : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
    if (QFileInfo::exists(root.filePath(name + QLatin1Char('/') + QLatin1String(kProductsFile))))
      out << root.filePath(name);
  return out;
}

}  // namespace moon
