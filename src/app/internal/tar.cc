#include "app/internal/tar.h"

#include <cstdio>
#include <cstring>

namespace pw::app::internal {
namespace {

constexpr std::size_t kBlock = 512;

// Writes `value` as `width - 1` octal digits and a NUL into field[0, width).
void octal(char* field, std::size_t width, std::uint64_t value) {
  field[width - 1] = '\0';
  for (std::size_t i = width - 1; i-- > 0;) {
    field[i] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
}

}  // namespace

core::Status TarWriter::begin(std::string_view name) {
  if (open_) return core::failed_precondition("tar: a file is still open");
  if (name.empty() || name.size() > 99 || name.front() == '/' ||
      name.find("..") != std::string_view::npos) {
    return core::invalid_argument("tar: bad file name '" + std::string(name) + "'");
  }
  header_at_ = archive_.size();
  archive_.append(kBlock, '\0');
  name_ = std::string(name);
  open_ = true;
  return core::ok();
}

core::Status TarWriter::end() {
  if (!open_) return core::failed_precondition("tar: no file is open");
  open_ = false;
  const std::uint64_t size = archive_.size() - header_at_ - kBlock;
  if (size >= (std::uint64_t{1} << 33)) return core::invalid_argument("tar: file too large");
  char* h = archive_.data() + header_at_;
  std::memcpy(h, name_.data(), name_.size());  // name[100]
  octal(h + 100, 8, 0644);                     // mode
  octal(h + 108, 8, 0);                        // uid
  octal(h + 116, 8, 0);                        // gid
  octal(h + 124, 12, size);                    // size
  octal(h + 136, 12, static_cast<std::uint64_t>(mtime_ < 0 ? 0 : mtime_));
  h[156] = '0';                            // typeflag: regular file
  std::memcpy(h + 257, "ustar", 6);        // magic, NUL-terminated
  std::memcpy(h + 263, "00", 2);           // version
  std::memcpy(h + 265, "portwarden", 10);  // uname
  std::memcpy(h + 297, "portwarden", 10);  // gname
  // The checksum is computed with its own field as eight spaces.
  std::memset(h + 148, ' ', 8);
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < kBlock; ++i) sum += static_cast<unsigned char>(h[i]);
  octal(h + 148, 7, sum);  // six digits and a NUL, then the space already there
  if (const std::size_t rest = size % kBlock; rest != 0) archive_.append(kBlock - rest, '\0');
  return core::ok();
}

core::Status TarWriter::add(std::string_view name, std::string_view content) {
  PW_TRY(begin(name));
  archive_.append(content);
  return end();
}

std::string TarWriter::finish() && {
  archive_.append(2 * kBlock, '\0');
  return std::move(archive_);
}

}  // namespace pw::app::internal
