#include "formats/ocds/ocds_reader.h"

#include <filesystem>
#include <memory>

#include "formats/internal/issues.h"
#include "formats/internal/json_records.h"
#include "formats/internal/string_interner.h"
#include "formats/ocds/internal/framing.h"
#include "formats/ocds/internal/release.h"

namespace pw::formats::ocds {

namespace {

LocatedProcedureSink located(const ProcedureSink& sink) {
  return [&sink](domain::Procedure&& p, const ReleaseRef&) { return sink(std::move(p)); };
}

}  // namespace

core::Result<ReadResult> read_releases(ByteSource& source, std::string_view display_name,
                                       const ReadOptions& options, const LocatedProcedureSink& sink,
                                       const ProgressFn& progress) {
  formats::internal::IssueCollector issues(std::string(display_name), options.import);
  formats::internal::MeteredSource metered(source, issues.summary(), progress);
  internal::ReleaseSource releases(metered, issues,
                                   std::max<std::size_t>(options.import.chunk_bytes, 4096),
                                   options.import.max_record_bytes);
  formats::internal::StringInterner ocids;
  ReadSummary out;
  std::vector<internal::FieldError> warnings;
  auto visit = [&](simdjson::ondemand::object& record,
                   const formats::internal::RecordRef& stream_ref) -> core::Status {
    // Offsets in the input, not in the releases array passed on.
    const formats::internal::RecordRef ref{stream_ref.number,
                                           stream_ref.offset + releases.skipped()};
    warnings.clear();
    auto parsed = internal::parse_release(record, warnings);
    if (!parsed) {
      ++issues.summary().records_skipped;
      return issues.error(ref, std::move(parsed.error().field), std::move(parsed.error().message));
    }
    if (options.check_duplicate_ocids) {
      const auto id = ocids.intern(parsed->id);
      if (!id.inserted) {
        ++issues.summary().records_skipped;
        return issues.error(ref, "ocid",
                            "duplicate ocid '" + parsed->id +
                                "': expected compiled releases (one per ocid); skipped");
      }
    }
    for (auto& w : warnings) issues.warning(ref, std::move(w.field), std::move(w.message));
    ++out.procedures;
    for (const auto& lot : parsed->lots) {
      out.bids += lot.bids.size();
      out.awards += lot.awards.size();
    }
    return sink(std::move(*parsed), ReleaseRef{ref.number, ref.offset});
  };
  auto status = formats::internal::read_json_records(releases, issues, visit);
  metered.report();
  if (!status) return std::unexpected(status.error());
  const ImportSummary& s = issues.summary();
  out.bytes_read = s.bytes_read;
  out.releases_read = s.records_read;
  out.releases_skipped = s.records_skipped;
  out.errors = s.errors;
  out.warnings = s.warnings;
  out.package = releases.is_package();
  return ReadResult{out, issues.take_issues()};
}

core::Result<ReadResult> read_releases(ByteSource& source, std::string_view display_name,
                                       const ReadOptions& options, const ProcedureSink& sink,
                                       const ProgressFn& progress) {
  return read_releases(source, display_name, options, located(sink), progress);
}

core::Result<ReadResult> read_file(const std::string& path, const ReadOptions& options,
                                   const LocatedProcedureSink& sink, const ProgressFn& progress) {
  PW_ASSIGN_OR_RETURN(auto file, FileByteSource::open(path));
  return read_releases(*file, std::filesystem::path(path).filename().string(), options, sink,
                       progress);
}

core::Result<ReadResult> read_file(const std::string& path, const ReadOptions& options,
                                   const ProcedureSink& sink, const ProgressFn& progress) {
  return read_file(path, options, located(sink), progress);
}

core::Result<ReadResult> read_string(std::string_view data, std::string_view display_name,
                                     const ReadOptions& options, const LocatedProcedureSink& sink) {
  StringByteSource source(data);
  return read_releases(source, display_name, options, sink);
}

core::Result<ReadResult> read_string(std::string_view data, std::string_view display_name,
                                     const ReadOptions& options, const ProcedureSink& sink) {
  return read_string(data, display_name, options, located(sink));
}

}  // namespace pw::formats::ocds
