#pragma once

// How long the GUI thread could not repaint: the longest gap between ticks of
// a 5 ms timer while some work runs (issue #16: no stall over 100 ms).

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>

namespace moon::bench {

// Longest gap (ms) between ticks of a 5 ms timer while `busy` is true, after
// `start`; `seconds` receives the whole duration.
template <class Start, class Busy>
double longestGapWhile(Start&& start, Busy&& busy, double* seconds) {
  QElapsedTimer clock;
  qint64 last = 0, longest = 0;
  QTimer timer;
  QObject::connect(&timer, &QTimer::timeout, [&] {
    const qint64 t = clock.elapsed();
    longest = std::max(longest, t - last);
    last = t;
  });
  clock.start();
  timer.start(5);
  start();
  while (busy()) QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
  // The tail: from the last tick to the end of the work.
  longest = std::max(longest, clock.elapsed() - last);
  *seconds = double(clock.elapsed()) / 1000.0;
  return double(longest);
}

}  // namespace moon::bench
