#pragma once
// Streaming reader of OCDS 1.1 releases with the bids extension (issue 8), one
// domain::Procedure per release, handed to a sink as soon as it is read: a file of a million
// releases never sits in memory. Contract as formats/import.h (per-record issues with file,
// record number, byte offset and field path; strict and lenient; file-level errors; bounded
// memory; no exception escapes).
//
// Framings: a release package ({"releases": [...]}, one per input), a JSON array of releases,
// JSON lines (one release per line; blank lines are skipped). Releases should be compiled
// releases (one per ocid, as cardinal and most analyses expect).
//
// Mapping:
//   ocid -> Procedure::id; tender.title; buyer.id (else buyer.name) -> buyer;
//   tender.value -> estimated_value; tender.procurementMethodDetails -> method_details;
//   tender.status -> tender_status; tender.lots[] (id, title, value -> estimate);
//   bids.details[] (id, status, tenderers[].id, value, relatedLots) into the lots; awards[]
//   (id, status, suppliers[].id, value, relatedLots) into the lots. Without tender.lots the
//   procedure has one lot with id "" whose estimate is tender.value.
//   A bid without relatedLots goes to the single lot; an award may name several lots and is
//   then listed in each. A bid or award without an id is named by its position ("#1").
//   Bid::bidder is the first tenderer; Bid::valid is status == "valid".
// Amounts: major units in the JSON -> integer minor units with the currency's ISO 4217
//   exponent (table and source in internal/amount.h); converted from the number's text,
//   exactly.
//
// Bad data (an error: the release is skipped whole and the issue names the field; strict mode
// stops at the first one):
//   no ocid; an ocid seen before (duplicate); a non-numeric amount, a negative amount, an
//   amount with more decimals than its currency has (never rounded), an amount without a
//   currency, a currency not in ISO 4217; bids of one lot in different currencies; a bid
//   status outside the bidStatus codelist (invited, pending, valid, disqualified, withdrawn);
//   a lot without an id or a duplicate lot id; relatedLots naming no lot of tender.lots, a bid
//   for several lots (one price cannot be split), a bid or award without relatedLots in a
//   procedure with several lots; a field of the wrong JSON type; malformed JSON.
// Kept, with a warning: a bid without status (not counted as valid: OCDS evaluates only
//   "valid" bids, and cardinal does the same); a tenderer or supplier without an id (left out).
// Kept silently: a value without an amount (Money absent: the engine reports it where it
//   needs it, the cardinal screen leaves such a bid out as cardinal does); award statuses as
//   given (the workflow and the cardinal screen judge them).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/procurement.h"
#include "formats/byte_source.h"
#include "formats/import.h"

namespace pw::formats::ocds {

// Where a release is in the input: 1-based record number and byte offset of its first byte.
struct ReleaseRef {
  std::uint64_t record = 0;
  std::uint64_t offset = 0;
};

// Receives each procedure in input order. An error stops the read and is returned as is.
using ProcedureSink = std::function<core::Status(domain::Procedure&&)>;
// The same, also told where the release is (to name it in the caller's own messages).
using LocatedProcedureSink = std::function<core::Status(domain::Procedure&&, const ReleaseRef&)>;

struct ReadOptions {
  ImportOptions import;  // strict, max_issues, max_depth, max_record_bytes, chunk_bytes
  bool check_duplicate_ocids = true;  // keeps every ocid seen (some 70 bytes each)
};

struct ReadSummary {
  std::uint64_t bytes_read = 0;
  std::uint64_t releases_read = 0;     // records seen, good or bad
  std::uint64_t releases_skipped = 0;  // records dropped because of an error
  std::uint64_t procedures = 0;        // handed to the sink
  std::uint64_t bids = 0;
  std::uint64_t awards = 0;
  std::uint64_t errors = 0;
  std::uint64_t warnings = 0;
  bool package = false;  // the input was a release package
};

struct ReadResult {
  ReadSummary summary;
  std::vector<RecordIssue> issues;  // at most max_issues, in input order
};

core::Result<ReadResult> read_releases(ByteSource& source, std::string_view display_name,
                                       const ReadOptions& options, const LocatedProcedureSink& sink,
                                       const ProgressFn& progress = {});
core::Result<ReadResult> read_releases(ByteSource& source, std::string_view display_name,
                                       const ReadOptions& options, const ProcedureSink& sink,
                                       const ProgressFn& progress = {});

// Issues name the file by its name without directories.
core::Result<ReadResult> read_file(const std::string& path, const ReadOptions& options,
                                   const LocatedProcedureSink& sink,
                                   const ProgressFn& progress = {});
core::Result<ReadResult> read_file(const std::string& path, const ReadOptions& options,
                                   const ProcedureSink& sink, const ProgressFn& progress = {});

core::Result<ReadResult> read_string(std::string_view data, std::string_view display_name,
                                     const ReadOptions& options, const LocatedProcedureSink& sink);
core::Result<ReadResult> read_string(std::string_view data, std::string_view display_name,
                                     const ReadOptions& options, const ProcedureSink& sink);

}  // namespace pw::formats::ocds
