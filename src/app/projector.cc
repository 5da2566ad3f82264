#include "app/projector.h"

#include <cstdio>

#include "app/internal/procurement_projection.h"
#include "core/canonical_json.h"
#include "domain/access.h"
#include "domain/event_types.h"

namespace pw::app {
namespace {

core::Status put_json(store::ViewAccess& views, std::string_view kind, std::string_view id,
                      const nlohmann::json& doc) {
  PW_ASSIGN_OR_RETURN(std::string text, core::canonical_dump(doc));
  return views.put_view(kind, id, text);
}

// Changes a stored document in place; a document that is missing or unreadable is left alone
// (projection is total: the event was valid when it was journaled).
template <typename Fn>
core::Status update_json(store::ViewAccess& views, std::string_view kind, std::string_view id,
                         Fn change) {
  PW_ASSIGN_OR_RETURN(std::optional<std::string> doc, views.get_view(kind, id));
  if (!doc) return core::ok();
  auto j = core::parse_json_strict(*doc);
  if (!j) return core::ok();
  change(*j);
  return put_json(views, kind, id, *j);
}

}  // namespace

core::Status project(const journal::Envelope& e, store::ViewAccess& views) {
  if (e.type == domain::kOperatorNote) {
    // Written directly in canonical form (keys in order): this view is built for every note on
    // every commit, replay and verify. Same bytes as canonical_dump of the document.
    const auto& p = e.payload;
    auto text = p.find("text");
    auto subject = p.find("subject");
    std::string doc = "{\"actor\":";
    PW_TRY(core::append_canonical_string(doc, e.actor));
    doc += ",\"seq\":";
    doc += std::to_string(e.seq);
    if (subject != p.end() && subject->is_string()) {
      doc += ",\"subject\":";
      PW_TRY(core::append_canonical_string(doc, subject->get_ref<const std::string&>()));
    }
    doc += ",\"text\":";
    PW_TRY(core::append_canonical_string(doc,
                                         text != p.end() && text->is_string()
                                             ? std::string_view(text->get_ref<const std::string&>())
                                             : std::string_view()));
    doc += ",\"time\":\"";
    doc += core::format_rfc3339(e.time);
    doc += "\"}";
    PW_TRY(views.put_view("note", std::to_string(e.seq), doc));
  } else if (e.type == domain::kOwnershipImported) {
    // One document per import, ordered by journal position (zero-padded seq).
    char id[24];
    std::snprintf(id, sizeof id, "%020llu", static_cast<unsigned long long>(e.seq));
    nlohmann::json doc = e.payload;
    doc["seq"] = e.seq;
    doc["time"] = core::format_rfc3339(e.time);
    doc["actor"] = e.actor;
    PW_TRY(put_json(views, "ownership_import", id, doc));
  } else if (e.type == domain::kRegisterPut) {
    // One view per record: kind "register.<table>", id the record's id, the record as document.
    const auto& p = e.payload;
    auto table = p.find("table");
    auto id = p.find("id");
    auto record = p.find("record");
    if (table != p.end() && table->is_string() && id != p.end() && id->is_string() &&
        record != p.end() && record->is_object()) {
      PW_TRY(put_json(views, register_view_kind(table->get_ref<const std::string&>()),
                      id->get_ref<const std::string&>(), *record));
    }
  } else if (e.type == domain::kFindingAccepted || e.type == domain::kFindingResolved ||
             e.type == domain::kFindingReopened) {
    // The latest decision on each finding: kind "finding", id the finding's stable id.
    const auto& p = e.payload;
    auto finding = p.find("finding");
    if (finding != p.end() && finding->is_string()) {
      const std::string state = e.type == domain::kFindingAccepted   ? "accepted"
                                : e.type == domain::kFindingResolved ? "resolved"
                                                                     : "open";
      PW_TRY(put_json(views, "finding", finding->get_ref<const std::string&>(),
                      {{"finding", *finding},
                       {"state", state},
                       {"reason", p.value("reason", "")},
                       {"actor", e.actor},
                       {"seq", e.seq},
                       {"time", core::format_rfc3339(e.time)}}));
    }
  } else if (domain::is_assessment_event(e.type)) {
    // "assessment/<id>": the whole assessment; "assessment_of/<supplier>": its latest one.
    auto a = e.payload.find("assessment");
    if (a != e.payload.end() && a->is_object() && a->contains("id") && a->at("id").is_string() &&
        a->contains("supplier") && a->at("supplier").is_string()) {
      const auto& id = a->at("id").get_ref<const std::string&>();
      PW_TRY(put_json(views, "assessment", id, *a));
      PW_TRY(put_json(views, "assessment_of", a->at("supplier").get_ref<const std::string&>(),
                      {{"latest", id}, {"seq", e.seq}}));
    }
  } else if (e.type == domain::kMitigationStatus) {
    auto supplier = e.payload.find("supplier");
    auto m = e.payload.find("mitigation");
    if (supplier != e.payload.end() && supplier->is_string() && m != e.payload.end() &&
        m->is_object() && m->contains("id") && m->at("id").is_string()) {
      PW_TRY(put_json(
          views, "mitigation",
          supplier->get_ref<const std::string&>() + "/" + m->at("id").get_ref<const std::string&>(),
          {{"supplier", *supplier}, {"mitigation", *m}, {"seq", e.seq}}));
    }
  } else if (e.type == domain::kAccountCreated) {
    // "account/<username>": who may log in, as whom, with which roles (never a secret).
    const auto& p = e.payload;
    PW_TRY(put_json(views, "account", p.value("username", ""),
                    {{"username", p.value("username", "")},
                     {"person", p.value("person", "")},
                     {"roles", p.value("roles", nlohmann::json::array())},
                     {"disabled", false},
                     {"created", core::format_rfc3339(e.time)},
                     {"seq", e.seq}}));
  } else if (e.type == domain::kAccountDisabled) {
    PW_TRY(update_json(views, "account", e.payload.value("username", ""),
                       [&](nlohmann::json& doc) { doc["disabled"] = true; }));
  } else if (e.type == domain::kTokenIssued) {
    const auto& p = e.payload;
    PW_TRY(put_json(views, "token", p.value("id", ""),
                    {{"id", p.value("id", "")},
                     {"username", p.value("username", "")},
                     {"scopes", p.value("scopes", nlohmann::json::array())},
                     {"expires", p.value("expires", "")},
                     {"revoked", false},
                     {"issued", core::format_rfc3339(e.time)},
                     {"seq", e.seq}}));
  } else if (e.type == domain::kTokenRevoked) {
    PW_TRY(update_json(views, "token", e.payload.value("id", ""),
                       [&](nlohmann::json& doc) { doc["revoked"] = true; }));
  } else if (e.type.compare(0, 7, "access.") == 0) {
    // One view per access record the event carries (its state after the change), and a counter
    // the access use cases compare to detect a concurrent change (app/access_service.h).
    const auto& p = e.payload;
    auto put_record = [&](std::string_view kind, const nlohmann::json& rec,
                          const char* id_field) -> core::Status {
      if (!rec.is_object()) return core::ok();
      auto id = rec.find(id_field);
      if (id == rec.end() || !id->is_string()) return core::ok();
      return put_json(views, kind, id->get_ref<const std::string&>(), rec);
    };
    for (const auto& [key, kind] :
         {std::pair{"permit", "access_permit"}, std::pair{"request", "access_request"},
          std::pair{"grant", "access_grant"}, std::pair{"from", "access_grant"},
          std::pair{"to", "access_grant"}, std::pair{"suspension", "access_suspension"}}) {
      if (auto it = p.find(key); it != p.end()) PW_TRY(put_record(kind, *it, "id"));
    }
    if (auto it = p.find("grants"); it != p.end() && it->is_array()) {
      for (const auto& g : *it) PW_TRY(put_record("access_grant", g, "id"));
    }
    if (auto it = p.find("freeze"); it != p.end())
      PW_TRY(put_record("access_freeze", *it, "asset"));
    if (e.type == domain::kAccessAssetUnfrozen && p.contains("asset") && p["asset"].is_string()) {
      PW_TRY(views.erase_view("access_freeze", p["asset"].get_ref<const std::string&>()));
    }
    std::uint64_t version = 0;
    PW_ASSIGN_OR_RETURN(std::optional<std::string> v, views.get_view("access", "version"));
    if (v) {
      auto j = core::parse_json_strict(*v);
      if (j && j->is_object()) version = j->value("events", std::uint64_t{0});
    }
    PW_TRY(put_json(views, "access", "version", {{"events", version + 1}, {"seq", e.seq}}));
  } else if (domain::is_tender_event(e.type)) {
    PW_TRY(internal::project_procurement(e, views));  // app/procurement_projection.cc
  } else if (e.type == domain::kJournalInitialized) {
    PW_TRY(put_json(views, "journal", "info",
                    {{"origin", e.payload.value("origin", "")},
                     {"verifier_key", e.payload.value("verifier_key", "")},
                     {"initialized", core::format_rfc3339(e.time)}}));
  }
  return core::ok();
}

bool projection_reads_payload(std::string_view type) {
  return type == domain::kOperatorNote || type == domain::kJournalInitialized ||
         type == domain::kOwnershipImported || type == domain::kRegisterPut ||
         type == domain::kFindingAccepted || type == domain::kFindingResolved ||
         type == domain::kFindingReopened || domain::is_assessment_event(type) ||
         type == domain::kMitigationStatus || type == domain::kAccountCreated ||
         type == domain::kAccountDisabled || type == domain::kTokenIssued ||
         type == domain::kTokenRevoked || type.compare(0, 7, "access.") == 0 ||
         domain::is_tender_event(type);
}

std::string register_view_kind(std::string_view table) {
  return "register." + std::string(table);
}

core::Result<journal::Envelope> decode_for_projection(std::string_view entry) {
  PW_ASSIGN_OR_RETURN(journal::EnvelopeHeader h, journal::decode_envelope_header(entry));
  journal::Envelope e;
  e.seq = h.seq;
  e.time = h.time;
  e.actor = std::move(h.actor);
  e.type = std::move(h.type);
  if (projection_reads_payload(e.type)) {
    PW_ASSIGN_OR_RETURN(e.payload, core::parse_json_strict(h.payload_json));
  }
  return e;
}

core::Result<std::optional<std::string>> MemoryViews::get_view(std::string_view kind,
                                                               std::string_view id) {
  auto it = docs_.find(std::pair{kind, id});
  if (it == docs_.end()) return std::nullopt;
  return std::string(it->second);
}

core::Status MemoryViews::put_view(std::string_view kind, std::string_view id,
                                   std::string_view doc) {
  const std::pair key{kind, id};
  auto it = docs_.lower_bound(key);
  if (it != docs_.end() && !KeyLess{}(key, it->first)) {
    it->second.assign(doc);
  } else {
    docs_.emplace_hint(it, std::piecewise_construct, std::forward_as_tuple(kind, id),
                       std::forward_as_tuple(doc));
  }
  return core::ok();
}

core::Status MemoryViews::erase_view(std::string_view kind, std::string_view id) {
  if (auto it = docs_.find(std::pair{kind, id}); it != docs_.end()) docs_.erase(it);
  return core::ok();
}

core::Status MemoryViews::scan_kind(std::string_view kind_or_empty,
                                    const store::ViewVisitor& visit) {
  auto it = kind_or_empty.empty() ? docs_.begin()
                                  : docs_.lower_bound(std::pair{kind_or_empty, std::string_view()});
  for (; it != docs_.end(); ++it) {
    if (!kind_or_empty.empty() && std::string_view(it->first.first) != kind_or_empty) break;
    PW_ASSIGN_OR_RETURN(bool more, visit(it->first.first, it->first.second, it->second));
    if (!more) break;
  }
  return core::ok();
}

}  // namespace pw::app
