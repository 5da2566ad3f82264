#pragma once
// Site register use cases (issue 4 items 1 and 2): importing and exporting the inventory, the
// topology findings, and the operator's decisions on them.
//
// The register is a set of views ("register.<table>", one document per record) built from
// `register.put` events, so it is a function of the journal like everything else. An import
// appends one event per record that is new or differs from the current state, in ONE command:
// either all of them land or none, and importing the same inventory again appends nothing.
// Records are never deleted by an import (a file may hold part of the register); the merged
// register must pass validate_register, so a record may refer to one imported earlier.

#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/journal_service.h"
#include "core/clock.h"
#include "core/result.h"
#include "domain/register.h"
#include "topology/topology.h"

namespace pw::app {

struct InventoryImportReport {
  std::uint64_t added = 0;
  std::uint64_t changed = 0;
  std::uint64_t unchanged = 0;
  // Per table: {"asset": {"added": n, "changed": n, "unchanged": n}, ...}
  std::map<std::string, std::map<std::string, std::uint64_t>> by_table;
  std::vector<Appended> events;
};

enum class FindingState { kOpen, kAccepted, kResolved };
std::string_view finding_state_name(FindingState s);

// A finding of the current register with the operator's latest decision on it.
struct FindingRecord {
  topology::Finding finding;
  FindingState state = FindingState::kOpen;
  std::string reason;  // of the decision; empty when open and never decided
  std::string decided_by;
  std::string decided_at;  // RFC 3339
  std::uint64_t decision_seq = 0;
};

// The outcome of RegisterService::put.
struct RegisterPutResult {
  bool created = false;  // no record had the id before
  bool changed = false;  // false: the record was already exactly this; nothing was journaled
  std::uint64_t version = 0;
  nlohmann::json record;  // as stored (complete, as record_to_json writes it)
  std::optional<Appended> event;
};

struct FindingsQuery {
  std::optional<domain::Date> today;  // default: the clock's date (UTC)
  int screening_horizon_days = 30;
};

class RegisterService {
 public:
  // `journal` and `clock` are borrowed and must outlive the service.
  RegisterService(JournalService& journal, const core::Clock& clock);

  // The register as the journal has built it.
  core::Result<domain::Register> load();

  // Imports a TOML file or a directory of them. Errors (file, table, key, field) leave the
  // journal untouched.
  core::Result<InventoryImportReport> import(const std::string& path, const std::string& actor);

  // Creates or replaces one record of `table` (issue 5: PUT /v1/register/{table}/{id}). The
  // record is JSON as record_to_json writes it; an absent field takes its default, as in an
  // inventory file; an "id" must equal `id`. Checked as an import is (types, enum values,
  // unknown fields, then validate_register over the register as it will stand: references,
  // kinds, dates), errors naming the field. Journaled as one register.put by `actor`, nothing
  // when the record is unchanged. With `expected_version`, refused with failed_precondition
  // ("stale version: ...") unless the record is at that version (0: it must not exist yet).
  // There is no removal: the register keeps every record (a record is retired by changing it).
  core::Result<RegisterPutResult> put(domain::Table table, const std::string& id,
                                      const nlohmann::json& record,
                                      std::optional<std::uint64_t> expected_version,
                                      const std::string& actor);

  // The version of every record of `table`: the journal position (seq) of its last
  // register.put (records absent here have version 0, i.e. do not exist).
  core::Result<std::map<std::string, std::uint64_t>> versions(domain::Table table);

  // Writes the register as TOML files into `dir` (created if missing; files replaced).
  core::Status export_to(const std::string& dir);

  core::Result<std::vector<FindingRecord>> findings(const FindingsQuery& q);

  // Journals an operator's decision on a finding of the current register (by its stable id).
  // A finding the checks do not report now is not_found; a reason is required.
  core::Result<Appended> decide(const std::string& finding_id, FindingState state,
                                const std::string& reason, const std::string& actor,
                                const FindingsQuery& q);

  domain::Date today() const;

 private:
  core::Status sync_versions_locked();

  JournalService& journal_;
  const core::Clock& clock_;
  std::mutex mu_;                 // guards the two members below, and serializes put()
  std::uint64_t read_up_to_ = 0;  // journal position scanned for register.put
  std::map<std::string, std::uint64_t> versions_;  // "<table>/<id>" -> seq of its last put
};

// The register held in a set of views (inside a command or a read), for app code.
core::Result<domain::Register> load_register(store::ViewAccess& views);

nlohmann::json finding_record_to_json(const FindingRecord& r);

}  // namespace pw::app
