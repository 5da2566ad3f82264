#include "formats/ftm/ftm_importer.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/internal/dataset_builder.h"
#include "formats/internal/json_fields.h"
#include "formats/internal/json_records.h"
#include "formats/internal/normalize.h"
#include "formats/percentage.h"

namespace pw::formats::ftm {
namespace {

using internal::field_error;
using internal::FieldResult;
using internal::FieldStatus;
using internal::IssueCollector;
using internal::RecordRef;
using internal::under;
using simdjson::ondemand::object;
using simdjson::ondemand::value;

// Properties the importer reads, by index into Properties::values.
enum Prop : std::size_t {
  kName,
  kFirstName,
  kLastName,
  kJurisdiction,
  kCountry,
  kMainCountry,
  kLeiCode,
  kUscCode,
  kInnCode,
  kOgrnCode,
  kOkpoCode,
  kSwiftBic,
  kDunsCode,
  kPermId,
  kRegistrationNumber,
  kOwner,
  kAsset,
  kPercentage,
  kStartDate,
  kEndDate,
  kPropCount
};
constexpr std::array<std::string_view, kPropCount> kPropNames{
    "name",        "firstName", "lastName",   "jurisdiction", "country",
    "mainCountry", "leiCode",   "uscCode",    "innCode",      "ogrnCode",
    "okpoCode",    "swiftBic",  "dunsCode",   "permId",       "registrationNumber",
    "owner",       "asset",     "percentage", "startDate",    "endDate"};

// Identifier properties and their schemes (registrationNumber is handled apart).
constexpr std::array<std::pair<Prop, std::string_view>, 8> kIdentifierProps{{
    {kLeiCode, "lei"},
    {kUscCode, "cn-uscc"},
    {kInnCode, "ru-inn"},
    {kOgrnCode, "ru-ogrn"},
    {kOkpoCode, "ru-okpo"},
    {kSwiftBic, "swift-bic"},
    {kDunsCode, "duns"},
    {kPermId, "permid"},
}};

// Schemas that can be the asset of an Ownership but are not legal entities.
constexpr std::array<std::string_view, 8> kNonLegalAssets{"Asset",       "Vessel",      "Airplane",
                                                          "Vehicle",     "RealEstate",  "Security",
                                                          "BankAccount", "CryptoWallet"};

struct Properties {
  std::array<std::vector<std::string_view>, kPropCount> values;
  // Empties every list but keeps its capacity: one Properties serves every record.
  void clear() {
    for (auto& v : values) v.clear();
  }
  std::string_view first(Prop p) const {
    for (std::string_view v : values[p]) {
      if (!internal::trim(v).empty()) return internal::trim(v);
    }
    return {};
  }
};

FieldStatus parse_properties(object& o, Properties& props) {
  return internal::for_each_field(o, [&](std::string_view key, value& v) -> FieldStatus {
    std::size_t p = 0;
    while (p < kPropCount && kPropNames[p] != key) ++p;
    if (p == kPropCount || internal::take_null(v)) return {};
    simdjson::ondemand::json_type type;
    if (v.type().get(type)) return field_error(std::string(key), "malformed JSON");
    if (type == simdjson::ondemand::json_type::string) {  // tolerated: a bare string
      auto s = internal::get_string(v);
      if (!s) return std::unexpected(under(key, s.error()));
      props.values[p].push_back(*s);
      return {};
    }
    auto a = internal::get_array(v);
    if (!a) return std::unexpected(under(key, a.error()));
    return internal::for_each_element(*a, [&](std::size_t i, value& item) -> FieldStatus {
      auto s = internal::get_string(item);
      if (!s) return std::unexpected(under(key, i, s.error()));
      props.values[p].push_back(*s);
      return {};
    });
  });
}

struct PendingOwnership {
  std::string id;
  std::string owner;
  std::string asset;
  domain::Share share;
  std::optional<domain::Date> start, end;
  RecordRef ref;
};

class Importer {
 public:
  explicit Importer(IssueCollector& issues) : issues_(issues) {}

  // Sizes the indexes for about `records` records (a hint).
  void reserve(std::size_t records) {
    builder_.reserve(records, records / 4);
    seen_.reserve(records);
  }

  core::Status on_record(object& record, const RecordRef& ref);
  core::Result<domain::OwnershipDataset> finish();

 private:
  core::Status add_party(std::string_view id, domain::EntityKind kind, const Properties& props,
                         const RecordRef& ref);
  core::Status add_ownership(std::string_view id, const Properties& props, const RecordRef& ref);
  std::optional<domain::Date> date(const Properties& props, Prop p, bool end, const RecordRef& ref);
  core::Result<std::string> resolve(const PendingOwnership& o, const std::string& id,
                                    std::string_view field);

  IssueCollector& issues_;
  internal::DatasetBuilder builder_;
  internal::StringMap<std::uint64_t> seen_;            // every id read -> record number
  internal::StringMap<std::string> non_legal_assets_;  // id -> schema
  std::vector<PendingOwnership> ownerships_;
  Properties props_;  // the current record's; views into the parser's buffer
};

core::Status Importer::on_record(object& record, const RecordRef& ref) {
  std::string_view id, schema;
  Properties& props = props_;
  props.clear();
  auto r = internal::for_each_field(record, [&](std::string_view key, value& v) -> FieldStatus {
    if (key == "id" || key == "schema") {
      auto s = internal::get_string(v);
      if (!s) return std::unexpected(under(key, s.error()));
      (key == "id" ? id : schema) = *s;
    } else if (key == "properties") {
      auto o = internal::get_object(v);
      if (!o) return std::unexpected(under(key, o.error()));
      if (auto pr = parse_properties(*o, props); !pr)
        return std::unexpected(under(key, pr.error()));
    }
    return {};
  });
  auto skip = [&](std::string field, std::string message) {
    ++issues_.summary().records_skipped;
    return issues_.error(ref, std::move(field), std::move(message));
  };
  if (!r) return skip(std::move(r.error().field), std::move(r.error().message));
  if (id.empty()) return skip("id", "missing");
  if (schema.empty()) return skip("schema", "missing");
  auto [it, inserted] = seen_.try_emplace(std::string(id), ref.number);
  if (!inserted) {
    return skip("id", "duplicate id '" + std::string(id) + "' (first in record " +
                          std::to_string(it->second) + "); skipped");
  }
  if (schema == "Company" || schema == "Organization" || schema == "LegalEntity") {
    return add_party(id, domain::EntityKind::kCompany, props, ref);
  }
  if (schema == "PublicBody") return add_party(id, domain::EntityKind::kStateBody, props, ref);
  if (schema == "Person") return add_party(id, domain::EntityKind::kPerson, props, ref);
  if (schema == "Ownership") return add_ownership(id, props, ref);
  for (std::string_view asset : kNonLegalAssets) {
    if (schema == asset) non_legal_assets_.try_emplace(std::string(id), std::string(schema));
  }
  ++issues_.summary().records_ignored;
  return core::ok();
}

core::Status Importer::add_party(std::string_view id, domain::EntityKind kind,
                                 const Properties& props, const RecordRef& ref) {
  domain::Entity e;
  e.id = "ftm:" + std::string(id);
  e.kind = kind;
  e.name = std::string(props.first(kName));
  if (e.name.empty()) {
    e.name = std::string(props.first(kFirstName));
    std::string_view last = props.first(kLastName);
    if (!last.empty()) e.name += (e.name.empty() ? "" : " ") + std::string(last);
  }
  for (Prop p : {kJurisdiction, kCountry, kMainCountry}) {
    for (std::string_view v : props.values[p]) {
      if (e.country.empty()) e.country = internal::country_code(v);
    }
  }
  for (const auto& [prop, scheme] : kIdentifierProps) {
    for (std::string_view v : props.values[prop]) {
      if (auto ident = internal::make_identifier(scheme, v)) e.identifiers.push_back(*ident);
    }
  }
  const std::string reg_scheme =
      e.country.empty() ? "registration" : "registration-" + internal::lowercase(e.country);
  for (std::string_view v : props.values[kRegistrationNumber]) {
    if (auto ident = internal::make_identifier(reg_scheme, v)) e.identifiers.push_back(*ident);
  }
  e.source = issues_.source(ref);
  builder_.add_entity(std::move(e));  // ids were checked unique on arrival
  return core::ok();
}

std::optional<domain::Date> Importer::date(const Properties& props, Prop p, bool end,
                                           const RecordRef& ref) {
  std::string_view text = props.first(p);
  if (text.empty()) return std::nullopt;
  auto d = internal::parse_partial_date(text, end);
  if (!d) {
    issues_.warning(ref, "properties." + std::string(kPropNames[p]),
                    "'" + std::string(text) + "' is not a date; ignored");
  }
  return d;
}

core::Status Importer::add_ownership(std::string_view id, const Properties& props,
                                     const RecordRef& ref) {
  PendingOwnership o;
  o.id = std::string(id);
  o.ref = ref;
  o.owner = std::string(props.first(kOwner));
  o.asset = std::string(props.first(kAsset));
  if (o.owner.empty() || o.asset.empty()) {
    ++issues_.summary().records_skipped;
    return issues_.error(ref, o.owner.empty() ? "properties.owner" : "properties.asset", "missing");
  }
  if (props.values[kOwner].size() > 1 || props.values[kAsset].size() > 1) {
    issues_.warning(ref, "properties", "several owners or assets; using the first of each");
  }
  std::string_view pct = props.first(kPercentage);
  if (!pct.empty()) {
    auto share = parse_percentage_text(pct);
    if (share) {
      o.share = *share;
    } else {
      issues_.warning(ref, "properties.percentage",
                      share.error().message() + "; the share is recorded as unknown");
    }
    for (std::string_view other : props.values[kPercentage]) {
      if (internal::trim(other) != pct && !internal::trim(other).empty()) {
        issues_.warning(ref, "properties.percentage",
                        "several different percentages; using '" + std::string(pct) + "'");
        break;
      }
    }
  }
  o.start = date(props, kStartDate, false, ref);
  o.end = date(props, kEndDate, true, ref);
  ownerships_.push_back(std::move(o));
  return core::ok();
}

core::Result<std::string> Importer::resolve(const PendingOwnership& o, const std::string& id,
                                            std::string_view field) {
  std::string entity_id = "ftm:" + id;
  if (builder_.has_entity(entity_id)) return entity_id;
  PW_TRY(issues_.error(o.ref, "properties." + std::string(field),
                       "'" + id +
                           "' is not a legal entity or person in this file; an unknown "
                           "entity stands in for it"));
  domain::Entity placeholder;
  placeholder.id = entity_id;
  placeholder.kind = domain::EntityKind::kUnknown;
  placeholder.source = issues_.source(o.ref);
  builder_.add_placeholder(std::move(placeholder), issues_.summary());
  return entity_id;
}

core::Result<domain::OwnershipDataset> Importer::finish() {
  for (const PendingOwnership& o : ownerships_) {
    if (auto it = non_legal_assets_.find(o.asset); it != non_legal_assets_.end()) {
      issues_.warning(o.ref, "properties.asset",
                      "'" + o.asset + "' is a " + it->second +
                          ", not a legal entity; ownership of assets is not modelled");
      ++issues_.summary().records_ignored;
      continue;
    }
    PW_ASSIGN_OR_RETURN(std::string owner, resolve(o, o.owner, "owner"));
    PW_ASSIGN_OR_RETURN(std::string owned, resolve(o, o.asset, "asset"));
    domain::Edge edge;
    edge.owner = std::move(owner);
    edge.owned = std::move(owned);
    edge.interest = domain::Interest::kShareholding;
    edge.share = o.share;
    edge.start = o.start;
    edge.end = o.end;
    edge.source = issues_.source(o.ref);
    PW_TRY(builder_.add_edge(std::move(edge), o.ref, "properties", issues_));
  }
  return builder_.take();
}

}  // namespace

core::Result<domain::OwnershipDataset> import(ByteSource& source, IssueCollector& issues) {
  Importer importer(issues);
  // FtM records take 200 bytes or more; the hint only sizes hash tables.
  importer.reserve(static_cast<std::size_t>(
      std::min<std::uint64_t>(source.size_hint() / 250, std::uint64_t{1} << 26)));
  PW_TRY(internal::read_json_records(source, issues, [&](object& record, const RecordRef& ref) {
    return importer.on_record(record, ref);
  }));
  return importer.finish();
}

}  // namespace pw::formats::ftm
