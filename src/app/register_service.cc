#include "app/register_service.h"

#include <algorithm>
#include <map>

#include "app/projector.h"
#include "core/canonical_json.h"
#include "domain/event_types.h"
#include "formats/inventory.h"

namespace pw::app {
namespace {

using domain::Table;

// Calls f(table, records) for every table of the register, in dependency order.
template <typename Reg, typename F>
core::Status for_each_table(Reg& r, F&& f) {
  PW_TRY(f(Table::kOrganisation, r.organisations));
  PW_TRY(f(Table::kSite, r.sites));
  PW_TRY(f(Table::kRoom, r.rooms));
  PW_TRY(f(Table::kZone, r.zones));
  PW_TRY(f(Table::kAsset, r.assets));
  PW_TRY(f(Table::kZoneLink, r.zone_links));
  PW_TRY(f(Table::kPerson, r.people));
  PW_TRY(f(Table::kScreening, r.screenings));
  PW_TRY(f(Table::kRemoteAccessPolicy, r.remote_access_policies));
  PW_TRY(f(Table::kMaintenanceContract, r.maintenance_contracts));
  PW_TRY(f(Table::kFault, r.faults));
  return core::ok();
}

std::string describe(const domain::RegisterProblem& p) {
  std::string out = "[[" + std::string(domain::table_name(p.table)) + "]] '" + p.id + "'";
  if (!p.field.empty()) out += " " + p.field;
  return out + ": " + p.message;
}

// The register's problems as one error (the first few named), or ok.
core::Status problems_status(const std::vector<domain::RegisterProblem>& problems,
                             std::string_view context) {
  if (problems.empty()) return core::ok();
  std::string msg = std::string(context) + ": " + describe(problems.front());
  const std::size_t shown = std::min<std::size_t>(problems.size(), 5);
  for (std::size_t i = 1; i < shown; ++i) msg += "; " + describe(problems[i]);
  if (problems.size() > shown) {
    msg += "; and " + std::to_string(problems.size() - shown) + " more";
  }
  return core::invalid_argument(msg);
}

// The finding decisions as stored: finding id -> view document.
core::Result<std::map<std::string, nlohmann::json>> load_decisions(JournalService& journal) {
  std::map<std::string, nlohmann::json> out;
  PW_ASSIGN_OR_RETURN(auto rows, journal.list_views("finding"));
  for (auto& [id, doc] : rows) {
    PW_ASSIGN_OR_RETURN(nlohmann::json j, core::parse_json_strict(doc));
    out.emplace(id, std::move(j));
  }
  return out;
}

}  // namespace

std::string_view finding_state_name(FindingState s) {
  switch (s) {
    case FindingState::kOpen:
      return "open";
    case FindingState::kAccepted:
      return "accepted";
    case FindingState::kResolved:
      return "resolved";
  }
  return "open";
}

core::Result<domain::Register> load_register(store::ViewAccess& views) {
  domain::Register reg;
  for (int t = 0; t < domain::kTableCount; ++t) {
    const auto table = static_cast<Table>(t);
    PW_TRY(views.scan_kind(
        register_view_kind(domain::table_name(table)),
        [&](std::string_view, std::string_view id, std::string_view doc) -> core::Result<bool> {
          PW_ASSIGN_OR_RETURN(nlohmann::json j, core::parse_json_strict(doc));
          if (auto st = domain::put_record_json(reg, table, j); !st) {
            return core::data_loss("register view " + std::string(domain::table_name(table)) + "/" +
                                   std::string(id) + " is unreadable: " + st.error().message() +
                                   "; run 'portwarden journal verify'");
          }
          return true;
        }));
  }
  return reg;
}

nlohmann::json finding_record_to_json(const FindingRecord& r) {
  nlohmann::json j = topology::finding_to_json(r.finding);
  j["state"] = std::string(finding_state_name(r.state));
  if (r.decision_seq != 0 || !r.reason.empty()) {
    j["decision"] = {
        {"reason", r.reason}, {"by", r.decided_by}, {"at", r.decided_at}, {"seq", r.decision_seq}};
  }
  return j;
}

RegisterService::RegisterService(JournalService& journal, const core::Clock& clock)
    : journal_(journal), clock_(clock) {}

domain::Date RegisterService::today() const {
  constexpr std::int64_t kMicrosPerDay = 86'400'000'000;
  const std::int64_t micros = clock_.now().micros;
  const std::int64_t days =
      micros >= 0 ? micros / kMicrosPerDay : -((-micros + kMicrosPerDay - 1) / kMicrosPerDay);
  return domain::Date{static_cast<std::int32_t>(days)};
}

core::Result<domain::Register> RegisterService::load() {
  domain::Register reg;
  for (int t = 0; t < domain::kTableCount; ++t) {
    const auto table = static_cast<Table>(t);
    PW_ASSIGN_OR_RETURN(auto rows,
                        journal_.list_views(register_view_kind(domain::table_name(table))));
    for (const auto& [id, doc] : rows) {
      PW_ASSIGN_OR_RETURN(nlohmann::json j, core::parse_json_strict(doc));
      if (auto st = domain::put_record_json(reg, table, j); !st) {
        return core::data_loss("register view " + std::string(domain::table_name(table)) + "/" +
                               id + " is unreadable: " + st.error().message() +
                               "; run 'portwarden journal verify'");
      }
    }
  }
  return reg;
}

core::Result<InventoryImportReport> RegisterService::import(const std::string& path,
                                                            const std::string& actor) {
  // Parsed and checked against the register as it stands (syntax, types, keys, duplicate ids,
  // references into the files or to records imported earlier), with errors naming file and
  // line. The command re-checks the merged register under the write lock, in case another
  // import changed it meanwhile.
  PW_ASSIGN_OR_RETURN(domain::Register current, load());
  PW_ASSIGN_OR_RETURN(domain::Register incoming, formats::read_inventory(path, current));
  InventoryImportReport report;
  PW_ASSIGN_OR_RETURN(
      std::vector<Appended> appended,
      journal_.execute([&](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
        report = InventoryImportReport{};
        PW_ASSIGN_OR_RETURN(domain::Register merged, load_register(views));
        std::vector<EventDraft> events;
        PW_TRY(for_each_table(incoming, [&](Table table, const auto& records) -> core::Status {
          const std::string name(domain::table_name(table));
          auto& counts = report.by_table[name];
          for (const auto& rec : records) {
            nlohmann::json j = domain::record_to_json(rec);
            PW_ASSIGN_OR_RETURN(std::string doc, core::canonical_dump(j));
            PW_ASSIGN_OR_RETURN(std::optional<std::string> stored,
                                views.get_view(register_view_kind(name), rec.id));
            if (stored && *stored == doc) {
              ++counts["unchanged"];
              ++report.unchanged;
              continue;
            }
            ++counts[stored ? "changed" : "added"];
            ++(stored ? report.changed : report.added);
            PW_TRY(domain::put_record_json(merged, table, j));
            events.push_back(EventDraft{std::string(domain::kRegisterPut),
                                        actor,
                                        {{"table", name}, {"id", rec.id}, {"record", j}}});
          }
          return core::ok();
        }));
        PW_TRY(problems_status(domain::validate_register(merged),
                               "the register changed during the import and no longer validates"));
        return events;
      }));
  report.events = std::move(appended);
  return report;
}

core::Status RegisterService::sync_versions_locked() {
  PW_ASSIGN_OR_RETURN(std::uint64_t size,
                      journal_.scan_events(read_up_to_, "register.",
                                           [&](const journal::Envelope& e) -> core::Status {
                                             if (e.type != domain::kRegisterPut) return core::ok();
                                             const std::string table = e.payload.value("table", "");
                                             const std::string id = e.payload.value("id", "");
                                             versions_[table + "/" + id] = e.seq;
                                             return core::ok();
                                           }));
  read_up_to_ = size;
  return core::ok();
}

core::Result<std::map<std::string, std::uint64_t>> RegisterService::versions(Table table) {
  std::lock_guard lock(mu_);
  PW_TRY(sync_versions_locked());
  const std::string prefix = std::string(domain::table_name(table)) + "/";
  std::map<std::string, std::uint64_t> out;
  for (auto it = versions_.lower_bound(prefix);
       it != versions_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    out.emplace(it->first.substr(prefix.size()), it->second);
  }
  return out;
}

core::Result<RegisterPutResult> RegisterService::put(Table table, const std::string& id,
                                                     const nlohmann::json& record,
                                                     std::optional<std::uint64_t> expected_version,
                                                     const std::string& actor) {
  const std::string name(domain::table_name(table));
  if (!record.is_object()) return core::invalid_argument("$: expected an object (the record)");
  if (id.empty()) return core::invalid_argument("id: must not be empty");
  nlohmann::json j = record;
  if (auto it = j.find("id"); it != j.end()) {
    if (!it->is_string() || it->get<std::string>() != id) {
      return core::invalid_argument("$.id: must equal the id in the path ('" + id + "')");
    }
  } else {
    j["id"] = id;
  }
  // Types, enum values and unknown fields, then the complete record as it will be stored.
  domain::Register scratch;
  if (auto st = domain::put_record_json_detailed(scratch, table, j); !st) {
    return core::invalid_argument(
        "$." + (st.error().field.empty() ? std::string("(record)") : st.error().field) + ": " +
        st.error().message);
  }
  PW_TRY(for_each_table(scratch, [&](Table t, const auto& records) -> core::Status {
    if (t == table && !records.empty()) j = domain::record_to_json(records.front());
    return core::ok();
  }));
  PW_ASSIGN_OR_RETURN(std::string doc, core::canonical_dump(j));

  std::lock_guard lock(mu_);
  const std::string kind = register_view_kind(name);
  // Read before catching up: a put landing in between makes the command below see a document
  // other than `before` and refuse (fail closed), never write over a change it did not check.
  PW_ASSIGN_OR_RETURN(std::optional<std::string> before, journal_.get_view(kind, id));
  PW_TRY(sync_versions_locked());
  const std::string key = name + "/" + id;
  auto vit = versions_.find(key);
  const std::uint64_t current = vit == versions_.end() ? 0 : vit->second;
  if (expected_version && *expected_version != current) {
    return core::failed_precondition("stale version: " + key + " is at version " +
                                     std::to_string(current) + ", not " +
                                     std::to_string(*expected_version));
  }
  RegisterPutResult out;
  out.created = !before.has_value();
  out.changed = !before || *before != doc;
  out.record = j;
  out.version = current;
  if (!out.changed) return out;
  PW_ASSIGN_OR_RETURN(
      std::vector<Appended> appended,
      journal_.execute([&](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
        PW_ASSIGN_OR_RETURN(std::optional<std::string> stored, views.get_view(kind, id));
        if (stored != before) {
          return core::failed_precondition("stale version: " + key +
                                           " changed while it was being written; read it again");
        }
        PW_ASSIGN_OR_RETURN(domain::Register merged, load_register(views));
        PW_TRY(domain::put_record_json(merged, table, j));
        PW_TRY(
            problems_status(domain::validate_register(merged), "the register would not validate"));
        return std::vector<EventDraft>{EventDraft{std::string(domain::kRegisterPut),
                                                  actor,
                                                  {{"table", name}, {"id", id}, {"record", j}}}};
      }));
  PW_TRY(sync_versions_locked());
  out.version = versions_[key];
  if (!appended.empty()) out.event = appended.front();
  return out;
}

core::Status RegisterService::export_to(const std::string& dir) {
  PW_ASSIGN_OR_RETURN(domain::Register reg, load());
  return formats::write_inventory(reg, dir);
}

core::Result<std::vector<FindingRecord>> RegisterService::findings(const FindingsQuery& q) {
  PW_ASSIGN_OR_RETURN(domain::Register reg, load());
  topology::CheckOptions options;
  options.today = q.today.value_or(today());
  options.screening_horizon_days = q.screening_horizon_days;
  PW_ASSIGN_OR_RETURN(auto decisions, load_decisions(journal_));
  std::vector<FindingRecord> out;
  for (auto& f : topology::check_topology(reg, options)) {
    FindingRecord r;
    r.finding = std::move(f);
    if (auto it = decisions.find(r.finding.id); it != decisions.end()) {
      const std::string state = it->second.value("state", "open");
      r.state = state == "accepted"   ? FindingState::kAccepted
                : state == "resolved" ? FindingState::kResolved
                                      : FindingState::kOpen;
      r.reason = it->second.value("reason", "");
      r.decided_by = it->second.value("actor", "");
      r.decided_at = it->second.value("time", "");
      r.decision_seq = it->second.value("seq", std::uint64_t{0});
    }
    out.push_back(std::move(r));
  }
  return out;
}

core::Result<Appended> RegisterService::decide(const std::string& finding_id, FindingState state,
                                               const std::string& reason, const std::string& actor,
                                               const FindingsQuery& q) {
  if (reason.empty()) return core::invalid_argument("a reason is required");
  PW_ASSIGN_OR_RETURN(std::vector<FindingRecord> current, findings(q));
  auto it = std::find_if(current.begin(), current.end(),
                         [&](const FindingRecord& r) { return r.finding.id == finding_id; });
  if (it == current.end()) {
    return core::not_found("no current finding has the id '" + finding_id +
                           "' (run 'portwarden findings' for the ids)");
  }
  const std::string_view type = state == FindingState::kAccepted   ? domain::kFindingAccepted
                                : state == FindingState::kResolved ? domain::kFindingResolved
                                                                   : domain::kFindingReopened;
  return journal_.append(
      EventDraft{std::string(type), actor, {{"finding", finding_id}, {"reason", reason}}});
}

}  // namespace pw::app
