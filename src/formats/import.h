#pragma once
// Streaming importers for the ownership registers portwarden speaks (DESIGN.md section 4):
// Open Ownership BODS 0.4 (and 0.2/0.3), GLEIF Level 1/Level 2 golden-copy records (XML and
// JSON) and OpenSanctions FollowTheMoney entities. Each produces a domain::OwnershipDataset.
//
// Contract:
// - Input is read in chunks from a ByteSource; memory is bounded by the chunk size, the largest
//   record and the dataset being built (plus, for BODS and FtM, one compact copy of every
//   statement until references are resolved at the end of the file).
// - Problems are reported per record: file, 1-based record number, field path, message.
//   A record-level error (a bad share, a dangling reference, a malformed record) drops the
//   record or the part of it that is wrong; a warning keeps it with an approximation (an
//   unparseable FtM percentage becomes Share::unknown()).
// - Strict mode fails on the first record-level error and returns no dataset. Lenient mode
//   carries on and returns the dataset with the issues (a bounded list and full counts).
// - File-level problems fail the import in both modes: an empty file, a file that is not a
//   JSON array / JSON lines / XML document, a truncated JSON array, XML that is not well-formed,
//   any XML DOCTYPE (entity expansion is never performed), a read error.
// - No exception escapes; untrusted input never crashes the process.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/ownership.h"
#include "formats/byte_source.h"

namespace pw::formats {

enum class Format {
  kBods,   // BODS 0.4 statements (recordType) or 0.2/0.3 statements (statementType), mixed freely
  kGleif,  // GLEIF LEI, relationship (RR) and reporting-exception records; XML or JSON
  kFtm,    // FollowTheMoney entities (Company, Person, PublicBody, Ownership, ...)
};
std::string_view format_name(Format format);               // "bods", "gleif", "ftm"
core::Result<Format> parse_format(std::string_view name);  // inverse of format_name

struct ImportOptions {
  bool strict = false;
  std::size_t max_issues = 1000;  // issues kept in ImportResult::issues; all are counted
  std::size_t max_depth = 64;     // JSON/XML nesting limit per record
  std::size_t max_record_bytes = std::size_t{64} << 20;  // a larger record is skipped
  std::size_t chunk_bytes = std::size_t{4} << 20;        // read size
};

enum class Severity { kWarning, kError };

struct RecordIssue {
  Severity severity = Severity::kError;
  std::string file;          // display name of the input
  std::uint64_t record = 0;  // 1-based record number; 0 for the file as a whole
  std::uint64_t offset = 0;  // byte offset in the input where the record starts
  std::string field;         // e.g. "interests[0].share.exact"; empty for the whole record
  std::string message;
  // "bods.json record 12: interests[0].share.exact: -5 is not a percentage in [0, 100]"
  std::string to_string() const;
};

struct ImportSummary {
  std::uint64_t bytes_read = 0;
  std::uint64_t records_read = 0;        // top-level records seen, good or bad
  std::uint64_t records_skipped = 0;     // records dropped whole because of an error
  std::uint64_t records_ignored = 0;     // well-formed records of kinds the model does not use
  std::uint64_t records_superseded = 0;  // BODS statements replaced by a later statement
  std::uint64_t entities = 0;
  std::uint64_t edges = 0;
  std::uint64_t placeholders = 0;  // entities created for references to records not in the file
  std::uint64_t errors = 0;
  std::uint64_t warnings = 0;
};

struct ImportResult {
  domain::OwnershipDataset dataset;
  ImportSummary summary;
  std::vector<RecordIssue> issues;  // at most ImportOptions::max_issues, in input order
};

struct Progress {
  std::uint64_t bytes_read = 0;
  std::uint64_t total_bytes = 0;  // 0 when unknown (a pipe)
  std::uint64_t records = 0;
};
// Called on the importing thread after every chunk read and once at the end; must not throw.
using ProgressFn = std::function<void(const Progress&)>;

// Imports from any byte source; `display_name` names the input in issues (usually the file
// name). Entity ids are prefixed with the source ("bods:", "gleif:", "ftm:").
core::Result<ImportResult> import_source(ByteSource& source, std::string_view display_name,
                                         Format format, const ImportOptions& options,
                                         const ProgressFn& progress = {});

// Imports a file; issues name it by its file name (without directories).
core::Result<ImportResult> import_file(const std::string& path, Format format,
                                       const ImportOptions& options,
                                       const ProgressFn& progress = {});

// Imports in-memory text (tests, API uploads).
core::Result<ImportResult> import_string(std::string_view data, std::string_view display_name,
                                         Format format, const ImportOptions& options);

}  // namespace pw::formats
