#include "formats/byte_source.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace pw::formats {

core::Result<std::unique_ptr<FileByteSource>> FileByteSource::open(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int err = errno;
    std::string msg = "cannot open '" + path + "': " + std::strerror(err);
    if (err == ENOENT) return core::not_found(std::move(msg));
    if (err == EACCES) return core::permission_denied(std::move(msg));
    return core::unavailable(std::move(msg));
  }
  struct stat st {};
  std::uint64_t size = 0;
  if (::fstat(::fileno(f), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      std::fclose(f);
      return core::invalid_argument("'" + path + "' is a directory, not a file");
    }
    if (S_ISREG(st.st_mode)) size = static_cast<std::uint64_t>(st.st_size);
  }
  // Reads are large and go straight to the caller's buffer; stdio's own buffer would only
  // add a copy.
  std::setvbuf(f, nullptr, _IONBF, 0);
  return std::unique_ptr<FileByteSource>(new FileByteSource(f, path, size));
}

FileByteSource::~FileByteSource() {
  if (file_ != nullptr) std::fclose(file_);
}

core::Result<std::size_t> FileByteSource::read(char* out, std::size_t size) {
  const std::size_t n = std::fread(out, 1, size, file_);
  if (n < size && std::ferror(file_)) {
    return core::unavailable("read error on '" + path_ + "': " + std::strerror(errno));
  }
  return n;
}

core::Result<std::size_t> StringByteSource::read(char* out, std::size_t size) {
  const std::size_t n = std::min(size, data_.size() - pos_);
  if (n > 0) std::memcpy(out, data_.data() + pos_, n);
  pos_ += n;
  return n;
}

}  // namespace pw::formats
