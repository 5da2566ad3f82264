#pragma once
// Value types of a procurement procedure (issue 8), shared by the OCDS reader (formats/ocds),
// the procurement engine (procurement/) and the use cases (app/). They follow OCDS 1.1 with the
// bids extension: a procedure is one contracting process (ocid), divided into lots; bids and
// awards belong to a lot. Amounts are integer minor units (cents for EUR) with an ISO 4217
// currency code; nothing here converts currencies or guesses a missing amount.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pw::domain {

struct Money {
  std::int64_t minor = 0;  // minor units (cents for EUR)
  std::string currency;    // ISO 4217, e.g. "EUR"
};

struct Bid {
  std::string id;               // names the bid in errors and flags
  std::string bidder;           // the economic operator (the first tenderer of a consortium)
  std::optional<Money> amount;  // absent when the source gave none: an error, never a guess
  bool valid = true;            // false: excluded for other reasons, ignored by every screen
  std::string status;           // OCDS bidStatus as given ("valid", "disqualified", ...), or ""
  std::vector<std::string> tenderers;  // every tenderer of the bid (OCDS tenderers[].id)
};

// OCDS awards[]: status is the awardStatus code ("active", "pending", "cancelled",
// "unsuccessful") as given.
struct Award {
  std::string id;
  std::string status;
  std::vector<std::string> suppliers;  // OCDS suppliers[].id
  std::optional<Money> value;
};

struct Lot {
  std::string id;
  std::string title;
  std::optional<Money> estimate;  // the buyer's estimate (Spain: presupuesto base de licitación)
  std::vector<Bid> bids;
  std::vector<Award> awards;
};

struct Procedure {
  std::string id;  // OCDS ocid
  std::string title;
  std::string buyer;                     // OCDS buyer.id or name
  std::optional<Money> estimated_value;  // tender.value: the whole procurement, net of VAT
  std::string method_details;            // tender.procurementMethodDetails, as given
  std::string tender_status;             // tender.status, as given ("cancelled", ...), or ""
  std::vector<Lot> lots;                 // a procedure without OCDS lots has one lot whose id is ""
};

}  // namespace pw::domain
