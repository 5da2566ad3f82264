#include "formats/ocds/internal/release.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "formats/ocds/internal/amount.h"

namespace pw::formats::ocds::internal {
namespace {

namespace fi = formats::internal;
using fi::field_error;
using fi::FieldStatus;
using fi::under;
using simdjson::ondemand::array;
using simdjson::ondemand::object;
using simdjson::ondemand::value;

// OCDS bidStatus codelist (bids extension 1.1).
constexpr std::array<std::string_view, 5> kBidStatuses = {"invited", "pending", "valid",
                                                          "disqualified", "withdrawn"};

// The text of a JSON number token, trailing separators dropped (simdjson's raw token runs to
// the next structural character).
std::string_view number_text(value& v) {
  std::string_view t = v.raw_json_token();
  while (!t.empty() && (t.back() == ' ' || t.back() == '\n' || t.back() == '\r' ||
                        t.back() == '\t' || t.back() == ',' || t.back() == '}' || t.back() == ']'))
    t.remove_suffix(1);
  return t;
}

bool is_number(value& v) {
  simdjson::ondemand::json_type type;
  return !v.type().get(type) && type == simdjson::ondemand::json_type::number;
}

// OCDS identifiers are strings or integers.
FieldResult<std::string> get_id(value& v) {
  if (is_number(v)) return std::string(number_text(v));
  auto s = fi::get_string(v);
  if (!s) return std::unexpected(s.error());
  return std::string(*s);
}

// A string field, or "" for null.
FieldResult<std::string> get_text(value& v) {
  if (fi::take_null(v)) return std::string();
  auto s = fi::get_string(v);
  if (!s) return std::unexpected(s.error());
  return std::string(*s);
}

// OCDS Value {amount, currency}: absent amount -> nullopt; see ocds_reader.h.
FieldResult<std::optional<domain::Money>> get_money(value& v) {
  if (fi::take_null(v)) return std::optional<domain::Money>();
  auto o = fi::get_object(v);
  if (!o) return std::unexpected(o.error());
  std::optional<std::string> amount;
  std::string currency;
  auto r = fi::for_each_field(*o, [&](std::string_view key, value& f) -> FieldStatus {
    if (key == "amount") {
      if (fi::take_null(f)) return {};
      if (!is_number(f)) {
        return field_error("amount",
                           "expected a number, found " + std::string(fi::json_type_name(f)));
      }
      amount = std::string(number_text(f));
    } else if (key == "currency") {
      auto s = get_text(f);
      if (!s) return std::unexpected(under("currency", s.error()));
      currency = std::move(*s);
    }
    return {};
  });
  if (!r) return std::unexpected(r.error());
  if (!amount) return std::optional<domain::Money>();
  if (currency.empty()) {
    return field_error("currency", "missing: the amount " + *amount + " cannot be read without it");
  }
  const auto exponent = currency_exponent(currency);
  if (!exponent) return field_error("currency", "'" + currency + "' is not an ISO 4217 code");
  auto minor = to_minor_units(*amount, *exponent, currency);
  if (!minor) return field_error("amount", minor.error().message());
  return std::optional<domain::Money>(domain::Money{*minor, currency});
}

// An array of organization references [{id, name}] -> ids; entries without an id are warned
// about and left out.
FieldResult<std::vector<std::string>> get_org_ids(value& v, std::string_view what,
                                                  std::vector<FieldError>& warnings) {
  std::vector<std::string> ids;
  if (fi::take_null(v)) return ids;
  auto a = fi::get_array(v);
  if (!a) return std::unexpected(a.error());
  auto r = fi::for_each_element(*a, [&](std::size_t i, value& e) -> FieldStatus {
    auto o = fi::get_object(e);
    if (!o) return std::unexpected(under("", i, o.error()));
    std::string id;
    auto rr = fi::for_each_field(*o, [&](std::string_view key, value& f) -> FieldStatus {
      if (key != "id") return {};
      auto s = get_id(f);
      if (!s) return std::unexpected(under("id", s.error()));
      id = std::move(*s);
      return {};
    });
    if (!rr) return std::unexpected(under("", i, rr.error()));
    if (id.empty()) {
      warnings.push_back(FieldError{"[" + std::to_string(i) + "].id",
                                    std::string(what) + " without an id; left out"});
    } else {
      ids.push_back(std::move(id));
    }
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return ids;
}

FieldResult<std::vector<std::string>> get_id_list(value& v) {
  std::vector<std::string> ids;
  if (fi::take_null(v)) return ids;
  auto a = fi::get_array(v);
  if (!a) return std::unexpected(a.error());
  auto r = fi::for_each_element(*a, [&](std::size_t i, value& e) -> FieldStatus {
    auto s = get_id(e);
    if (!s) return std::unexpected(under("", i, s.error()));
    ids.push_back(std::move(*s));
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return ids;
}

struct RawBid {
  domain::Bid bid;
  bool has_status = false;
  std::vector<std::string> related;
};
struct RawAward {
  domain::Award award;
  std::vector<std::string> related;
};

// Prefixes the fields of warnings added since `from` with `parent`.
void prefix_warnings(std::vector<FieldError>& warnings, std::size_t from, std::string_view parent) {
  for (std::size_t i = from; i < warnings.size(); ++i)
    warnings[i] = under(parent, std::move(warnings[i]));
}

FieldResult<RawBid> parse_bid(value& v, std::size_t index, std::vector<FieldError>& warnings) {
  auto o = fi::get_object(v);
  if (!o) return std::unexpected(o.error());
  RawBid raw;
  raw.bid.id = "#" + std::to_string(index + 1);  // OCDS bid ids are optional
  auto r = fi::for_each_field(*o, [&](std::string_view key, value& f) -> FieldStatus {
    if (key == "id") {
      auto s = get_id(f);
      if (!s) return std::unexpected(under(key, s.error()));
      if (!s->empty()) raw.bid.id = std::move(*s);
    } else if (key == "status") {
      auto s = get_text(f);
      if (!s) return std::unexpected(under(key, s.error()));
      raw.has_status = !s->empty();
      raw.bid.status = std::move(*s);
    } else if (key == "tenderers") {
      const std::size_t from = warnings.size();
      auto ids = get_org_ids(f, "tenderer", warnings);
      if (!ids) return std::unexpected(under(key, ids.error()));
      prefix_warnings(warnings, from, key);
      raw.bid.tenderers = std::move(*ids);
    } else if (key == "value") {
      auto m = get_money(f);
      if (!m) return std::unexpected(under(key, m.error()));
      raw.bid.amount = std::move(*m);
    } else if (key == "relatedLots") {
      auto ids = get_id_list(f);
      if (!ids) return std::unexpected(under(key, ids.error()));
      raw.related = std::move(*ids);
    }
    return {};
  });
  if (!r) return std::unexpected(r.error());
  if (raw.has_status) {
    bool known = false;
    for (auto s : kBidStatuses) known = known || s == raw.bid.status;
    if (!known) {
      return field_error("status", "'" + raw.bid.status +
                                       "' is not in the OCDS bidStatus codelist (invited, "
                                       "pending, valid, disqualified, withdrawn)");
    }
  } else {
    warnings.push_back(FieldError{"status", "missing: the bid is not counted as valid"});
  }
  raw.bid.valid = raw.bid.status == "valid";
  if (!raw.bid.tenderers.empty()) raw.bid.bidder = raw.bid.tenderers.front();
  return raw;
}

FieldResult<RawAward> parse_award(value& v, std::size_t index, std::vector<FieldError>& warnings) {
  auto o = fi::get_object(v);
  if (!o) return std::unexpected(o.error());
  RawAward raw;
  raw.award.id = "#" + std::to_string(index + 1);
  auto r = fi::for_each_field(*o, [&](std::string_view key, value& f) -> FieldStatus {
    if (key == "id") {
      auto s = get_id(f);
      if (!s) return std::unexpected(under(key, s.error()));
      if (!s->empty()) raw.award.id = std::move(*s);
    } else if (key == "status") {
      auto s = get_text(f);
      if (!s) return std::unexpected(under(key, s.error()));
      raw.award.status = std::move(*s);
    } else if (key == "suppliers") {
      const std::size_t from = warnings.size();
      auto ids = get_org_ids(f, "supplier", warnings);
      if (!ids) return std::unexpected(under(key, ids.error()));
      prefix_warnings(warnings, from, key);
      raw.award.suppliers = std::move(*ids);
    } else if (key == "value") {
      auto m = get_money(f);
      if (!m) return std::unexpected(under(key, m.error()));
      raw.award.value = std::move(*m);
    } else if (key == "relatedLots") {
      auto ids = get_id_list(f);
      if (!ids) return std::unexpected(under(key, ids.error()));
      raw.related = std::move(*ids);
    }
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return raw;
}

FieldResult<domain::Lot> parse_lot(value& v) {
  auto o = fi::get_object(v);
  if (!o) return std::unexpected(o.error());
  domain::Lot lot;
  bool has_id = false;
  auto r = fi::for_each_field(*o, [&](std::string_view key, value& f) -> FieldStatus {
    if (key == "id") {
      auto s = get_id(f);
      if (!s) return std::unexpected(under(key, s.error()));
      lot.id = std::move(*s);
      has_id = !lot.id.empty();
    } else if (key == "title") {
      auto s = get_text(f);
      if (!s) return std::unexpected(under(key, s.error()));
      lot.title = std::move(*s);
    } else if (key == "value") {
      auto m = get_money(f);
      if (!m) return std::unexpected(under(key, m.error()));
      lot.estimate = std::move(*m);
    }
    return {};
  });
  if (!r) return std::unexpected(r.error());
  if (!has_id) return field_error("id", "missing: bids and awards refer to lots by id");
  return lot;
}

struct Tender {
  std::vector<domain::Lot> lots;
};

FieldStatus parse_tender(value& v, domain::Procedure& p, Tender& t) {
  if (fi::take_null(v)) return {};
  auto o = fi::get_object(v);
  if (!o) return std::unexpected(o.error());
  return fi::for_each_field(*o, [&](std::string_view key, value& f) -> FieldStatus {
    if (key == "title") {
      auto s = get_text(f);
      if (!s) return std::unexpected(under(key, s.error()));
      p.title = std::move(*s);
    } else if (key == "procurementMethodDetails") {
      auto s = get_text(f);
      if (!s) return std::unexpected(under(key, s.error()));
      p.method_details = std::move(*s);
    } else if (key == "status") {
      auto s = get_text(f);
      if (!s) return std::unexpected(under(key, s.error()));
      p.tender_status = std::move(*s);
    } else if (key == "value") {
      auto m = get_money(f);
      if (!m) return std::unexpected(under(key, m.error()));
      p.estimated_value = std::move(*m);
    } else if (key == "lots") {
      if (fi::take_null(f)) return {};
      auto a = fi::get_array(f);
      if (!a) return std::unexpected(under(key, a.error()));
      return fi::for_each_element(*a, [&](std::size_t i, value& e) -> FieldStatus {
        auto lot = parse_lot(e);
        if (!lot) return std::unexpected(under(key, i, lot.error()));
        for (const auto& other : t.lots) {
          if (other.id == lot->id)
            return field_error("lots[" + std::to_string(i) + "].id",
                               "duplicate lot id '" + lot->id + "'");
        }
        t.lots.push_back(std::move(*lot));
        return {};
      });
    }
    return {};
  });
}

// The lots an item (bid or award) at `field` belongs to, by its relatedLots.
FieldResult<std::vector<std::size_t>> place(const std::vector<domain::Lot>& lots,
                                            const std::vector<std::string>& related,
                                            const std::string& field, bool many_allowed) {
  std::vector<std::size_t> out;
  if (related.empty()) {
    if (lots.size() == 1) return std::vector<std::size_t>{0};
    return field_error(field + ".relatedLots",
                       "missing: the procedure has " + std::to_string(lots.size()) +
                           " lots and this cannot be placed in one of them");
  }
  if (related.size() > 1 && !many_allowed) {
    return field_error(field + ".relatedLots",
                       "names " + std::to_string(related.size()) +
                           " lots: one price for several lots cannot be split between them");
  }
  for (const auto& id : related) {
    std::size_t k = 0;
    while (k < lots.size() && lots[k].id != id) ++k;
    if (k == lots.size())
      return field_error(field + ".relatedLots", "'" + id + "' is not a lot of tender.lots");
    out.push_back(k);
  }
  return out;
}

}  // namespace

FieldResult<domain::Procedure> parse_release(object& release, std::vector<FieldError>& warnings) {
  domain::Procedure p;
  Tender tender;
  std::vector<RawBid> bids;
  std::vector<RawAward> awards;
  bool has_ocid = false;
  auto r = fi::for_each_field(release, [&](std::string_view key, value& f) -> FieldStatus {
    if (key == "ocid") {
      auto s = fi::get_string(f);
      if (!s) return std::unexpected(under(key, s.error()));
      p.id = std::string(*s);
      has_ocid = !p.id.empty();
    } else if (key == "tender") {
      if (auto t = parse_tender(f, p, tender); !t) return std::unexpected(under(key, t.error()));
    } else if (key == "buyer") {
      if (fi::take_null(f)) return {};
      auto o = fi::get_object(f);
      if (!o) return std::unexpected(under(key, o.error()));
      std::string id, name;
      auto rr = fi::for_each_field(*o, [&](std::string_view k, value& b) -> FieldStatus {
        if (k == "id") {
          auto s = get_id(b);
          if (!s) return std::unexpected(under(k, s.error()));
          id = std::move(*s);
        } else if (k == "name") {
          auto s = get_text(b);
          if (!s) return std::unexpected(under(k, s.error()));
          name = std::move(*s);
        }
        return {};
      });
      if (!rr) return std::unexpected(under(key, rr.error()));
      p.buyer = !id.empty() ? id : name;
    } else if (key == "bids") {
      if (fi::take_null(f)) return {};
      auto o = fi::get_object(f);
      if (!o) return std::unexpected(under(key, o.error()));
      auto rr = fi::for_each_field(*o, [&](std::string_view k, value& d) -> FieldStatus {
        if (k != "details" || fi::take_null(d)) return {};
        auto a = fi::get_array(d);
        if (!a) return std::unexpected(under(k, a.error()));
        return fi::for_each_element(*a, [&](std::size_t i, value& e) -> FieldStatus {
          const std::size_t from = warnings.size();
          auto bid = parse_bid(e, i, warnings);
          if (!bid) return std::unexpected(under(k, i, bid.error()));
          prefix_warnings(warnings, from,
                          std::string(key) + "." + std::string(k) + "[" + std::to_string(i) + "]");
          bids.push_back(std::move(*bid));
          return {};
        });
      });
      if (!rr) return std::unexpected(under(key, rr.error()));
    } else if (key == "awards") {
      if (fi::take_null(f)) return {};
      auto a = fi::get_array(f);
      if (!a) return std::unexpected(under(key, a.error()));
      auto rr = fi::for_each_element(*a, [&](std::size_t i, value& e) -> FieldStatus {
        const std::size_t from = warnings.size();
        auto award = parse_award(e, i, warnings);
        if (!award) return std::unexpected(under(key, i, award.error()));
        prefix_warnings(warnings, from, std::string(key) + "[" + std::to_string(i) + "]");
        awards.push_back(std::move(*award));
        return {};
      });
      if (!rr) return std::unexpected(rr.error());
    }
    return {};
  });
  if (!r) return std::unexpected(r.error());
  if (!has_ocid) return field_error("ocid", "missing: a release must have an ocid");

  if (tender.lots.empty()) {
    domain::Lot only;  // id "": the procedure is not divided into lots
    only.estimate = p.estimated_value;
    p.lots.push_back(std::move(only));
  } else {
    p.lots = std::move(tender.lots);
  }
  // Where the first bid with an amount in each lot is, to name it when currencies differ.
  std::vector<std::optional<std::size_t>> first_priced(p.lots.size());
  for (std::size_t i = 0; i < bids.size(); ++i) {
    const std::string field = "bids.details[" + std::to_string(i) + "]";
    auto where = place(p.lots, bids[i].related, field, false);
    if (!where) return std::unexpected(where.error());
    const std::size_t k = where->front();
    domain::Lot& lot = p.lots[k];
    if (bids[i].bid.amount) {
      if (const auto& first = first_priced[k]) {
        const auto& cur = p.lots[k].bids[*first].amount->currency;
        if (bids[i].bid.amount->currency != cur) {
          return field_error(field + ".value.currency",
                             bids[i].bid.amount->currency + " differs from " + cur +
                                 " of an earlier bid in lot '" + lot.id +
                                 "': a lot's bids must share one currency (none is converted)");
        }
      } else {
        first_priced[k] = lot.bids.size();
      }
    }
    lot.bids.push_back(std::move(bids[i].bid));
  }
  for (std::size_t i = 0; i < awards.size(); ++i) {
    auto where = place(p.lots, awards[i].related, "awards[" + std::to_string(i) + "]", true);
    if (!where) return std::unexpected(where.error());
    for (std::size_t k : *where) p.lots[k].awards.push_back(awards[i].award);
  }
  return p;
}

}  // namespace pw::formats::ocds::internal
