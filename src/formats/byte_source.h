#pragma once
// Where importers read their bytes from: a file, a string, or anything the caller wraps (the app
// wraps a file to hash it while it streams). Importers pull fixed-size chunks and never ask for
// the whole input, so memory stays bounded by the chunk and the largest record.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace pw::formats {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `size` bytes into `out`. Returns the number read; 0 means end of input.
  virtual core::Result<std::size_t> read(char* out, std::size_t size) = 0;
  // The total number of bytes if known in advance (a regular file), else 0. Used for progress.
  virtual std::uint64_t size_hint() const { return 0; }
};

// Reads a file. Not thread-safe; one reader per object.
class FileByteSource final : public ByteSource {
 public:
  // Fails with not_found / permission_denied / unavailable naming the path.
  static core::Result<std::unique_ptr<FileByteSource>> open(const std::string& path);
  ~FileByteSource() override;
  FileByteSource(const FileByteSource&) = delete;
  FileByteSource& operator=(const FileByteSource&) = delete;

  core::Result<std::size_t> read(char* out, std::size_t size) override;
  std::uint64_t size_hint() const override { return size_; }

 private:
  FileByteSource(std::FILE* file, std::string path, std::uint64_t size)
      : file_(file), path_(std::move(path)), size_(size) {}
  std::FILE* file_;
  std::string path_;
  std::uint64_t size_;
};

// Reads from memory the caller owns; `data` must outlive the source.
class StringByteSource final : public ByteSource {
 public:
  explicit StringByteSource(std::string_view data) : data_(data) {}
  core::Result<std::size_t> read(char* out, std::size_t size) override;
  std::uint64_t size_hint() const override { return data_.size(); }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

}  // namespace pw::formats
