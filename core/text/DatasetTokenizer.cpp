#include "core/text/DatasetTokenizer.h"

#include <filesystem>

#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/data/TraceFormat.h"

namespace moon {

BpeTokenizer trainDatasetTokenizer(const Dataset& dataset, int vocabSize) {
  std::vector<std::string> texts;
  for (const Product& p : dataset.products()) {
    texts.push_back(p.title);
    texts.push_back(formatTrace(p.imageAttributes));
    texts.push_back(formatTrace(p.textAttributes));
    texts.push_back(formatTrace(p.allAttributes()));
  }
  // Query texts of val/test stay unseen: evaluation must be zero-shot.
  for (const Triplet& t : dataset.split("train")) {
    if (t.query.title) texts.push_back(*t.query.title);
    texts.push_back(formatTrace(t.query.attributes));
  }
  return BpeTokenizer::train(texts, vocabSize);
}

BpeTokenizer writeDatasetTokenizer(const std::string& dir, int vocabSize) {
  DatasetOptions options;
  options.logReport = false;
  const Dataset dataset = Dataset::load(dir, options);
  BpeTokenizer tokenizer = trainDatasetTokenizer(dataset, vocabSize);
  const std::string path = (std::filesystem::path(dir) / kDatasetTokenizerFile).string();
  tokenizer.save(path);
  log::core()->info("tokenizer with {} tokens written to {}", tokenizer.vocabSize(), path);
  return tokenizer;
}

BpeTokenizer loadDatasetTokenizer(const std::string& dir) {
  const std::string path = (std::filesystem::path(dir) / kDatasetTokenizerFile).string();
  if (!std::filesystem::exists(path))
    throw IoError(dir + ": dataset has no " + kDatasetTokenizerFile + " (run `moon data tokenizer " + dir + "`)");
  return BpeTokenizer::load(path);
}

}  // namespace moon
