#pragma once

// A tiny on-disk dataset for loader tests: products with generated images in
// a temporary folder, triplets of every query modality, a trained tokenizer.

#include <QTemporaryDir>

#include <optional>
#include <string>
#include <vector>

#include "core/data/Product.h"
#include "core/text/BpeTokenizer.h"
#include "model/input/ProductBatch.h"

struct TinyDataset {
  explicit TinyDataset(int productCount = 12, int tripletCount = 22);

  std::string imagePath(const std::string& relative) const { return root + "/" + relative; }

  QTemporaryDir dir;
  std::string root;
  std::vector<moon::Product> products;
  std::vector<moon::Triplet> triplets;
  std::optional<moon::BpeTokenizer> tokenizer;
};

bool sameBatch(const moon::ProductBatch& a, const moon::ProductBatch& b);
bool sameBatch(const moon::TripletBatch& a, const moon::TripletBatch& b);
