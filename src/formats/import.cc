#include "formats/import.h"

#include <filesystem>

#include "formats/bods/bods_importer.h"
#include "formats/ftm/ftm_importer.h"
#include "formats/gleif/gleif_importer.h"
#include "formats/internal/issues.h"

namespace pw::formats {

std::string_view format_name(Format format) {
  switch (format) {
    case Format::kBods:
      return "bods";
    case Format::kGleif:
      return "gleif";
    case Format::kFtm:
      return "ftm";
  }
  return "bods";
}

core::Result<Format> parse_format(std::string_view name) {
  for (Format f : {Format::kBods, Format::kGleif, Format::kFtm}) {
    if (format_name(f) == name) return f;
  }
  return core::invalid_argument("unknown import format '" + std::string(name) +
                                "' (want bods, gleif or ftm)");
}

core::Result<ImportResult> import_source(ByteSource& source, std::string_view display_name,
                                         Format format, const ImportOptions& options,
                                         const ProgressFn& progress) {
  internal::IssueCollector issues(std::string(display_name), options);
  internal::MeteredSource metered(source, issues.summary(), progress);
  core::Result<domain::OwnershipDataset> dataset = [&] {
    switch (format) {
      case Format::kGleif:
        return gleif::import(metered, issues);
      case Format::kFtm:
        return ftm::import(metered, issues);
      case Format::kBods:
        break;
    }
    return bods::import(metered, issues);
  }();
  if (!dataset) return std::unexpected(std::move(dataset).error());
  ImportResult result;
  result.dataset = std::move(*dataset);
  result.summary = issues.summary();
  result.summary.entities = result.dataset.entities.size();
  result.summary.edges = result.dataset.edges.size();
  result.issues = issues.take_issues();
  metered.report();
  return result;
}

core::Result<ImportResult> import_file(const std::string& path, Format format,
                                       const ImportOptions& options, const ProgressFn& progress) {
  PW_ASSIGN_OR_RETURN(auto source, FileByteSource::open(path));
  const std::string name = std::filesystem::path(path).filename().string();
  return import_source(*source, name, format, options, progress);
}

core::Result<ImportResult> import_string(std::string_view data, std::string_view display_name,
                                         Format format, const ImportOptions& options) {
  StringByteSource source(data);
  return import_source(source, display_name, format, options);
}

}  // namespace pw::formats
