#pragma once

// Writes a file so that readers see either the old content or the complete new
// content, never a half-written file: the bytes go to a temporary file in the
// same folder, which is flushed to disk (fsync) and then renamed over the
// target. If anything fails before the rename, the old file is untouched and
// the temporary file is removed. Used for checkpoints, exports and configs.
//
//   AtomicFile out(path);      // creates "<path>.tmp-…" next to the target
//   out.write(header.data(), header.size());
//   out.write(payload, n);
//   out.commit();              // fsync + rename; without it nothing changes
//
// Errors throw IoError naming the target file.

#include <cstddef>
#include <string>

namespace moon {

class AtomicFile {
 public:
  // The target's folder must exist. A new file gets mode 0666 minus the umask;
  // an existing target keeps its permission bits.
  explicit AtomicFile(std::string path);
  // Discards the temporary file unless commit() succeeded.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, size_t size);
  void write(const std::string& bytes) { write(bytes.data(), bytes.size()); }

  // Flushes, renames over the target and syncs the folder. Call once.
  void commit();

  const std::string& path() const { return path_; }
  const std::string& tempPath() const { return tempPath_; }

 private:
  void discard() noexcept;
  [[noreturn]] void fail(const std::string& what, int err);

  std::string path_;
  std::string tempPath_;
  int fd_ = -1;
  bool committed_ = false;
};

// One-shot helpers.
void writeFileAtomically(const std::string& path, const void* data, size_t size);
void writeFileAtomically(const std::string& path, const std::string& bytes);

}  // namespace moon
