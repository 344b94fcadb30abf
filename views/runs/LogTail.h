#pragma once

// The end of a run's log file (runs/<id>/train.log), followed while it grows:
// a timer reads only the bytes appended since the last read; a file that
// shrank (rewritten) is read again from the start.

#include <QPlainTextEdit>
#include <QTimer>

namespace moon {

class LogTail : public QPlainTextEdit {
  Q_OBJECT
 public:
  static constexpr int kMaxLines = 2000;
  static constexpr qint64 kInitialBytes = 256 * 1024;  // a huge log starts near its end

  explicit LogTail(QWidget* parent = nullptr);

  // Follows `path` (empty: nothing); `extraLines` (e.g. a child's stderr) are shown after it.
  void follow(const QString& path, const QStringList& extraLines = {});
  QString path() const { return path_; }
  // Reads what was appended; called by the timer.
  void poll();
  // The last `n` lines shown.
  QStringList lastLines(int n) const;

 private:
  QString path_;
  qint64 offset_ = 0;
  QString partial_;  // a line not yet ended by '\n'
  QStringList extra_;
  QTimer timer_;
};

}  // namespace moon
