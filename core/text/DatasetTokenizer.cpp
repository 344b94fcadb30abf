#include "core/text/DatasetTokenizer.h"

#include <filesystem>

#include "core/data/TraceFormat.h"

namespace moon {

std::vector<std::string> tokenizerCorpus(const Dataset& dataset) {
  std::vector<std::string> texts;
  for (const Product& p : dataset.products()) {
    texts.push_back(p.title);
    texts.push_back(formatTrace(p.allAttributes()));
  }
  for (const Triplet& t : dataset.split("train"))
    if (t.query.title) texts.push_back(*t.query.title);
  return texts;
}

BpeTokenizer trainDatasetTokenizer(const Dataset& dataset, const DatasetTokenizerOptions& options) {
  return BpeTokenizer::train(tokenizerCorpus(dataset), options.vocabSize, options.minFrequency);
}

std::string datasetTokenizerPath(const std::string& datasetDir) {
  return (std::filesystem::path(datasetDir) / "tokenizer.json").string();
}

}  // namespace moon
