#pragma once

// A contact sheet of triplets for people: one row per triplet with the query,
// the positive and the near-duplicate negative side by side, each with its
// title and attributes; the attributes that tell positive and negative apart
// are highlighted.

#include <string>

#include <opencv2/core.hpp>

namespace moon {

class Dataset;

struct ContactSheetOptions {
  std::string split = "test";
  int rows = 8;         // triplets shown, spread evenly over the split
  int thumbnail = 160;  // image cell, pixels
};

// Pixel size of a sheet with `rows` rows.
cv::Size contactSheetSize(int rows, const ContactSheetOptions& options);

// Renders the sheet (BGR). Images that cannot be read show a placeholder.
cv::Mat renderContactSheet(const Dataset& dataset, const ContactSheetOptions& options, int* rowsDrawn = nullptr);

// Loads the dataset (only options.split is required) and writes a PNG.
// Returns the number of rows drawn. Throws IoError/FormatError/ConfigError.
int writeContactSheet(const std::string& datasetDir, const std::string& outPng,
                      const ContactSheetOptions& options = {});

}  // namespace moon
