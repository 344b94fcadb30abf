#pragma once

// CPU and memory of the selected run's training process (from /proc, through
// the pid the store records) and the GPUs' utilisation and memory (NVML,
// loaded at run time; "no NVIDIA driver" when absent). Sampled once a second
// while a running run is selected.

#include <QTimer>
#include <QWidget>

#include <memory>

#include "core/system/ProcessStats.h"

class QLabel;

namespace moon {

class NvmlGpu;

class SystemPanel : public QWidget {
  Q_OBJECT
 public:
  explicit SystemPanel(QWidget* parent = nullptr);
  ~SystemPanel() override;

  // The process to watch (0: none, e.g. a finished run).
  void setProcess(qint64 pid);
  qint64 process() const { return pid_; }
  void sample();
  QString cpuText() const;
  QString gpuText() const;

 private:
  qint64 pid_ = 0;
  CpuMeter cpu_;
  std::unique_ptr<NvmlGpu> gpu_;
  QLabel* cpuLabel_;
  QLabel* memLabel_;
  QLabel* gpuLabel_;
  QTimer timer_;
};

}  // namespace moon
