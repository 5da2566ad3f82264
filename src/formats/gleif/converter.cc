// GLEIF record trees -> entities and edges (see gleif_importer.h for the mapping).

#include <array>
#include <charconv>
#include <string>

#include "formats/gleif/record_tree.h"
#include "formats/internal/normalize.h"

namespace pw::formats::gleif {
namespace {

using internal::RecordRef;

bool valid_lei(std::string_view lei) {
  if (lei.size() != 20) return false;
  for (char c : lei) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!ok) return false;
  }
  return true;
}

// Registrations that were issued in error or duplicate another; their content is not a fact.
bool void_registration(std::string_view status) {
  return status == "ANNULLED" || status == "DUPLICATE";
}

std::optional<domain::Interest> relationship_interest(std::string_view type) {
  if (type == "IS_DIRECTLY_CONSOLIDATED_BY") return domain::Interest::kConsolidation;
  if (type == "IS_ULTIMATELY_CONSOLIDATED_BY") return domain::Interest::kUltimateParent;
  if (type == "IS_FUND-MANAGED_BY" || type == "IS_SUBFUND_OF" || type == "IS_FEEDER_TO" ||
      type == "IS_INTERNATIONAL_BRANCH_OF") {
    return domain::Interest::kOtherInfluence;
  }
  return std::nullopt;
}

// Reporting-exception reasons that mean "there is a parent, but it is not disclosed".
bool undisclosed_parent(std::string_view reason) {
  static constexpr std::array<std::string_view, 9> kReasons{"NATURAL_PERSONS",
                                                            "NON_PUBLIC",
                                                            "NO_LEI",
                                                            "LEGAL_OBSTACLES",
                                                            "CONSENT_NOT_OBTAINED",
                                                            "BINDING_LEGAL_COMMITMENTS",
                                                            "DETRIMENT_NOT_EXCLUDED",
                                                            "DISCLOSURE_DETRIMENTAL",
                                                            "NO_KNOWN_PARENT"};
  for (std::string_view r : kReasons) {
    if (reason == r) return true;
  }
  return false;
}

}  // namespace

core::Status Converter::add(const Node& record, RecordKind kind, const RecordRef& ref) {
  switch (kind) {
    case RecordKind::kLei:
      return add_lei(record, ref);
    case RecordKind::kRelationship:
      return add_relationship(record, ref);
    case RecordKind::kException:
      return add_exception(record, ref);
  }
  return core::ok();
}

void Converter::ensure_lei_entity(const std::string& lei, const RecordRef& ref) {
  const std::string id = "gleif:" + lei;
  if (builder_.has_entity(id)) return;
  domain::Entity e;
  e.id = id;
  e.kind = domain::EntityKind::kCompany;  // every LEI holder is a legal entity
  e.identifiers.push_back({"lei", lei});
  e.source = issues_.source(ref);
  builder_.add_placeholder(std::move(e), issues_.summary());
}

core::Status Converter::add_lei(const Node& r, const RecordRef& ref) {
  auto& summary = issues_.summary();
  const std::string lei = internal::uppercase(r.text_at({"LEI"}));
  if (!valid_lei(lei)) {
    ++summary.records_skipped;
    return issues_.error(ref, "LEI",
                         lei.empty() ? "missing" : "'" + lei + "' is not 20 letters and digits");
  }
  const std::string_view status = r.text_at({"Registration", "RegistrationStatus"});
  if (void_registration(status)) {
    issues_.warning(ref, "Registration.RegistrationStatus",
                    "registration of " + lei + " is " + std::string(status) + "; ignored");
    ++summary.records_ignored;
    return core::ok();
  }
  domain::Entity e;
  e.id = "gleif:" + lei;
  const std::string_view category = r.text_at({"Entity", "EntityCategory"});
  e.kind = category == "RESIDENT_GOVERNMENT_ENTITY" ? domain::EntityKind::kStateBody
                                                    : domain::EntityKind::kCompany;
  e.name = std::string(r.text_at({"Entity", "LegalName"}));
  e.country = internal::country_code(r.text_at({"Entity", "LegalJurisdiction"}));
  if (e.country.empty()) {
    e.country = internal::country_code(r.text_at({"Entity", "LegalAddress", "Country"}));
  }
  e.identifiers.push_back({"lei", lei});
  const std::string_view ra =
      r.text_at({"Entity", "RegistrationAuthority", "RegistrationAuthorityID"});
  const std::string_view ra_id =
      r.text_at({"Entity", "RegistrationAuthority", "RegistrationAuthorityEntityID"});
  if (!ra.empty() && ra != "RA999999") {  // RA999999: "no registration authority"
    if (auto ident = internal::make_identifier("gleif-" + internal::lowercase(ra), ra_id)) {
      e.identifiers.push_back(*ident);
    }
  }
  e.source = issues_.source(ref);
  if (!builder_.add_entity(std::move(e))) {
    ++summary.records_skipped;
    return issues_.error(ref, "LEI", "duplicate LEI record for " + lei + "; skipped");
  }
  return core::ok();
}

core::Status Converter::add_relationship(const Node& r, const RecordRef& ref) {
  auto& summary = issues_.summary();
  auto skip = [&](std::string field, std::string message) {
    ++summary.records_skipped;
    return issues_.error(ref, std::move(field), std::move(message));
  };
  const Node* rel = r.child("Relationship");
  if (rel == nullptr) return skip("Relationship", "missing");
  std::string leis[2];
  const std::string_view nodes[2] = {"StartNode", "EndNode"};
  for (int i = 0; i < 2; ++i) {
    const std::string field = "Relationship." + std::string(nodes[i]);
    const std::string_view type = rel->text_at({nodes[i], "NodeIDType"});
    if (!type.empty() && type != "LEI") {
      return skip(field + ".NodeIDType", "'" + std::string(type) + "' is not LEI");
    }
    leis[i] = internal::uppercase(rel->text_at({nodes[i], "NodeID"}));
    if (!valid_lei(leis[i])) {
      return skip(field + ".NodeID",
                  leis[i].empty() ? "missing" : "'" + leis[i] + "' is not an LEI");
    }
  }
  const std::string_view type = rel->text_at({"RelationshipType"});
  const std::string_view status = r.text_at({"Registration", "RegistrationStatus"});
  if (void_registration(status)) {
    issues_.warning(ref, "Registration.RegistrationStatus",
                    "relationship registration is " + std::string(status) + "; ignored");
    ++summary.records_ignored;
    return core::ok();
  }
  PendingEdge edge;
  edge.owner_lei = leis[1];
  edge.owned_lei = leis[0];
  edge.ref = ref;
  if (auto interest = relationship_interest(type)) {
    edge.interest = *interest;
  } else {
    issues_.warning(ref, "Relationship.RelationshipType",
                    "unknown relationship type '" + std::string(type) +
                        "'; read as other influence or control");
    edge.interest = domain::Interest::kOtherInfluence;
  }
  for (const Node* period : rel->items("RelationshipPeriods", "RelationshipPeriod")) {
    if (period->text_at({"PeriodType"}) != "RELATIONSHIP_PERIOD") continue;
    for (std::string_view name : {std::string_view("StartDate"), std::string_view("EndDate")}) {
      const std::string_view text = period->text_at({name});
      if (text.empty()) continue;
      auto d = domain::parse_date(text);
      if (!d) {
        return skip("Relationship.RelationshipPeriods." + std::string(name),
                    "'" + std::string(text) + "' is not a date");
      }
      (name == "StartDate" ? edge.start : edge.end) = *d;
    }
  }
  if (rel->text_at({"RelationshipStatus"}) == "INACTIVE" && !edge.end) {
    // Ended at an unknown date no later than the record's last update.
    if (auto d = domain::parse_date(r.text_at({"Registration", "LastUpdateDate"}))) edge.end = *d;
  }
  // A relationship may be quantified several ways; the consolidation percentage is the share.
  auto consolidation = [](const Node* q) {
    return q->text_at({"MeasurementMethod"}) == "ACCOUNTING_CONSOLIDATION";
  };
  const Node* chosen = nullptr;
  for (const Node* q : rel->items("RelationshipQuantifiers", "RelationshipQuantifier")) {
    if (q->text_at({"QuantifierUnits"}) != "PERCENTAGE") continue;
    if (chosen == nullptr || (consolidation(q) && !consolidation(chosen))) chosen = q;
  }
  if (chosen != nullptr) {
    const std::string_view amount = chosen->text_at({"QuantifierAmount"});
    double v = 0;
    auto [ptr, ec] = std::from_chars(amount.data(), amount.data() + amount.size(), v);
    const std::string field = "Relationship.RelationshipQuantifiers.QuantifierAmount";
    if (amount.empty() || ec != std::errc() || ptr != amount.data() + amount.size()) {
      return skip(field, "'" + std::string(amount) + "' is not a number");
    }
    if (!(v >= 0.0 && v <= 100.0)) {
      return skip(field, std::string(amount) + " is not a percentage in [0, 100]");
    }
    edge.share = domain::Share::exact(v / 100.0);
  }
  edges_.push_back(std::move(edge));
  return core::ok();
}

core::Status Converter::add_exception(const Node& r, const RecordRef& ref) {
  auto& summary = issues_.summary();
  const std::string lei = internal::uppercase(r.text_at({"LEI"}));
  if (!valid_lei(lei)) {
    ++summary.records_skipped;
    return issues_.error(ref, "LEI",
                         lei.empty() ? "missing" : "'" + lei + "' is not 20 letters and digits");
  }
  const std::string_view category = r.text_at({"ExceptionCategory"});
  const std::string_view reason = r.text_at({"ExceptionReason"});
  bool direct = true;
  if (category == "ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT") {
    direct = false;
  } else if (category != "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT") {
    ++summary.records_skipped;
    return issues_.error(ref, "ExceptionCategory",
                         "'" + std::string(category) + "' is not a known exception category");
  }
  if (!undisclosed_parent(reason)) {
    if (reason != "NON_CONSOLIDATING" && reason != "NO_KNOWN_PERSON") {
      issues_.warning(ref, "ExceptionReason",
                      "unknown reason '" + std::string(reason) + "'; no parent recorded");
    }
    ++summary.records_ignored;
    return core::ok();
  }
  domain::Entity parent;
  parent.id = "gleif:" + lei + (direct ? "#direct-parent" : "#ultimate-parent");
  parent.kind = domain::EntityKind::kUnknown;
  parent.name = std::string("undisclosed ") + (direct ? "direct" : "ultimate") + " parent (" +
                std::string(reason) + ")";
  parent.source = issues_.source(ref);
  if (!builder_.add_entity(parent)) {
    ++summary.records_skipped;
    return issues_.error(
        ref, "LEI",
        "duplicate reporting exception for " + lei + " (" + std::string(category) + "); skipped");
  }
  PendingEdge edge;
  edge.owner = parent.id;
  edge.owned_lei = lei;
  edge.interest = direct ? domain::Interest::kConsolidation : domain::Interest::kUltimateParent;
  edge.ref = ref;
  edges_.push_back(std::move(edge));
  return core::ok();
}

core::Result<domain::OwnershipDataset> Converter::finish() {
  for (PendingEdge& pending : edges_) {
    domain::Edge edge;
    if (!pending.owner_lei.empty()) {
      ensure_lei_entity(pending.owner_lei, pending.ref);
      edge.owner = "gleif:" + pending.owner_lei;
    } else {
      edge.owner = std::move(pending.owner);
    }
    ensure_lei_entity(pending.owned_lei, pending.ref);
    edge.owned = "gleif:" + pending.owned_lei;
    edge.interest = pending.interest;
    edge.share = pending.share;
    edge.start = pending.start;
    edge.end = pending.end;
    edge.source = issues_.source(pending.ref);
    PW_TRY(builder_.add_edge(std::move(edge), pending.ref, "Relationship", issues_));
  }
  return builder_.take();
}

}  // namespace pw::formats::gleif
