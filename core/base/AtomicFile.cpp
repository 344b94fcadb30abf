#include "core/base/AtomicFile.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/Error.h"

namespace moon {
namespace {

std::string errnoText(int err) { return std::strerror(err); }

// Unique within the process (counter) and across processes (pid).
std::string tempNameFor(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  return path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
}

// Makes the rename itself durable; failure here is not fatal for readers.
void syncFolderOf(const std::string& path) {
  std::filesystem::path folder = std::filesystem::path(path).parent_path();
  if (folder.empty()) folder = ".";
  const int dirFd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirFd < 0) return;
  ::fsync(dirFd);
  ::close(dirFd);
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  if (path_.empty()) throw IoError("cannot write a file with an empty path");
  for (int attempt = 0; attempt < 100 && fd_ < 0; ++attempt) {
    tempPath_ = tempNameFor(path_);
    fd_ = ::open(tempPath_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ < 0 && errno != EEXIST) {
      const int err = errno;
      tempPath_.clear();
      throw IoError(path_ + ": cannot create a temporary file next to it: " + errnoText(err));
    }
  }
  if (fd_ < 0) throw IoError(path_ + ": cannot find a free temporary file name");
  struct stat old {};
  if (::stat(path_.c_str(), &old) == 0 && S_ISREG(old.st_mode)) ::fchmod(fd_, old.st_mode & 07777);
}

AtomicFile::~AtomicFile() {
  if (!committed_) discard();
}

void AtomicFile::discard() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!tempPath_.empty()) {
    ::unlink(tempPath_.c_str());
    tempPath_.clear();
  }
}

void AtomicFile::fail(const std::string& what, int err) {
  discard();
  throw IoError(path_ + ": " + what + ": " + errnoText(err));
}

void AtomicFile::write(const void* data, size_t size) {
  if (fd_ < 0) throw IoError(path_ + ": write after commit or failure");
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd_, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed", errno);
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
}

void AtomicFile::commit() {
  if (fd_ < 0) throw IoError(path_ + ": commit after commit or failure");
  if (::fsync(fd_) != 0) fail("fsync failed", errno);
  if (::close(fd_) != 0) {
    fd_ = -1;
    fail("close failed", errno);
  }
  fd_ = -1;
  if (::rename(tempPath_.c_str(), path_.c_str()) != 0) fail("cannot replace the file", errno);
  tempPath_.clear();
  committed_ = true;
  syncFolderOf(path_);
}

void writeFileAtomically(const std::string& path, const void* data, size_t size) {
  AtomicFile out(path);
  out.write(data, size);
  out.commit();
}

void writeFileAtomically(const std::string& path, const std::string& bytes) {
  writeFileAtomically(path, bytes.data(), bytes.size());
}

}  // namespace moon
