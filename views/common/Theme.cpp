#include "views/common/Theme.h"

#include <QApplication>
#include <QFile>
#include <QPalette>
#include <QStyleFactory>

// Q_INIT_RESOURCE declares a global function: it must be used outside any namespace.
static void initResourcesOnce() {
  static const bool done = [] {
    Q_INIT_RESOURCE(resources);
    return true;
  }();
  (void)done;
}

namespace moon {

void initWorkbenchResources() { initResourcesOnce(); }

QIcon workbenchIcon(const QString& name) {
  initWorkbenchResources();
  return QIcon(QStringLiteral(":/moon/icons/%1.svg").arg(name));
}

void applyWorkbenchTheme(QApplication& app) {
  initWorkbenchResources();
  app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));

  QPalette p;
  const QColor window(0xf5, 0xf7, 0xfa), base(0xff, 0xff, 0xff), text(0x1f, 0x2a, 0x44);
  const QColor accent(0x2f, 0x6f, 0xed), muted(0x6b, 0x76, 0x8c), border(0xd6, 0xdb, 0xe4);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, QColor(0xf7, 0xf9, 0xfc));
  p.setColor(QPalette::ToolTipBase, QColor(0x1f, 0x2a, 0x44));
  p.setColor(QPalette::ToolTipText, Qt::white);
  p.setColor(QPalette::PlaceholderText, muted);
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Button, base);
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::BrightText, Qt::white);
  p.setColor(QPalette::Highlight, accent);
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Link, accent);
  p.setColor(QPalette::Light, base);
  p.setColor(QPalette::Midlight, QColor(0xea, 0xed, 0xf2));
  p.setColor(QPalette::Mid, border);
  p.setColor(QPalette::Dark, QColor(0xa8, 0xb0, 0xbf));
  p.setColor(QPalette::Shadow, QColor(0x8a, 0x93, 0xa5));
  for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
    p.setColor(QPalette::Disabled, role, QColor(0xa0, 0xa8, 0xb8));
  app.setPalette(p);

  QFile qss(QStringLiteral(":/moon/style/workbench.qss"));
  if (qss.open(QIODevice::ReadOnly)) app.setStyleSheet(QString::fromUtf8(qss.readAll()));
}

QColor runStatusColour(RunStatus status) {
  switch (status) {
    case RunStatus::Running:
      return QColor(0x2f, 0x6f, 0xed);
    case RunStatus::Completed:
      return QColor(0x1e, 0x8a, 0x4c);
    case RunStatus::Failed:
      return QColor(0xc6, 0x28, 0x28);
    case RunStatus::Interrupted:
      return QColor(0x9a, 0x5b, 0x00);
    case RunStatus::Queued:
    case RunStatus::Stopped:
      break;
  }
  return QColor(0x6b, 0x76, 0x8c);
}

}  // namespace moon
