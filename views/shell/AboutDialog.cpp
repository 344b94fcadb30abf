#include "views/shell/AboutDialog.h"

#include <QCoreApplication>
#include <QMessageBox>
#include <QWidget>

#include "model/BuildInfo.h"

namespace moon {

QString aboutText() {
  QString version = QCoreApplication::applicationVersion();
  if (version.isEmpty()) version = QStringLiteral("development build");
  const QString torch = QString::fromStdString(torchVersion());
  const QString device = QString::fromStdString(torchCudaSummary());
  const QString commit = QString::fromStdString(gitCommit());
  return QObject::tr(
             "<h3>MOON Workbench %1</h3>"
             "<p>Commit %6</p>"
             "<p>Train, watch and inspect MOON3.0-style reasoning-aware multimodal product "
             "embedding models: think-then-embed, multi-head modality fusion, fine-grained residual "
             "enhancement, and joint contrastive + GRPO training.</p>"
             "<table cellspacing='4'>"
             "<tr><td><b>Qt</b></td><td>%2 (built with %3)</td></tr>"
             "<tr><td><b>LibTorch</b></td><td>%4 (%5)</td></tr>"
             "</table>"
             "<p>MOON3.0: arXiv 2604.00513 &middot; MOON2.0: arXiv 2511.12449</p>")
      .arg(version.toHtmlEscaped(), QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR), torch, device,
           commit.toHtmlEscaped());
}

void showAboutDialog(QWidget* parent) { QMessageBox::about(parent, QObject::tr("About MOON Workbench"), aboutText()); }

}  // namespace moon
