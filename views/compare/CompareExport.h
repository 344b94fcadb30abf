#pragma once

#include <QString>

#include <array>
#include <optional>

#include "model/compare/SimilarityAttribution.h"

class QWidget;

namespace moon {

// A widget as a figure: PNG at the screen's pixels times `scale`, PDF as
// one page the widget's shape (vector text where Qt can). False with *error
// set when the file cannot be written.
bool exportWidgetPng(QWidget& widget, const QString& file, QString* error, double scale = 2.0);
bool exportWidgetPdf(QWidget& widget, const QString& file, const QString& title, QString* error);
// comparisonToJson, indented.
// With `attributions` (ground truth, near-duplicate; either may be empty) an
// "attribution" section {"ground_truth", "near_duplicate"} joins the numbers.
bool exportComparisonJson(const ComparisonResult& result, const QString& file, QString* error,
                          const std::array<std::optional<SimilarityAttribution>, 2>* attributions = nullptr);

}  // namespace moon
