#include "LoaderFixture.h"

#include <filesystem>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/data/TraceFormat.h"

namespace {

const std::vector<std::pair<std::string, cv::Scalar>> kColors{
    {"red", {40, 40, 220}}, {"blue", {200, 80, 30}}, {"green", {60, 170, 60}}, {"yellow", {40, 220, 230}}};
const std::vector<std::string> kPatterns{"solid", "striped", "dotted"};
const std::vector<std::string> kBrands{"acme", "nordwind", "lumen"};

cv::Mat render(const cv::Scalar& color, const std::string& pattern, const cv::Scalar& background) {
  cv::Mat img(40, 48, CV_8UC3, background);
  const cv::Rect body(8, 6, 32, 28);
  cv::rectangle(img, body, color, cv::FILLED);
  if (pattern == "striped")
    for (int y = body.y; y < body.br().y; y += 6) cv::line(img, {body.x, y}, {body.br().x - 1, y}, {255, 255, 255}, 2);
  if (pattern == "dotted")
    for (int y = body.y + 4; y < body.br().y; y += 8)
      for (int x = body.x + 4; x < body.br().x; x += 8) cv::circle(img, {x, y}, 2, {0, 0, 0}, cv::FILLED);
  return img;
}

bool same(const torch::Tensor& a, const torch::Tensor& b) {
  return a.defined() == b.defined() && (!a.defined() || (a.sizes() == b.sizes() && torch::equal(a, b)));
}

}  // namespace

TinyDataset::TinyDataset(int productCount, int tripletCount) {
  root = dir.path().toStdString();
  std::filesystem::create_directories(root + "/images");
  std::vector<std::string> texts;
  for (int i = 0; i < productCount; ++i) {
    const auto& [colorName, color] = kColors[size_t(i) % kColors.size()];
    const std::string& pattern = kPatterns[size_t(i / 4) % kPatterns.size()];
    const std::string& brand = kBrands[size_t(i) % kBrands.size()];
    moon::Product p;
    p.id = "p" + std::to_string(i);
    p.title = brand + " " + colorName + " " + pattern + " t-shirt cotton summer";
    if (i == 0) p.title += " with a very long list of extra keywords that goes on and on for tokens";
    p.imagePath = "images/" + p.id + (i % 2 ? ".jpg" : ".png");
    p.categoryPath = {"apparel", "t-shirt"};
    p.imageAttributes = {{"color", colorName}, {"pattern", pattern}};
    p.textAttributes = {{"brand", brand}};
    cv::imwrite(root + "/" + p.imagePath, render(color, pattern, {235, 235, 235}));
    texts.push_back(p.title);
    products.push_back(p);
  }
  for (int i = 0; i < tripletCount; ++i) {
    const moon::Product& pos = products[size_t(i) % products.size()];
    const moon::Product& neg = products[size_t(i + 1) % products.size()];
    moon::Triplet t;
    t.positiveId = pos.id;
    t.negativeId = neg.id;
    t.query.modality = moon::Modality(i % 3);
    if (t.query.modality != moon::Modality::Image) {
      t.query.title = pos.imageAttributes.at("color") + " t-shirt " + pos.textAttributes.at("brand");
      texts.push_back(*t.query.title);
    }
    if (t.query.modality != moon::Modality::Text) {
      t.query.imagePath = "images/q" + std::to_string(i) + ".jpg";
      const auto& color = kColors[(size_t(i) % products.size()) % kColors.size()].second;
      cv::imwrite(root + "/" + *t.query.imagePath,
                  render(color, pos.imageAttributes.at("pattern"), {90.0 + 7 * i, 120, 160}));
    }
    if (t.query.modality == moon::Modality::Text)
      t.query.attributes = {{"brand", pos.textAttributes.at("brand")}, {"color", pos.imageAttributes.at("color")}};
    else
      t.query.attributes = pos.imageAttributes;
    triplets.push_back(t);
  }
  for (const auto& p : products) texts.push_back(moon::formatTrace(p.imageAttributes));
  tokenizer = moon::BpeTokenizer::train(texts, 400);
}

bool sameBatch(const moon::ProductBatch& a, const moon::ProductBatch& b) {
  return same(a.images, b.images) && same(a.hasImage, b.hasImage) && same(a.titleIds, b.titleIds) &&
         same(a.titleLengths, b.titleLengths) && same(a.traceIds, b.traceIds) && same(a.traceLengths, b.traceLengths) &&
         a.ids == b.ids;
}

bool sameBatch(const moon::TripletBatch& a, const moon::TripletBatch& b) {
  return sameBatch(a.query, b.query) && sameBatch(a.positive, b.positive) && sameBatch(a.negative, b.negative) &&
         same(a.queryModality, b.queryModality);
}
