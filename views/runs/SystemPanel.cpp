#include "views/runs/SystemPanel.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>

#include "core/system/NvmlGpu.h"

namespace moon {

SystemPanel::SystemPanel(QWidget* parent) : QWidget(parent), gpu_(std::make_unique<NvmlGpu>()) {
  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(0, 0, 0, 0);
  grid->setHorizontalSpacing(10);
  grid->setVerticalSpacing(2);
  cpuLabel_ = new QLabel(this);
  memLabel_ = new QLabel(this);
  gpuLabel_ = new QLabel(this);
  cpuLabel_->setObjectName(QStringLiteral("cpuUsage"));
  memLabel_->setObjectName(QStringLiteral("memoryUsage"));
  gpuLabel_->setObjectName(QStringLiteral("gpuUsage"));
  gpuLabel_->setWordWrap(true);
  grid->addWidget(new QLabel(tr("CPU"), this), 0, 0);
  grid->addWidget(cpuLabel_, 0, 1);
  grid->addWidget(new QLabel(tr("Memory"), this), 0, 2);
  grid->addWidget(memLabel_, 0, 3);
  grid->addWidget(new QLabel(tr("GPU"), this), 1, 0);
  grid->addWidget(gpuLabel_, 1, 1, 1, 3);
  grid->setColumnStretch(1, 1);
  grid->setColumnStretch(3, 1);
  timer_.setInterval(1000);
  connect(&timer_, &QTimer::timeout, this, &SystemPanel::sample);
  sample();  // "—" and the GPU line before any run is watched (setProcess(0) would be a no-op here)
}

SystemPanel::~SystemPanel() = default;

void SystemPanel::setProcess(qint64 pid) {
  if (pid == pid_ && (pid == 0 || timer_.isActive())) return;
  pid_ = pid;
  cpu_.reset();
  sample();
  if (pid_ > 0)
    timer_.start();
  else
    timer_.stop();
}

void SystemPanel::sample() {
  if (pid_ <= 0) {
    cpuLabel_->setText(tr("—"));
    memLabel_->setText(tr("—"));
  } else if (const auto s = readProcessSample(pid_)) {
    const auto percent = cpu_.update(*s);
    cpuLabel_->setText(percent ? tr("%1 % (pid %2)").arg(*percent, 0, 'f', 0).arg(pid_) : tr("… (pid %1)").arg(pid_));
    memLabel_->setText(QLocale().formattedDataSize(s->rssBytes));
  } else {
    cpuLabel_->setText(tr("process %1 not running").arg(pid_));
    memLabel_->setText(tr("—"));
  }
  if (!gpu_->available()) {
    gpuLabel_->setText(QString::fromStdString(gpu_->error()));
    return;
  }
  QStringList parts;
  for (const GpuSample& g : gpu_->sample())
    parts << tr("%1: %2 %, %3 / %4")
                 .arg(QString::fromStdString(g.name))
                 .arg(g.utilizationPercent)
                 .arg(QLocale().formattedDataSize(qint64(g.memoryUsedBytes)),
                      QLocale().formattedDataSize(qint64(g.memoryTotalBytes)));
  gpuLabel_->setText(parts.isEmpty() ? tr("no GPU found") : parts.join(QStringLiteral("; ")));
}

QString SystemPanel::cpuText() const { return cpuLabel_->text() + QStringLiteral(" · ") + memLabel_->text(); }

QString SystemPanel::gpuText() const { return gpuLabel_->text(); }

}  // namespace moon
