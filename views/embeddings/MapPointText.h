#pragma once

// What the Embeddings view writes about its points: the product card (hover
// and the clicked point's heading) and the CSV exports.

#include <QString>
#include <QStringList>
#include <QVector>

#include <string>
#include <vector>

#include "views/embeddings/EmbeddingMapJob.h"

namespace moon {

// "color: red; logo: none".
QString attributesText(const Attributes& attributes);

// Id, title, category, attributes and trace as rich text; with the image
// (a 96-pixel thumbnail at the left) when `withImage` and there is one.
QString pointHtml(const MapPoint& point, bool withImage);

// Header "id,x,y,colour,selected", then one line per point.
std::string mapPointsCsv(const MapData& data, const QStringList& groupNames, const std::vector<int>& groupOf,
                         const QVector<int>& selection);

// Header "id,title,coarse_category,fine_category,split", then the selected points.
std::string mapSelectionCsv(const MapData& data, const QVector<int>& selection);

}  // namespace moon
