#pragma once

// The tokenizer of a dataset: trained on the text the model will read and
// write (product titles, training query texts, attribute traces) and saved
// beside the data as tokenizer.json.

#include <string>
#include <vector>

#include "core/data/Dataset.h"
#include "core/text/BpeTokenizer.h"

namespace moon {

struct DatasetTokenizerOptions {
  int vocabSize = 4096;
  int minFrequency = 2;
};

// Product titles, the query texts of the "train" split (not val/test, which
// evaluation keeps unseen) and every product's formatted attribute trace.
std::vector<std::string> tokenizerCorpus(const Dataset& dataset);

BpeTokenizer trainDatasetTokenizer(const Dataset& dataset, const DatasetTokenizerOptions& options = {});

// `datasetDir`/tokenizer.json
std::string datasetTokenizerPath(const std::string& datasetDir);

}  // namespace moon
