#include "shared/common/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "shared/common/error.h"

namespace tt {
namespace {

std::string os_error(const std::string& what, const std::filesystem::path& file) {
  return what + " " + file.string() + ": " + std::strerror(errno);
}

Bytes read_all(const std::filesystem::path& file) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(os_error("cannot open", file));
  Bytes out;
  std::uint8_t buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      int saved = errno;
      ::close(fd);
      errno = saved;
      throw Error(os_error("cannot read", file));
    }
    if (n == 0) break;
    out.insert(out.end(), buffer, buffer + n);
  }
  ::close(fd);
  return out;
}

}  // namespace

std::string read_text_file(const std::filesystem::path& file) {
  Bytes b = read_all(file);
  return std::string(b.begin(), b.end());
}

Bytes read_binary_file(const std::filesystem::path& file) {
  return read_all(file);
}

void fsync_directory(const std::filesystem::path& directory) {
  int fd = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw Error(os_error("cannot open directory", directory));
  if (::fsync(fd) != 0) {
    int saved = errno;
    ::close(fd);
    errno = saved;
    throw Error(os_error("cannot flush directory", directory));
  }
  ::close(fd);
}

void write_file_atomically(const std::filesystem::path& file, ByteView contents, mode_t mode, bool overwrite) {
  std::error_code ec;
  if (!overwrite && std::filesystem::exists(file, ec)) {
    throw Error("refusing to overwrite " + file.string() + ": it already exists");
  }
  std::filesystem::path directory = file.parent_path();
  std::filesystem::path temp = file;
  temp += ".tmp-XXXXXX";
  std::string pattern = temp.string();
  int fd = ::mkstemp(pattern.data());
  if (fd < 0) throw Error(os_error("cannot create a temporary file beside", file));
  auto fail = [&](const std::string& what) {
    int saved = errno;
    ::close(fd);
    ::unlink(pattern.c_str());
    errno = saved;
    throw Error(os_error(what, file));
  };
  if (::fchmod(fd, mode) != 0) fail("cannot set permissions on");
  std::size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write");
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail("cannot flush");
  if (::close(fd) != 0) {
    int saved = errno;
    ::unlink(pattern.c_str());
    errno = saved;
    throw Error(os_error("cannot close", file));
  }
  if (!overwrite) {
    // link() fails if the target exists, which closes the race between the check and rename.
    if (::link(pattern.c_str(), file.c_str()) != 0) {
      int saved = errno;
      ::unlink(pattern.c_str());
      errno = saved;
      throw Error(os_error("cannot create", file));
    }
    ::unlink(pattern.c_str());
  } else if (::rename(pattern.c_str(), file.c_str()) != 0) {
    int saved = errno;
    ::unlink(pattern.c_str());
    errno = saved;
    throw Error(os_error("cannot replace", file));
  }
  fsync_directory(directory);
}

}  // namespace tt
