#include "app/internal/new_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pw::app::internal {

core::Status write_new_file(const std::string& path, std::string_view content, mode_t mode,
                            std::string_view what) {
  const std::string name = std::string(what) + " " + path;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST)
      return core::already_exists(name + " already exists; refusing to overwrite it");
    return core::unavailable("cannot create " + name + ": " + std::strerror(errno));
  }
  bool ok = ::fchmod(fd, mode) == 0;
  std::size_t done = 0;
  while (ok && done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
    } else {
      done += static_cast<std::size_t>(n);
    }
  }
  ok = ok && ::fsync(fd) == 0;
  const std::string err = ok ? "" : std::strerror(errno);
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return core::unavailable("cannot write " + name + ": " + err);
  }
  return core::ok();
}

}  // namespace pw::app::internal
