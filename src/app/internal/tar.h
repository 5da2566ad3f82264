#pragma once
// A POSIX ustar archive written into memory (private to app/): regular files only, for the
// auditor bundle served over the API. Any tar reader (GNU tar, bsdtar, Python's tarfile)
// extracts it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace pw::app::internal {

class TarWriter {
 public:
  // Appends one regular file (mode 0644). invalid_argument for a name that does not fit a ustar
  // header (at most 99 bytes here, no "..", not absolute) or content of 8 GiB or more.
  core::Status add(std::string_view name, std::string_view content);
  // For content produced piece by piece: begin(), append to out(), then end().
  core::Status begin(std::string_view name);
  std::string& out() { return archive_; }
  core::Status end();
  // The end-of-archive marker (two zero blocks); returns the archive.
  std::string finish() &&;

  // Modification time written into the headers (seconds since 1970).
  void set_mtime(std::int64_t seconds) { mtime_ = seconds; }

 private:
  std::string archive_;
  std::size_t header_at_ = 0;
  std::string name_;
  bool open_ = false;
  std::int64_t mtime_ = 0;
};

}  // namespace pw::app::internal
