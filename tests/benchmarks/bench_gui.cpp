// Benchmark 6 of issue #9 (offscreen platform):
//  - launch of `moon-workbench --workspace W --screenshot x.png --view overview`
//    with 1,000 runs in W's run store, to its first painted window (saved
//    screenshot, process exit), over the launch of a blank QMainWindow that is
//    painted and saved the same way (this executable with --blank-child);
//  - replot of a QCustomPlot chart of 1,000,000 points over a blank replot.
// Both are costs (lower is better); the issue sets no target, so the ratios
// are reported as figures.
//
//   bench_gui [--quick] [--runs 1000] [--points 1000000] [--reps 3]

#include <sys/wait.h>
#include <unistd.h>

#include <QApplication>
#include <QMainWindow>
#include <QPixmap>
#include <cmath>
#include <cstdio>
#include <filesystem>

// qcustomplot.h uses the Qt keywords the project turns off (QT_NO_KEYWORDS).
#define signals Q_SIGNALS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef foreach

#include "BenchCommon.h"
#include "core/store/Workspace.h"

using namespace moon;
using namespace moon::bench;
namespace fs = std::filesystem;

namespace {

double runChild(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const double t0 = now();
  const pid_t pid = fork();
  if (pid == 0) {
    setenv("QT_QPA_PLATFORM", "offscreen", 1);
    if (!freopen("/dev/null", "w", stdout)) _exit(126);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  return now() - t0;
}

int blankChild(int argc, char** argv, const std::string& out) {
  QApplication app(argc, argv);
  QMainWindow window;
  window.resize(1280, 800);
  window.show();
  return window.grab().save(QString::fromStdString(out)) ? 0 : 1;
}

double replotSeconds(QCustomPlot& plot, int reps) {
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    const double t0 = now();
    plot.replot(QCustomPlot::rpImmediateRefresh);
    t.push_back(now() - t0);
  }
  return median(t);
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = hasFlag(argc, argv, "--quick");
  if (hasFlag(argc, argv, "--blank-child")) return blankChild(argc, argv, option(argc, argv, "--out", "/tmp/b.png"));
  const int runs = std::stoi(option(argc, argv, "--runs", quick ? "20" : "1000"));
  const int points = std::stoi(option(argc, argv, "--points", quick ? "10000" : "1000000"));
  const int reps = std::stoi(option(argc, argv, "--reps", quick ? "1" : "3"));
  const std::string workbench = option(argc, argv, "--workbench", MOON_BENCH_WORKBENCH);
  const fs::path root = fs::temp_directory_path() / ("moon_bench_gui_" + std::to_string(::getpid()));
  fs::remove_all(root);
  {
    auto ws = Workspace::open((root / "ws").string(), true);
    for (int i = 0; i < runs; ++i) {
      RunRecord r;
      r.name = "run " + std::to_string(i);
      r.preset = "tiny";
      r.status = i % 3 ? RunStatus::Completed : RunStatus::Failed;
      ws.store().createRun(r);
    }
  }
  const std::string self = fs::canonical("/proc/self/exe").string();
  const std::string shot = (root / "shot.png").string();
  std::vector<double> wb, blank;
  for (int r = 0; r < reps; ++r) {
    blank.push_back(runChild({self, "--blank-child", "--out", shot, "-platform", "offscreen"}));
    wb.push_back(
        runChild({workbench, "--workspace", (root / "ws").string(), "--screenshot", shot, "--view", "overview"}));
  }
  const double tWb = median(wb), tBlank = median(blank);
  char buf[320];
  if (tWb < 0 || tBlank < 0) {
    std::fprintf(stderr, "a child failed (workbench %.2f, blank %.2f)\n", tWb, tBlank);
  } else {
    std::snprintf(buf, sizeof buf,
                  "launch to first painted window, %d runs: workbench %.2f s, blank QMainWindow %.2f s", runs, tWb,
                  tBlank);
    printFigure("gui_launch_vs_blank", tWb / tBlank, buf);
  }

  QApplication app(argc, argv);
  QCustomPlot blankPlot, plot;
  for (auto* p : {&blankPlot, &plot}) p->resize(1000, 600);
  QVector<double> x(points), y(points);
  for (int i = 0; i < points; ++i) {
    x[i] = i;
    y[i] = std::sin(i * 0.001) + 0.1 * std::sin(i * 0.37);
  }
  plot.addGraph()->setData(x, y, true);
  plot.rescaleAxes();
  blankPlot.replot();
  plot.replot();  // first paint: buffers
  const double tBlankPlot = replotSeconds(blankPlot, quick ? 2 : 7), tPlot = replotSeconds(plot, quick ? 2 : 7);
  std::snprintf(buf, sizeof buf, "QCustomPlot replot: %d points %.1f ms, blank %.2f ms", points, 1e3 * tPlot,
                1e3 * tBlankPlot);
  printFigure("gui_replot_vs_blank", tPlot / tBlankPlot, buf);
  fs::remove_all(root);
  return tWb < 0 || tBlank < 0 ? 1 : 0;
}
