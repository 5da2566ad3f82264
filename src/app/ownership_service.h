#pragma once
// Ownership use cases (issue 3): importing register files and answering questions over the
// combined ownership graph.
//
// An import is ONE journal event ("ownership.imported") carrying the source file's SHA-256,
// format, options and counts, not one event per row. The file itself is kept, content
// addressed, in the journal's blob folder (<db dir>/<db stem>.blobs/sha256/<hex>), so the graph
// is a function of the journal plus blobs that verify against it: queries rebuild the graph by
// re-importing the recorded blobs in journal order and merging them by identifier.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/journal_service.h"
#include "core/result.h"
#include "domain/ownership.h"

namespace pw::app {

struct OwnershipImportReport {
  std::uint64_t seq = 0;  // the journal entry recording the import
  std::string sha256;
  std::uint64_t bytes = 0;
  nlohmann::json summary;           // records, entities, edges, skipped, warnings, errors ...
  std::vector<std::string> issues;  // first issues found, "file record N: field: problem"
  bool already_imported = false;    // the same file (digest and format) was imported before
};

// What a query prints: a text for people and a JSON document (or lines) for machines.
struct QueryOutput {
  std::string text;
  std::vector<nlohmann::json> json;  // one document, or one per line (exposure)
};

struct OwnershipQuery {
  // YYYY-MM-DD; default: today (a register's history is consistent on a date, not summed over
  // all of them).
  std::optional<std::string> as_of;
};

class OwnershipService {
 public:
  // `journal` and `clock` are borrowed and must outlive the service.
  OwnershipService(JournalService& journal, const core::Clock& clock, std::string blob_dir);

  // The blob folder that goes with a database path.
  static std::string blob_dir_for(const std::string& db_path);

  core::Result<OwnershipImportReport> import(const std::string& path, const std::string& format,
                                             bool strict, const std::string& actor,
                                             const Progress& progress);

  core::Result<QueryOutput> show(const std::string& entity, const OwnershipQuery& q);
  core::Result<QueryOutput> explain(const std::string& entity,
                                    const std::optional<std::string>& owner, int top_k,
                                    const OwnershipQuery& q);
  core::Result<QueryOutput> exposure(const std::optional<std::string>& state, double min_fraction,
                                     const OwnershipQuery& q);
  // The chains above `entity` as a Graphviz-laid-out SVG.
  core::Result<std::string> graph_svg(const std::string& entity, const OwnershipQuery& q);

  // The ownership data of every import, re-read from the blobs (each checked against the
  // digest the journal recorded) and merged. failed_precondition when nothing was imported.
  core::Result<domain::OwnershipDataset> dataset();
  // The query's date, or today (UTC).
  core::Result<domain::Date> as_of_date(const OwnershipQuery& q) const;

 private:
  struct Loaded;
  core::Result<std::unique_ptr<Loaded>> load(const OwnershipQuery& q);

  JournalService& journal_;
  const core::Clock& clock_;
  std::string blob_dir_;
};

}  // namespace pw::app
