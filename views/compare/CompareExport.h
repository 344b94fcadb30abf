#pragma once

#include <QString>

class QWidget;

namespace moon {

struct ComparisonResult;

// A widget as a figure: PNG at the screen's pixels times `scale`, PDF as
// one page the widget's shape (vector text where Qt can). False with *error
// set when the file cannot be written.
bool exportWidgetPng(QWidget& widget, const QString& file, QString* error, double scale = 2.0);
bool exportWidgetPdf(QWidget& widget, const QString& file, const QString& title, QString* error);
// comparisonToJson, indented.
bool exportComparisonJson(const ComparisonResult& result, const QString& file, QString* error);

}  // namespace moon
