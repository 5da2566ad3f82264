#pragma once
// Collects record issues and the import summary for one input, and decides (strict mode)
// when an issue ends the import. Owned by one import call; not thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "formats/import.h"

namespace pw::formats::internal {

// Where a record is in the input.
struct RecordRef {
  std::uint64_t number = 0;  // 1-based
  std::uint64_t offset = 0;  // byte offset of its first byte
};

class IssueCollector {
 public:
  IssueCollector(std::string file, const ImportOptions& options)
      : file_(std::move(file)), options_(options) {}

  const std::string& file() const { return file_; }
  const ImportOptions& options() const { return options_; }

  // Records an error-severity issue. In strict mode returns it as an error, which the caller
  // must propagate so the import stops with no dataset; in lenient mode returns ok.
  core::Status error(const RecordRef& ref, std::string field, std::string message);
  // Records a warning; never stops the import.
  void warning(const RecordRef& ref, std::string field, std::string message);

  // A file-level failure (both modes): "<file>: byte <offset>: <message>".
  core::Error fatal(core::Code code, std::uint64_t offset, const std::string& message) const;

  // "<file>#<record>", the Entity/Edge source string.
  std::string source(const RecordRef& ref) const;

  ImportSummary& summary() { return summary_; }
  std::vector<RecordIssue> take_issues() { return std::move(issues_); }

 private:
  void add(RecordIssue issue);

  std::string file_;
  const ImportOptions& options_;
  ImportSummary summary_;
  std::vector<RecordIssue> issues_;
};

// Counts bytes as they pass and reports progress after every read.
class MeteredSource final : public ByteSource {
 public:
  // `inner`, `summary` and `progress` must outlive this object.
  MeteredSource(ByteSource& inner, ImportSummary& summary, const ProgressFn& progress)
      : inner_(inner), summary_(summary), progress_(progress) {}
  core::Result<std::size_t> read(char* out, std::size_t size) override;
  std::uint64_t size_hint() const override { return inner_.size_hint(); }
  void report() const;

 private:
  ByteSource& inner_;
  ImportSummary& summary_;
  const ProgressFn& progress_;
};

}  // namespace pw::formats::internal
