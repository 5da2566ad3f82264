// BODS statement -> Statement. One pass over the record in document order (simdjson On-Demand
// is forward-only), so fields are collected into a version-neutral Raw first and interpreted
// once the statement's type is known: a 0.4 "recordDetails" may come before "recordType".

#include <string>
#include <string_view>

#include "formats/bods/statement.h"
#include "formats/internal/normalize.h"

namespace pw::formats::bods {
namespace {

using internal::field_error;
using internal::FieldError;
using internal::FieldResult;
using internal::FieldStatus;
using internal::format_number;
using internal::under;
using simdjson::ondemand::array;
using simdjson::ondemand::object;
using simdjson::ondemand::value;

// Share bounds as written (percent).
struct RawShare {
  std::optional<double> exact, minimum, maximum, exclusive_minimum, exclusive_maximum;
};

struct Raw {
  std::string_view statement_id, statement_type, record_type, record_id, record_status;
  std::string_view statement_date;
  std::vector<std::string_view> replaces;
  std::string_view entity_type, person_type, name, person_name, jurisdiction, nationality;
  std::vector<domain::Identifier> identifiers;
  bool subject_present = false;
  std::string_view subject;
  bool party_present = false, party_unspecified = false;
  std::string_view party, party_reason;
  std::vector<InterestRecord> interests;
  std::size_t interests_stated = 0;
  std::vector<FieldError> errors, warnings;
};

std::string squash(std::string_view code) {
  std::string out;
  out.reserve(code.size());
  for (char c : code) {
    if (c == '-' || c == '_' || c == ' ') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

// BODS interest types (0.2 kebab-case, 0.3/0.4 camelCase) -> model interests. Economic rights
// other than shares (profit, surplus on dissolution) are not shareholdings: they never count in
// integrated ownership, so they map to other influence.
std::optional<domain::Interest> map_interest(std::string_view type) {
  const std::string t = squash(type);
  if (t == "shareholding") return domain::Interest::kShareholding;
  if (t == "votingrights") return domain::Interest::kVotingRights;
  if (t == "appointmentofboard") return domain::Interest::kBoardAppointment;
  static constexpr std::string_view kOther[] = {"otherinfluenceorcontrol",
                                                "seniormanagingofficial",
                                                "settlor",
                                                "settloroftrust",
                                                "trustee",
                                                "trusteeoftrust",
                                                "protector",
                                                "protectoroftrust",
                                                "beneficiaryoftrust",
                                                "beneficiaryoflegalarrangement",
                                                "otherinfluenceorcontroloftrust",
                                                "rightstosurplusassetsondissolution",
                                                "rightstoprofitorincome",
                                                "rightsgrantedbycontract",
                                                "conditionalrightsgrantedbycontract",
                                                "controlviacompanyrulesorarticles",
                                                "controlbylegalframework",
                                                "boardmember",
                                                "boardchair",
                                                "nominee",
                                                "nominator",
                                                "enjoymentanduseofassets",
                                                "righttoprofitorincomefromassets"};
  for (std::string_view k : kOther) {
    if (t == k) return domain::Interest::kOtherInfluence;
  }
  return std::nullopt;  // unknownInterest, unpublishedInterest or a type this code does not know
}

FieldResult<std::optional<domain::Date>> get_date(value& v) {
  if (internal::take_null(v)) return std::nullopt;
  auto s = internal::get_string(v);
  if (!s) return std::unexpected(s.error());
  auto d = domain::parse_date(*s);
  if (!d) return field_error("", "'" + std::string(*s) + "' is not a date (YYYY-MM-DD)");
  return *d;
}

FieldStatus parse_share_fields(object& o, RawShare& share) {
  return internal::for_each_field(o, [&](std::string_view key, value& v) -> FieldStatus {
    std::optional<double>* slot = nullptr;
    if (key == "exact") slot = &share.exact;
    if (key == "minimum") slot = &share.minimum;
    if (key == "maximum") slot = &share.maximum;
    if (key == "exclusiveMinimum") slot = &share.exclusive_minimum;
    if (key == "exclusiveMaximum") slot = &share.exclusive_maximum;
    if (slot == nullptr || internal::take_null(v)) return {};
    auto d = internal::get_number(v);
    if (!d) return std::unexpected(under(key, d.error()));
    if (!(*d >= 0.0 && *d <= 100.0)) {
      return field_error(std::string(key),
                         std::string(internal::raw_token(v)) + " is not a percentage in [0, 100]");
    }
    *slot = *d;
    return {};
  });
}

// BODS shares are percentages; the model's are fractions of 1.
FieldResult<domain::Share> to_share(const RawShare& s, std::vector<FieldError>& warnings) {
  if (s.exact) {
    const bool outside =
        (s.minimum && *s.exact < *s.minimum) || (s.maximum && *s.exact > *s.maximum);
    if (outside)
      warnings.push_back({"exact", "exact value lies outside the stated minimum/maximum"});
    return domain::Share::exact(*s.exact / 100.0);
  }
  if (!s.minimum && !s.maximum && !s.exclusive_minimum && !s.exclusive_maximum) {
    return domain::Share::unknown();
  }
  if (s.minimum && s.exclusive_minimum) {
    warnings.push_back({"exclusiveMinimum",
                        "both minimum and exclusiveMinimum given; using the "
                        "tighter bound"});
  }
  if (s.maximum && s.exclusive_maximum) {
    warnings.push_back({"exclusiveMaximum",
                        "both maximum and exclusiveMaximum given; using the "
                        "tighter bound"});
  }
  double lo = 0, hi = 100;
  bool lo_excl = false, hi_excl = false;
  if (s.minimum) lo = *s.minimum;
  if (s.exclusive_minimum && *s.exclusive_minimum >= lo) {
    lo = *s.exclusive_minimum;
    lo_excl = true;
  }
  if (s.maximum) hi = *s.maximum;
  if (s.exclusive_maximum && *s.exclusive_maximum <= hi) {
    hi = *s.exclusive_maximum;
    hi_excl = true;
  }
  if (lo > hi || (lo == hi && (lo_excl || hi_excl))) {
    return field_error("", "empty range: minimum " + format_number(lo) +
                               (lo_excl ? " (exclusive)" : "") + ", maximum " + format_number(hi) +
                               (hi_excl ? " (exclusive)" : ""));
  }
  return domain::Share::range(lo / 100.0, hi / 100.0, lo_excl, hi_excl);
}

// Parses one interest; problems confined to it come back as FieldError (the caller drops it).
FieldResult<InterestRecord> parse_interest(value& v, std::vector<FieldError>& warnings) {
  auto o = internal::get_object(v);
  if (!o) return std::unexpected(o.error());
  std::string_view type, level;
  std::optional<bool> beneficial;
  RawShare raw_share;
  bool has_share = false;
  InterestRecord interest;
  auto r = internal::for_each_field(*o, [&](std::string_view key, value& f) -> FieldStatus {
    if (key == "type" || key == "directOrIndirect" || key == "interestLevel") {
      if (internal::take_null(f)) return {};
      auto s = internal::get_string(f);
      if (!s) return std::unexpected(under(key, s.error()));
      (key == "type" ? type : level) = *s;
    } else if (key == "beneficialOwnershipOrControl") {
      if (internal::take_null(f)) return {};
      auto b = internal::get_bool(f);
      if (!b) return std::unexpected(under(key, b.error()));
      beneficial = *b;
    } else if (key == "share") {
      if (internal::take_null(f)) return {};
      auto so = internal::get_object(f);
      if (!so) return std::unexpected(under(key, so.error()));
      if (auto sr = parse_share_fields(*so, raw_share); !sr) {
        return std::unexpected(under(key, sr.error()));
      }
      has_share = true;
    } else if (key == "startDate" || key == "endDate") {
      auto d = get_date(f);
      if (!d) return std::unexpected(under(key, d.error()));
      (key == "startDate" ? interest.start : interest.end) = *d;
    }
    return {};
  });
  if (!r) return std::unexpected(r.error());
  if (has_share) {
    std::vector<FieldError> share_warnings;
    auto share = to_share(raw_share, share_warnings);
    if (!share) return std::unexpected(under("share", share.error()));
    for (auto& w : share_warnings) warnings.push_back(under("share", std::move(w)));
    interest.share = *share;
  }
  if (auto mapped = map_interest(type)) {
    interest.interest = *mapped;
  } else {
    const std::string t = squash(type);
    if (!type.empty() && t != "unknowninterest" && t != "unpublishedinterest") {
      warnings.push_back({"type", "unknown interest type '" + std::string(type) +
                                      "'; read as other influence or control"});
    }
    // Of an interest whose nature is not disclosed (no type, unknownInterest,
    // unpublishedInterest: the BODS examples omit the type for such interests), only the
    // declaration is known.
    interest.interest = beneficial.value_or(false) ? domain::Interest::kDeclaredController
                                                   : domain::Interest::kOtherInfluence;
  }
  // "unknown" (and a missing level) are kept as direct: the edge is the only one the data gives
  // between the two parties, so it must stay in the graph.
  interest.direct = level != "indirect";
  return interest;
}

FieldStatus parse_interests(value& v, Raw& raw) {
  if (internal::take_null(v)) return {};
  auto a = internal::get_array(v);
  if (!a) return std::unexpected(a.error());
  return internal::for_each_element(*a, [&](std::size_t i, value& item) -> FieldStatus {
    ++raw.interests_stated;
    std::vector<FieldError> warnings;
    auto interest = parse_interest(item, warnings);
    for (auto& w : warnings) raw.warnings.push_back(under("interests", i, std::move(w)));
    if (!interest) {
      raw.errors.push_back(under("interests", i, interest.error()));
      return {};
    }
    interest->index = i;
    raw.interests.push_back(*interest);
    return {};
  });
}

// A reference in 0.2/0.3 style: {"describedByEntityStatement": id} or
// {"describedByPersonStatement": id} or {"unspecified": {"reason": ...}}; in 0.4 an unspecified
// party is {"reason": ..., "description": ...}.
FieldStatus parse_reference_object(object& o, std::string_view& id, bool& unspecified,
                                   std::string_view& reason) {
  return internal::for_each_field(o, [&](std::string_view key, value& v) -> FieldStatus {
    if (key == "describedByEntityStatement" || key == "describedByPersonStatement") {
      auto s = internal::get_string(v);
      if (!s) return std::unexpected(under(key, s.error()));
      id = *s;
    } else if (key == "unspecified") {
      unspecified = true;
      if (internal::take_null(v)) return {};
      auto u = internal::get_object(v);
      if (!u) {
        // 0.2 allowed a bare reason string here in some publishers' data.
        return {};
      }
      return internal::for_each_field(*u, [&](std::string_view k, value& rv) -> FieldStatus {
        if (k != "reason") return {};
        auto s = internal::get_string(rv);
        if (!s) return std::unexpected(under("unspecified.reason", s.error()));
        reason = *s;
        return {};
      });
    } else if (key == "reason") {
      unspecified = true;
      auto s = internal::get_string(v);
      if (!s) return std::unexpected(under(key, s.error()));
      reason = *s;
    }
    return {};
  });
}

FieldStatus parse_names(value& v, Raw& raw) {
  if (internal::take_null(v)) return {};
  auto a = internal::get_array(v);
  if (!a) return std::unexpected(a.error());
  bool have_preferred = false;
  return internal::for_each_element(*a, [&](std::size_t i, value& item) -> FieldStatus {
    auto o = internal::get_object(item);
    if (!o) return std::unexpected(under("", i, o.error()));
    std::string_view type, full;
    auto r = internal::for_each_field(*o, [&](std::string_view key, value& f) -> FieldStatus {
      if (key != "type" && key != "fullName") return {};
      if (internal::take_null(f)) return {};
      auto s = internal::get_string(f);
      if (!s) return std::unexpected(under(key, s.error()));
      (key == "type" ? type : full) = *s;
      return {};
    });
    if (!r) return std::unexpected(under("", i, r.error()));
    const bool preferred = type == "legal" || type == "individual";
    if (!full.empty() && (raw.person_name.empty() || (preferred && !have_preferred))) {
      raw.person_name = full;
      have_preferred = have_preferred || preferred;
    }
    return {};
  });
}

FieldStatus parse_identifiers(value& v, Raw& raw) {
  if (internal::take_null(v)) return {};
  auto a = internal::get_array(v);
  if (!a) return std::unexpected(a.error());
  return internal::for_each_element(*a, [&](std::size_t i, value& item) -> FieldStatus {
    auto o = internal::get_object(item);
    if (!o) return std::unexpected(under("", i, o.error()));
    std::string_view scheme, id;
    auto r = internal::for_each_field(*o, [&](std::string_view key, value& f) -> FieldStatus {
      if (key != "scheme" && key != "id") return {};
      if (internal::take_null(f)) return {};
      auto s = internal::get_string(f);
      if (!s) return std::unexpected(under(key, s.error()));
      (key == "scheme" ? scheme : id) = *s;
      return {};
    });
    if (!r) return std::unexpected(under("", i, r.error()));
    // Identifiers without a scheme (only a schemeName or uri) cannot be matched exactly.
    if (auto ident = internal::make_identifier(scheme, id)) raw.identifiers.push_back(*ident);
    return {};
  });
}

// The "code" of {"name": ..., "code": ...} (jurisdiction) or of the first element of an array of
// such objects (nationalities).
FieldStatus parse_code(value& v, std::string_view& out) {
  if (internal::take_null(v)) return {};
  auto take = [&](object& o) {
    return internal::for_each_field(o, [&](std::string_view key, value& f) -> FieldStatus {
      if (key != "code" || internal::take_null(f)) return {};
      auto s = internal::get_string(f);
      if (!s) return std::unexpected(under(key, s.error()));
      if (out.empty()) out = *s;
      return {};
    });
  };
  simdjson::ondemand::json_type type;
  if (v.type().get(type)) return field_error("", "malformed JSON");
  if (type == simdjson::ondemand::json_type::array) {
    auto a = internal::get_array(v);
    if (!a) return std::unexpected(a.error());
    return internal::for_each_element(*a, [&](std::size_t i, value& item) -> FieldStatus {
      auto o = internal::get_object(item);
      if (!o) return std::unexpected(under("", i, o.error()));
      if (auto r = take(*o); !r) return std::unexpected(under("", i, r.error()));
      return {};
    });
  }
  auto o = internal::get_object(v);
  if (!o) return std::unexpected(o.error());
  return take(*o);
}

FieldStatus parse_entity_type(value& v, Raw& raw) {
  if (internal::take_null(v)) return {};
  simdjson::ondemand::json_type type;
  if (v.type().get(type)) return field_error("", "malformed JSON");
  if (type == simdjson::ondemand::json_type::string) {  // 0.2/0.3
    auto s = internal::get_string(v);
    if (!s) return std::unexpected(s.error());
    raw.entity_type = *s;
    return {};
  }
  auto o = internal::get_object(v);
  if (!o) return std::unexpected(o.error());
  return internal::for_each_field(*o, [&](std::string_view key, value& f) -> FieldStatus {
    if (key != "type" || internal::take_null(f)) return {};
    auto s = internal::get_string(f);
    if (!s) return std::unexpected(under(key, s.error()));
    raw.entity_type = *s;
    return {};
  });
}

FieldStatus parse_string_into(value& v, std::string_view& out) {
  if (internal::take_null(v)) return {};
  auto s = internal::get_string(v);
  if (!s) return std::unexpected(s.error());
  out = *s;
  return {};
}

// Fields of an entity, person or relationship: in 0.4 inside recordDetails, in 0.2/0.3 at the
// top level of the statement.
FieldStatus parse_detail_field(std::string_view key, value& v, Raw& raw) {
  FieldStatus r;
  if (key == "entityType") {
    r = parse_entity_type(v, raw);
  } else if (key == "personType") {
    r = parse_string_into(v, raw.person_type);
  } else if (key == "name") {
    r = parse_string_into(v, raw.name);
  } else if (key == "names") {
    r = parse_names(v, raw);
  } else if (key == "jurisdiction" || key == "incorporatedInJurisdiction") {
    r = parse_code(v, raw.jurisdiction);
  } else if (key == "nationalities") {
    r = parse_code(v, raw.nationality);
  } else if (key == "identifiers") {
    r = parse_identifiers(v, raw);
  } else if (key == "subject") {
    raw.subject_present = true;
    simdjson::ondemand::json_type type;
    if (v.type().get(type)) return field_error(std::string(key), "malformed JSON");
    if (type == simdjson::ondemand::json_type::object) {
      auto o = internal::get_object(v);
      bool unspecified = false;
      std::string_view reason;
      if (o) r = parse_reference_object(*o, raw.subject, unspecified, reason);
    } else {
      r = parse_string_into(v, raw.subject);
    }
  } else if (key == "interestedParty") {
    raw.party_present = true;
    simdjson::ondemand::json_type type;
    if (v.type().get(type)) return field_error(std::string(key), "malformed JSON");
    if (type == simdjson::ondemand::json_type::object) {
      auto o = internal::get_object(v);
      if (o) r = parse_reference_object(*o, raw.party, raw.party_unspecified, raw.party_reason);
    } else {
      r = parse_string_into(v, raw.party);
    }
  } else if (key == "interests") {
    r = parse_interests(v, raw);
  }
  if (!r) return std::unexpected(under(key, r.error()));
  return {};
}

FieldStatus parse_top_field(std::string_view key, value& v, Raw& raw) {
  FieldStatus r;
  if (key == "statementId" || key == "statementID") {
    r = parse_string_into(v, raw.statement_id);
  } else if (key == "statementType") {
    r = parse_string_into(v, raw.statement_type);
  } else if (key == "recordType") {
    r = parse_string_into(v, raw.record_type);
  } else if (key == "recordId") {
    r = parse_string_into(v, raw.record_id);
  } else if (key == "recordStatus") {
    r = parse_string_into(v, raw.record_status);
  } else if (key == "statementDate") {
    r = parse_string_into(v, raw.statement_date);
  } else if (key == "replacesStatements") {
    if (internal::take_null(v)) return {};
    auto a = internal::get_array(v);
    if (!a) return std::unexpected(under(key, a.error()));
    r = internal::for_each_element(*a, [&](std::size_t i, value& item) -> FieldStatus {
      auto s = internal::get_string(item);
      if (!s) return std::unexpected(under("", i, s.error()));
      raw.replaces.push_back(*s);
      return {};
    });
  } else if (key == "recordDetails") {
    auto o = internal::get_object(v);
    if (!o) return std::unexpected(under(key, o.error()));
    r = internal::for_each_field(
        *o, [&](std::string_view k, value& f) { return parse_detail_field(k, f, raw); });
  } else {
    return parse_detail_field(key, v, raw);
  }
  if (!r) return std::unexpected(under(key, r.error()));
  return {};
}

domain::EntityKind entity_kind(std::string_view type, std::vector<FieldError>& warnings,
                               const std::string& prefix) {
  const std::string t = squash(type);
  if (t == "state") return domain::EntityKind::kState;
  if (t == "statebody") return domain::EntityKind::kStateBody;
  if (t == "anonymousentity" || t == "unknownentity") return domain::EntityKind::kUnknown;
  if (t != "registeredentity" && t != "legalentity" && t != "arrangement") {
    warnings.push_back(
        {prefix + "entityType",
         type.empty() ? "entity type missing; read as a company"
                      : "unknown entity type '" + std::string(type) + "'; read as a company"});
  }
  return domain::EntityKind::kCompany;
}

// Raw, reused from one statement to the next so that its lists keep their capacity.
void reset(Raw& raw) {
  auto replaces = std::move(raw.replaces);
  auto identifiers = std::move(raw.identifiers);
  auto interests = std::move(raw.interests);
  raw = Raw{};
  replaces.clear();
  identifiers.clear();
  interests.clear();
  raw.replaces = std::move(replaces);
  raw.identifiers = std::move(identifiers);
  raw.interests = std::move(interests);
}

}  // namespace

struct StatementParser::Scratch {
  Raw raw;
};

StatementParser::StatementParser() : scratch_(std::make_unique<Scratch>()) {}
StatementParser::~StatementParser() = default;

FieldResult<ParsedStatement> StatementParser::parse(object& record,
                                                    const internal::RecordRef& ref) {
  Raw& raw = scratch_->raw;
  reset(raw);
  auto r = internal::for_each_field(
      record, [&](std::string_view key, value& v) { return parse_top_field(key, v, raw); });
  if (!r) return std::unexpected(r.error());

  ParsedStatement s;
  s.ref = ref;
  s.statement_id = raw.statement_id;
  s.date_text = raw.statement_date;
  if (!raw.statement_date.empty()) {
    auto d = domain::parse_date(raw.statement_date);
    if (!d) {
      return field_error("statementDate",
                         "'" + std::string(raw.statement_date) + "' is not a date (YYYY-MM-DD)");
    }
    s.date = *d;
  }
  std::string_view type;
  if (!raw.record_type.empty()) {  // 0.4
    if (raw.record_id.empty()) return field_error("recordId", "missing");
    s.v04 = true;
    s.public_id = raw.record_id;
    type = raw.record_type;
    if (raw.record_status == "closed") {
      s.closed = true;
    } else if (!raw.record_status.empty() && raw.record_status != "new" &&
               raw.record_status != "updated") {
      s.warnings.push_back(
          {"recordStatus",
           "unknown record status '" + std::string(raw.record_status) + "'; read as updated"});
    }
  } else if (!raw.statement_type.empty()) {  // 0.2 / 0.3
    if (raw.statement_id.empty()) return field_error("statementID", "missing");
    s.public_id = raw.statement_id;
    s.replaces = raw.replaces;
    type = raw.statement_type;
  } else {
    return field_error("",
                       "not a BODS statement: neither recordType (0.4) nor statementType "
                       "(0.2/0.3) is present");
  }
  const std::string fp(s.field_prefix());

  if (type == "entity" || type == "entityStatement") {
    s.kind = StatementKind::kEntity;
    s.entity_kind = entity_kind(raw.entity_type, s.warnings, fp);
    s.name = raw.name;
    s.country = internal::country_code(raw.jurisdiction);
    s.identifiers = raw.identifiers;
  } else if (type == "person" || type == "personStatement") {
    s.kind = StatementKind::kPerson;
    const std::string pt = squash(raw.person_type);
    s.entity_kind = (pt == "anonymousperson" || pt == "unknownperson")
                        ? domain::EntityKind::kUnknown
                        : domain::EntityKind::kPerson;
    s.name = raw.person_name.empty() ? raw.name : raw.person_name;
    s.country = internal::country_code(raw.nationality);
    s.identifiers = raw.identifiers;
  } else if (type == "relationship" || type == "ownershipOrControlStatement") {
    s.kind = StatementKind::kRelationship;
    if (raw.subject.empty()) return field_error(fp + "subject", "missing");
    s.subject = raw.subject;
    if (!raw.party.empty()) {
      s.interested_party = raw.party;
    } else {
      if (!raw.party_present) {
        s.warnings.push_back({fp + "interestedParty", "missing; read as unspecified"});
      }
      s.unspecified_reason = raw.party_reason.empty() ? "unknown" : raw.party_reason;
    }
    s.interests = raw.interests;
    s.interests_stated = raw.interests_stated;
    for (auto& e : raw.errors) {
      s.errors.push_back(fp.empty() ? std::move(e) : under("recordDetails", std::move(e)));
    }
  } else {
    return field_error(s.v04 ? "recordType" : "statementType",
                       "'" + std::string(type) + "' is not an entity, person or relationship");
  }
  for (auto& w : raw.warnings) {
    s.warnings.push_back(fp.empty() ? std::move(w) : under("recordDetails", std::move(w)));
  }
  return s;
}

}  // namespace pw::formats::bods
