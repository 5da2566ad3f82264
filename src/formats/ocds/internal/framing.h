#pragma once
// Presents any of the three OCDS framings to the shared JSON record reader
// (formats/internal/json_records.h), which knows JSON arrays and JSON lines:
// - a JSON array of releases and JSON lines pass through unchanged;
// - a release package ({"uri": ..., "releases": [ ... ], ...}, pretty-printed or not) is cut
//   down to its "releases" array: the bytes before it and after it are scanned (strings,
//   escapes, nesting) and dropped, so a package of a million releases streams like an array.
//
// How the framing is told apart: '[' first is an array. '{' first is a package if the first
// object has a key "releases" at its top level whose value is an array; the bytes read while
// deciding are kept and replayed when it turns out to be JSON lines (the first object closes
// without such a key, a raw newline appears inside a string, or the input ends after several
// lines). Input that ends inside a first record on one line is a truncated file.
//
// One package per input. File-level errors come out of read(): a package whose "releases" is
// not an array, content after the package, a package cut short, a first record larger than the
// limit. An object without "releases" is taken for JSON lines: if it spans several lines, the
// record reader reports its lines as malformed records.

#include <cstdint>
#include <string>

#include "core/result.h"
#include "formats/byte_source.h"
#include "formats/internal/issues.h"

namespace pw::formats::ocds::internal {

class ReleaseSource final : public ByteSource {
 public:
  // `inner` and `issues` must outlive this object. `max_prefix` bounds the bytes kept while
  // deciding (the package metadata before "releases", or the first JSON line).
  ReleaseSource(ByteSource& inner, const formats::internal::IssueCollector& issues,
                std::size_t chunk_bytes, std::size_t max_prefix)
      : inner_(inner), issues_(issues), chunk_(chunk_bytes), max_prefix_(max_prefix) {}

  core::Result<std::size_t> read(char* out, std::size_t size) override;
  std::uint64_t size_hint() const override { return inner_.size_hint(); }

  bool is_package() const { return package_; }
  // Input bytes dropped before the first byte passed on: add to an offset in the passed-on
  // stream to get the offset in the input.
  std::uint64_t skipped() const { return skipped_; }

 private:
  enum class Mode { kDetect, kPass, kPrefix, kReleases, kSuffix, kDone };
  core::Status feed(const char* p, std::size_t n);
  core::Status finish();
  // The pending prefix turned out not to be a package: pass all of it on.
  void replay();

  ByteSource& inner_;
  const formats::internal::IssueCollector& issues_;
  const std::size_t chunk_;
  const std::size_t max_prefix_;

  Mode mode_ = Mode::kDetect;
  bool package_ = false;
  bool eof_ = false;
  std::uint64_t consumed_ = 0;  // input bytes fed so far
  std::uint64_t skipped_ = 0;
  std::string pending_;  // kPrefix: bytes read while deciding
  std::string out_;      // bytes to hand out
  std::size_t out_pos_ = 0;
  std::string in_;  // read buffer

  // Scanner state (kPrefix, kReleases, kSuffix).
  std::size_t depth_ = 0;
  bool in_string_ = false;
  bool escape_ = false;
  std::string string_;           // the current string at depth 1 (up to 9 bytes), a key maybe
  bool after_string_ = false;    // a string at depth 1 just closed: a ':' makes it a key
  bool releases_key_ = false;    // the key just read at depth 1 is "releases"
  bool awaiting_value_ = false;  // after "releases": the next non-space byte starts its value
  bool prefix_newline_ = false;  // kPrefix: a newline outside strings was seen
};

}  // namespace pw::formats::ocds::internal
