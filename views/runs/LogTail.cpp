#include "views/runs/LogTail.h"

#include <QFile>
#include <QFontDatabase>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>

namespace moon {

LogTail::LogTail(QWidget* parent) : QPlainTextEdit(parent) {
  setReadOnly(true);
  setMaximumBlockCount(kMaxLines);
  setLineWrapMode(QPlainTextEdit::NoWrap);
  setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  setPlaceholderText(tr("The selected run's log appears here."));
  timer_.setInterval(500);
  connect(&timer_, &QTimer::timeout, this, &LogTail::poll);
}

void LogTail::follow(const QString& path, const QStringList& extraLines) {
  if (path == path_ && extraLines == extra_) return;
  clear();
  path_ = path;
  offset_ = 0;
  partial_.clear();
  extra_ = extraLines;
  poll();
  if (!extra_.isEmpty()) appendPlainText(extra_.join(QLatin1Char('\n')));
  horizontalScrollBar()->setValue(0);
  if (path_.isEmpty())
    timer_.stop();
  else
    timer_.start();
}

void LogTail::poll() {
  if (path_.isEmpty()) return;
  QFile file(path_);
  if (!file.open(QIODevice::ReadOnly)) return;
  const qint64 size = file.size();
  if (size < offset_) {  // rewritten
    clear();
    offset_ = 0;
    partial_.clear();
  }
  if (size == offset_) return;
  if (offset_ == 0 && size > kInitialBytes) offset_ = size - kInitialBytes;
  file.seek(offset_);
  const QByteArray bytes = file.readAll();
  offset_ += bytes.size();
  QString text = partial_ + QString::fromUtf8(bytes);
  const int lastNewline = text.lastIndexOf(QLatin1Char('\n'));
  partial_ = text.mid(lastNewline + 1);
  if (lastNewline < 0) return;
  text.truncate(lastNewline);
  QScrollBar* bar = verticalScrollBar();
  const bool atEnd = bar->value() >= bar->maximum() - 2;
  appendPlainText(text);
  // The cursor at the start of the last line, not its end: scrolling to keep
  // it visible must not hide the start of lines (time, layer, level).
  QTextCursor cursor = textCursor();
  cursor.movePosition(QTextCursor::End);
  cursor.movePosition(QTextCursor::StartOfBlock);
  setTextCursor(cursor);
  if (atEnd) bar->setValue(bar->maximum());
}

QStringList LogTail::lastLines(int n) const {
  QStringList out;
  for (QTextBlock b = document()->lastBlock(); b.isValid() && out.size() < n; b = b.previous())
    if (!b.text().isEmpty()) out.prepend(b.text());
  return out;
}

}  // namespace moon
