#pragma once

// What a chart draws of a long series: for the visible step range cut into
// pixel-wide buckets, each bucket's first, lowest, highest and last point in
// step order (M4, Jugel et al. 2014). A line through them lights the same
// pixels as a line through every point, so no spike is lost, and a series of
// millions of points is drawn from a few thousand.

#include <QVector>

namespace moon {

struct DecimatedSeries {
  QVector<double> steps, values;
};

// `steps` increasing. Points with a step in [from, to] go into `buckets`
// buckets; the nearest point outside on each side is kept so the line
// continues past the edges. Non-finite values are skipped. With at most
// 4 × buckets points in range, those points are returned as they are.
DecimatedSeries decimateM4(const QVector<double>& steps, const QVector<double>& values, double from, double to,
                           int buckets);

}  // namespace moon
