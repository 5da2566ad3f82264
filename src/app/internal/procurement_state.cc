#include "app/internal/procurement_state.h"

#include "core/canonical_json.h"

namespace pw::app::internal {
namespace {

core::Result<nlohmann::json> parse(std::string_view kind, std::string_view id,
                                   std::string_view doc) {
  auto j = core::parse_json_strict(doc);
  if (!j) {
    return core::data_loss("view " + std::string(kind) + "/" + std::string(id) +
                           " is not JSON: " + j.error().message());
  }
  return std::move(*j);
}

template <typename T, typename Fn>
core::Result<std::vector<T>> load_all(ProcurementReader& r, std::string_view kind,
                                      std::string_view prefix, Fn from_json) {
  PW_ASSIGN_OR_RETURN(auto rows, r.list(kind, prefix));
  std::vector<T> out;
  out.reserve(rows.size());
  for (const auto& [id, doc] : rows) {
    PW_ASSIGN_OR_RETURN(nlohmann::json j, parse(kind, id, doc));
    auto v = from_json(j);
    if (!v) return std::unexpected(v.error().with_context("view " + std::string(kind) + "/" + id));
    out.push_back(std::move(*v));
  }
  return out;
}

core::Result<domain::AwardRecord> award_from_json(const nlohmann::json& j) {
  domain::AwardRecord a;
  if (!j.is_object()) return core::invalid_argument("award: expected an object");
  a.procedure = j.value("procedure", "");
  a.lot = j.value("lot", "");
  a.bid = j.value("bid", "");
  a.bidder = j.value("bidder", "");
  a.vendor = j.value("vendor", "");
  a.awarded_at = j.value("awarded_at", "");
  a.awarded_by = j.value("awarded_by", "");
  return a;
}

}  // namespace

core::Result<std::optional<std::string>> ViewsReader::get(std::string_view kind,
                                                          std::string_view id) {
  return views_.get_view(kind, id);
}

core::Result<std::vector<std::pair<std::string, std::string>>> ViewsReader::list(
    std::string_view kind, std::string_view prefix) {
  std::vector<std::pair<std::string, std::string>> out;
  PW_TRY(views_.scan_kind(
      kind, [&](std::string_view, std::string_view id, std::string_view doc) -> core::Result<bool> {
        if (id.starts_with(prefix)) out.emplace_back(id, doc);
        return true;
      }));
  return out;
}

core::Result<std::optional<std::string>> JournalReader::get(std::string_view kind,
                                                            std::string_view id) {
  return journal_.get_view(kind, id);
}

core::Result<std::vector<std::pair<std::string, std::string>>> JournalReader::list(
    std::string_view kind, std::string_view prefix) {
  PW_ASSIGN_OR_RETURN(auto rows, journal_.list_views(kind));
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& row : rows) {
    if (std::string_view(row.first).starts_with(prefix)) out.push_back(std::move(row));
  }
  return out;
}

domain::Date day_of(core::Timestamp t) {
  constexpr std::int64_t kDay = 86'400'000'000LL;
  std::int64_t d = t.micros / kDay;
  if (t.micros % kDay < 0) --d;
  return domain::Date{static_cast<std::int32_t>(d)};
}

std::string request_id(std::string_view procedure, std::string_view lot, std::string_view bid) {
  std::string id(procedure);
  id += '/';
  id += lot;
  id += '/';
  id += bid;
  return id;
}

std::string flag_key(const domain::FlagRecord& f) {
  std::string k = f.procedure;
  for (const std::string* s : {&f.lot, &f.bid, &f.method, &f.rule}) {
    k += kKeySep;
    k += *s;
  }
  return k;
}

std::string case_key(std::string_view procedure, std::string_view bidder) {
  return std::string(procedure) + kKeySep + std::string(bidder);
}

std::string award_key(std::string_view procedure, std::string_view lot) {
  return std::string(procedure) + kKeySep + std::string(lot);
}

namespace {
core::Result<domain::StoredProcedure> stored_from(ProcurementReader& r, std::string_view id,
                                                  const std::string& doc, int default_days) {
  PW_ASSIGN_OR_RETURN(nlohmann::json j, parse("tender_procedure", id, doc));
  domain::StoredProcedure s;
  PW_ASSIGN_OR_RETURN(s.procedure,
                      domain::procedure_from_json(j.value("procedure", nlohmann::json())));
  s.version = j.value("version", 0);
  s.imported_at = j.value("imported_at", "");
  s.settings.explanation_working_days = default_days;
  PW_ASSIGN_OR_RETURN(std::optional<std::string> settings, r.get("tender_settings", id));
  if (settings) {
    PW_ASSIGN_OR_RETURN(nlohmann::json sj, parse("tender_settings", id, *settings));
    PW_ASSIGN_OR_RETURN(s.settings, domain::settings_from_json(sj));
  }
  return s;
}
}  // namespace

core::Result<std::optional<domain::StoredProcedure>> load_procedure(ProcurementReader& r,
                                                                    const std::string& id,
                                                                    int default_days) {
  PW_ASSIGN_OR_RETURN(std::optional<std::string> doc, r.get("tender_procedure", id));
  if (!doc) return std::optional<domain::StoredProcedure>();
  PW_ASSIGN_OR_RETURN(domain::StoredProcedure s, stored_from(r, id, *doc, default_days));
  return std::optional<domain::StoredProcedure>(std::move(s));
}

core::Result<std::uint64_t> procedure_version(ProcurementReader& r, const std::string& id) {
  for (const char* kind : {"tender_version", "tender_procedure"}) {
    PW_ASSIGN_OR_RETURN(std::optional<std::string> doc, r.get(kind, id));
    if (!doc) continue;
    auto j = core::parse_json_strict(*doc);
    if (!j) return std::unexpected(j.error().with_context(std::string(kind) + "/" + id));
    auto it = j->find("seq");
    if (it != j->end() && it->is_number_integer() && it->get<std::int64_t>() >= 0) {
      return it->get<std::uint64_t>();
    }
  }
  return std::uint64_t{0};
}

core::Status check_version(ProcurementReader& r, const std::string& id,
                           std::optional<std::uint64_t> expected) {
  if (!expected) return core::ok();
  PW_ASSIGN_OR_RETURN(std::uint64_t now, procedure_version(r, id));
  if (now == *expected) return core::ok();
  return core::failed_precondition("stale version: procedure '" + id + "' is at version " +
                                   std::to_string(now) + ", not " + std::to_string(*expected));
}

core::Result<std::vector<domain::StoredProcedure>> load_procedures(ProcurementReader& r,
                                                                   int default_days) {
  PW_ASSIGN_OR_RETURN(auto rows, r.list("tender_procedure", ""));
  std::vector<domain::StoredProcedure> out;
  for (const auto& [id, doc] : rows) {
    PW_ASSIGN_OR_RETURN(domain::StoredProcedure s, stored_from(r, id, doc, default_days));
    out.push_back(std::move(s));
  }
  return out;
}

core::Result<std::vector<domain::FlagRecord>> load_flags(ProcurementReader& r,
                                                         const std::string& procedure) {
  return load_all<domain::FlagRecord>(r, "tender_flag", procedure + kKeySep,
                                      domain::flag_from_json);
}

core::Result<std::vector<domain::ExplanationRequest>> load_requests(ProcurementReader& r,
                                                                    const std::string& procedure) {
  return load_all<domain::ExplanationRequest>(r, "tender_request",
                                              procedure.empty() ? "" : procedure + "/",
                                              domain::explanation_request_from_json);
}

core::Result<std::optional<domain::ExplanationRequest>> load_request(ProcurementReader& r,
                                                                     const std::string& id) {
  PW_ASSIGN_OR_RETURN(std::optional<std::string> doc, r.get("tender_request", id));
  if (!doc) return std::optional<domain::ExplanationRequest>();
  PW_ASSIGN_OR_RETURN(nlohmann::json j, parse("tender_request", id, *doc));
  PW_ASSIGN_OR_RETURN(domain::ExplanationRequest req, domain::explanation_request_from_json(j));
  return std::optional<domain::ExplanationRequest>(std::move(req));
}

core::Result<std::vector<domain::FsrCase>> load_cases(ProcurementReader& r,
                                                      const std::string& procedure) {
  return load_all<domain::FsrCase>(r, "fsr_case", procedure + kKeySep, domain::fsr_case_from_json);
}

core::Result<std::optional<domain::FsrCase>> load_case(ProcurementReader& r,
                                                       const std::string& procedure,
                                                       const std::string& bidder) {
  const std::string key = case_key(procedure, bidder);
  PW_ASSIGN_OR_RETURN(std::optional<std::string> doc, r.get("fsr_case", key));
  if (!doc) return std::optional<domain::FsrCase>();
  PW_ASSIGN_OR_RETURN(nlohmann::json j, parse("fsr_case", key, *doc));
  PW_ASSIGN_OR_RETURN(domain::FsrCase c, domain::fsr_case_from_json(j));
  return std::optional<domain::FsrCase>(std::move(c));
}

core::Result<std::vector<domain::FsrContribution>> load_contributions(ProcurementReader& r) {
  return load_all<domain::FsrContribution>(r, "fsr_contribution", "",
                                           domain::contribution_from_json);
}

core::Result<std::vector<domain::AwardRecord>> load_awards(ProcurementReader& r,
                                                           const std::string& procedure) {
  return load_all<domain::AwardRecord>(r, "tender_award", procedure + kKeySep, award_from_json);
}

}  // namespace pw::app::internal
