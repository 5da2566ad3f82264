#include "formats/internal/issues.h"

#include <utility>

namespace pw::formats {

std::string RecordIssue::to_string() const {
  std::string out = file;
  if (record > 0) {
    out += " record " + std::to_string(record);
  } else {
    out += " byte " + std::to_string(offset);
  }
  out += ": ";
  if (!field.empty()) out += field + ": ";
  out += message;
  return out;
}

namespace internal {

void IssueCollector::add(RecordIssue issue) {
  if (issue.severity == Severity::kError) {
    ++summary_.errors;
  } else {
    ++summary_.warnings;
  }
  if (issues_.size() < options_.max_issues) issues_.push_back(std::move(issue));
}

core::Status IssueCollector::error(const RecordRef& ref, std::string field, std::string message) {
  RecordIssue issue{Severity::kError,  file_, ref.number, ref.offset, std::move(field),
                    std::move(message)};
  if (options_.strict) {
    ++summary_.errors;
    return core::invalid_argument(issue.to_string());
  }
  add(std::move(issue));
  return core::ok();
}

void IssueCollector::warning(const RecordRef& ref, std::string field, std::string message) {
  add(RecordIssue{Severity::kWarning, file_, ref.number, ref.offset, std::move(field),
                  std::move(message)});
}

core::Error IssueCollector::fatal(core::Code code, std::uint64_t offset,
                                  const std::string& message) const {
  return core::Error(code, file_ + ": byte " + std::to_string(offset) + ": " + message);
}

std::string IssueCollector::source(const RecordRef& ref) const {
  return file_ + "#" + std::to_string(ref.number);
}

core::Result<std::size_t> MeteredSource::read(char* out, std::size_t size) {
  auto n = inner_.read(out, size);
  if (!n) return n;
  summary_.bytes_read += *n;
  report();
  return n;
}

void MeteredSource::report() const {
  if (progress_)
    progress_(Progress{summary_.bytes_read, inner_.size_hint(), summary_.records_read});
}

}  // namespace internal
}  // namespace pw::formats
