#pragma once
// Reading the procurement workflow's views (app/procurement_projection.cc) from either a write
// transaction (store::ViewAccess, inside JournalService::execute) or the journal service (plain
// reads), so the same loaders serve commands and queries. Private to app/.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/journal_service.h"
#include "core/clock.h"
#include "core/result.h"
#include "domain/procurement_workflow.h"
#include "store/store.h"

namespace pw::app::internal {

inline constexpr char kKeySep = '\x1f';  // separates the parts of a composite view id

class ProcurementReader {
 public:
  virtual ~ProcurementReader() = default;
  virtual core::Result<std::optional<std::string>> get(std::string_view kind,
                                                       std::string_view id) = 0;
  // Every (id, doc) of `kind` whose id starts with `prefix`, ordered by id.
  virtual core::Result<std::vector<std::pair<std::string, std::string>>> list(
      std::string_view kind, std::string_view prefix) = 0;
};

class ViewsReader final : public ProcurementReader {
 public:
  explicit ViewsReader(store::ViewAccess& views) : views_(views) {}
  core::Result<std::optional<std::string>> get(std::string_view kind, std::string_view id) override;
  core::Result<std::vector<std::pair<std::string, std::string>>> list(
      std::string_view kind, std::string_view prefix) override;

 private:
  store::ViewAccess& views_;
};

class JournalReader final : public ProcurementReader {
 public:
  explicit JournalReader(JournalService& journal) : journal_(journal) {}
  core::Result<std::optional<std::string>> get(std::string_view kind, std::string_view id) override;
  core::Result<std::vector<std::pair<std::string, std::string>>> list(
      std::string_view kind, std::string_view prefix) override;

 private:
  JournalService& journal_;
};

// The checks an import applies to one procedure (app/procurement_service.h, import_procedures):
// the engine's lot check on every lot, plus the ids the workflow keys on.
core::Status check_procedure(const domain::Procedure& p);

// The version of a procedure: the journal seq of the last event that changed it (view
// tender_version; a store projected before that view existed falls back to the seq of the
// import); 0 when it was never imported.
core::Result<std::uint64_t> procedure_version(ProcurementReader& r, const std::string& id);
// failed_precondition "stale version: procedure 'P' is at version N, not M" unless `expected`
// is unset or the procedure's version; the API answers it 409 with current_version.
core::Status check_version(ProcurementReader& r, const std::string& id,
                           std::optional<std::uint64_t> expected);

// The UTC calendar day of a timestamp.
domain::Date day_of(core::Timestamp t);

std::string request_id(std::string_view procedure, std::string_view lot, std::string_view bid);
std::string flag_key(const domain::FlagRecord& f);
std::string case_key(std::string_view procedure, std::string_view bidder);
std::string award_key(std::string_view procedure, std::string_view lot);

// A stored procedure with its settings (default settings with `default_days` when none were
// journaled); nullopt when the ocid was never imported.
core::Result<std::optional<domain::StoredProcedure>> load_procedure(ProcurementReader& r,
                                                                    const std::string& id,
                                                                    int default_days);
core::Result<std::vector<domain::StoredProcedure>> load_procedures(ProcurementReader& r,
                                                                   int default_days);
core::Result<std::vector<domain::FlagRecord>> load_flags(ProcurementReader& r,
                                                         const std::string& procedure);
// All requests when `procedure` is empty.
core::Result<std::vector<domain::ExplanationRequest>> load_requests(ProcurementReader& r,
                                                                    const std::string& procedure);
core::Result<std::optional<domain::ExplanationRequest>> load_request(ProcurementReader& r,
                                                                     const std::string& id);
core::Result<std::vector<domain::FsrCase>> load_cases(ProcurementReader& r,
                                                      const std::string& procedure);
core::Result<std::optional<domain::FsrCase>> load_case(ProcurementReader& r,
                                                       const std::string& procedure,
                                                       const std::string& bidder);
core::Result<std::vector<domain::FsrContribution>> load_contributions(ProcurementReader& r);
core::Result<std::vector<domain::AwardRecord>> load_awards(ProcurementReader& r,
                                                           const std::string& procedure);

}  // namespace pw::app::internal
