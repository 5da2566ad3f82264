#pragma once
// Streams the records of a JSON input one at a time, whichever framing it uses:
// - a JSON array of records: "[ {...}, {...} ]" (a BODS package, a GLEIF golden-copy file);
// - JSON lines: one record per line (OpenSanctions exports, large BODS dumps).
// The framing is chosen from the first non-whitespace byte ('[' or '{'; a UTF-8 BOM is skipped).
//
// How: a byte scanner finds record boundaries chunk by chunk (tracking strings, escapes and
// nesting, so it never needs more than the current record in memory) and each complete record
// is parsed in place with simdjson On-Demand. Records are parsed one by one rather than with
// iterate_many: iterate_many indexes a whole batch at once, so one malformed line (an unclosed
// string, bad UTF-8) would corrupt the document boundaries of every record after it in the
// batch; parsing per record isolates it, names it, and costs a few hundred nanoseconds per
// record.
//
// Record-level problems (too deep, too large, truncated line, malformed JSON, trailing content,
// not an object) are reported to the IssueCollector and the record is skipped. File-level
// problems (empty input, unknown framing, truncated array, content after the array) end the
// read with an error.

#include <simdjson.h>

#include <functional>

#include "core/result.h"
#include "formats/byte_source.h"
#include "formats/internal/issues.h"

namespace pw::formats::internal {

// Called for every well-framed record whose root is an object. Record-level problems are to be
// reported through the IssueCollector; return an error only to stop the import (the error
// IssueCollector::error returns in strict mode).
using JsonRecordFn =
    std::function<core::Status(simdjson::ondemand::object& record, const RecordRef& ref)>;

core::Status read_json_records(ByteSource& source, IssueCollector& issues,
                               const JsonRecordFn& visit);

// A readable message for a simdjson error code met while reading a value.
std::string json_error_message(simdjson::error_code code);

}  // namespace pw::formats::internal
