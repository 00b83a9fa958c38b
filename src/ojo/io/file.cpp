// Whole-file reads and crash-safe writes (see include/ojo/io/file.hpp).
#include "ojo/io/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <string>

#include "ojo/core/error.hpp"

namespace ojo {
namespace {

// Closes a descriptor when the scope ends.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

std::string errno_text(int err) { return std::strerror(err); }

}  // namespace

std::string read_file(const std::string& path, const std::string& op) {
  Fd f;
  f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0) fail(op, "cannot open ", path, ": ", errno_text(errno));
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) fail(op, "cannot stat ", path, ": ", errno_text(errno));
  if (S_ISDIR(st.st_mode)) fail(op, "cannot read ", path, ": Is a directory");
  auto read_some = [&](char* into, size_t n) -> size_t {
    for (;;) {
      const ssize_t got = ::read(f.fd, into, n);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno != EINTR) fail(op, "cannot read ", path, ": ", errno_text(errno));
    }
  };
  // Regular files are read straight into the string; anything else (a pipe) in chunks.
  std::string bytes(S_ISREG(st.st_mode) ? static_cast<size_t>(st.st_size) : 0, '\0');
  size_t size = 0;
  while (size < bytes.size()) {
    const size_t got = read_some(bytes.data() + size, bytes.size() - size);
    if (got == 0) break;
    size += got;
  }
  bytes.resize(size);
  char chunk[1 << 16];
  while (const size_t got = read_some(chunk, sizeof chunk)) bytes.append(chunk, got);
  return bytes;
}

void write_file_atomic(const std::string& path, const std::string& bytes, const std::string& op) {
  if (path.empty()) fail(op, "empty output path");
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    fail(op, "cannot write ", path, ": Is a directory");

  // Temporary file beside the target, so the rename stays on one file system.
  std::string tmp = path + ".tmp-XXXXXX";
  Fd f;
  f.fd = ::mkstemp(tmp.data());
  if (f.fd < 0) fail(op, "cannot write ", path, ": cannot create a file in ", dir, ": ", errno_text(errno));
  auto abandon = [&](const char* what, int err) {
    ::close(f.fd);
    f.fd = -1;
    ::unlink(tmp.c_str());
    fail(op, "cannot write ", path, ": ", what, ": ", errno_text(err));
  };
  // mkstemp creates 0600; give the file the usual permissions (0666 minus umask).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(f.fd, 0666 & ~mask) != 0) abandon("chmod failed", errno);

  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(f.fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      abandon("write failed", errno);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(f.fd) != 0) abandon("fsync failed", errno);
  if (::close(f.fd) != 0) {
    const int err = errno;
    f.fd = -1;
    ::unlink(tmp.c_str());
    fail(op, "cannot write ", path, ": close failed: ", errno_text(err));
  }
  f.fd = -1;
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    fail(op, "cannot write ", path, ": rename failed: ", errno_text(err));
  }
  // Make the rename itself durable.
  Fd d;
  d.fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d.fd >= 0) ::fsync(d.fd);
}

std::string file_extension(const std::string& path) {
  const size_t slash = path.rfind('/');
  const size_t dot = path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  if (dot == 0 || (slash != std::string::npos && dot == slash + 1)) return "";  // ".bashrc" has none
  std::string ext = path.substr(dot);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

}  // namespace ojo
