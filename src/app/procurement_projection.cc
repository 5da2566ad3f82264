// Views of the tender.* events. Each event carries its record after the change, so a view is
// that record (plus the journal position), keyed as app/procurement_service.h documents:
//   tender_procedure/<ocid>        {"procedure", "version", "imported_at", "seq"}
//   tender_settings/<ocid>         the settings
//   tender_flag/<ocid>\x1f<lot>\x1f<bid>\x1f<method>\x1f<rule>   the flag
//   tender_request/<ocid>/<lot>/<bid>                            the explanation request
//   fsr_contribution/<id>          the contribution
//   fsr_case/<ocid>\x1f<bidder>    the FSR case
//   tender_award/<ocid>\x1f<lot>   the award
//   tender_version/<ocid>          {"seq"}: the journal position of the last event that changed
//                                  the procedure (its version, app/procurement_service.h)
#include "app/internal/procurement_projection.h"

#include "core/canonical_json.h"
#include "domain/event_types.h"

namespace pw::app::internal {
namespace {

core::Status put(store::ViewAccess& views, std::string_view kind, std::string_view id,
                 const nlohmann::json& doc) {
  PW_ASSIGN_OR_RETURN(std::string text, core::canonical_dump(doc));
  return views.put_view(kind, id, text);
}

std::string str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The procedure an event changes, for its version; empty for none. An expiry is a fact of the
// calendar the API shows before it is journaled (the request's "overdue"), so it changes no
// version: a client's version taken from that view stays good. A contribution belongs to an
// entity, not to a procedure.
std::string changed_procedure(const journal::Envelope& e) {
  const auto& p = e.payload;
  auto member = [&](const char* key) -> std::string {
    auto it = p.find(key);
    return it != p.end() && it->is_object() ? str(*it, "procedure") : std::string();
  };
  if (e.type == domain::kTenderImported) {
    auto it = p.find("procedure");
    return it != p.end() && it->is_object() ? str(*it, "id") : std::string();
  }
  if (e.type == domain::kTenderConfigured) return str(p, "procedure");
  if (e.type == domain::kTenderFlagged) return member("flag");
  if (e.type == domain::kTenderExplanationRequested ||
      e.type == domain::kTenderExplanationReceived || e.type == domain::kTenderFindingRecorded ||
      e.type == domain::kTenderDecided) {
    return member("request");
  }
  if (e.type == domain::kTenderFsrChecked || e.type == domain::kTenderFsrNotified ||
      e.type == domain::kTenderFsrReview) {
    return member("case");
  }
  if (e.type == domain::kTenderAwarded) return member("award");
  return {};
}

core::Status project_version(const journal::Envelope& e, store::ViewAccess& views) {
  const std::string id = changed_procedure(e);
  if (id.empty()) return core::ok();
  return put(views, "tender_version", id, {{"seq", e.seq}});
}

}  // namespace

core::Status project_procurement(const journal::Envelope& e, store::ViewAccess& views) {
  const auto& p = e.payload;
  if (!p.is_object()) return core::ok();
  PW_TRY(project_version(e, views));
  auto record = [&](const char* key) -> const nlohmann::json* {
    auto it = p.find(key);
    return it != p.end() && it->is_object() ? &*it : nullptr;
  };
  constexpr char kSep = '\x1f';
  if (e.type == domain::kTenderImported) {
    if (const auto* proc = record("procedure"); proc && !str(*proc, "id").empty()) {
      PW_TRY(put(views, "tender_procedure", str(*proc, "id"),
                 {{"procedure", *proc},
                  {"version", p.value("version", 0)},
                  {"imported_at", core::format_rfc3339(e.time)},
                  {"seq", e.seq}}));
    }
  } else if (e.type == domain::kTenderConfigured) {
    if (const auto* s = record("settings"); s && !str(p, "procedure").empty()) {
      PW_TRY(put(views, "tender_settings", str(p, "procedure"), *s));
    }
  } else if (e.type == domain::kTenderFlagged) {
    if (const auto* f = record("flag")) {
      const std::string id = str(*f, "procedure") + kSep + str(*f, "lot") + kSep + str(*f, "bid") +
                             kSep + str(*f, "method") + kSep + str(*f, "rule");
      PW_TRY(put(views, "tender_flag", id, *f));
    }
  } else if (e.type == domain::kTenderExplanationRequested ||
             e.type == domain::kTenderExplanationReceived ||
             e.type == domain::kTenderExplanationExpired ||
             e.type == domain::kTenderFindingRecorded || e.type == domain::kTenderDecided) {
    if (const auto* r = record("request"); r && !str(*r, "id").empty()) {
      PW_TRY(put(views, "tender_request", str(*r, "id"), *r));
    }
  } else if (e.type == domain::kTenderFsrContribution) {
    if (const auto* c = record("contribution"); c && !str(*c, "id").empty()) {
      PW_TRY(put(views, "fsr_contribution", str(*c, "id"), *c));
    }
  } else if (e.type == domain::kTenderFsrChecked || e.type == domain::kTenderFsrNotified ||
             e.type == domain::kTenderFsrReview) {
    if (const auto* c = record("case")) {
      PW_TRY(put(views, "fsr_case", str(*c, "procedure") + kSep + str(*c, "bidder"), *c));
    }
  } else if (e.type == domain::kTenderAwarded) {
    if (const auto* a = record("award")) {
      PW_TRY(put(views, "tender_award", str(*a, "procedure") + kSep + str(*a, "lot"), *a));
    }
  }
  return core::ok();
}

}  // namespace pw::app::internal
