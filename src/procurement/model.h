#pragma once
// Value types of the procurement engine (issue 8): a procedure with its lots and bids, and the
// buyer's estimate. Amounts are integer minor units (cents) with an ISO 4217 currency code; the
// engine never converts currencies and never guesses a missing amount.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace pw::procurement {

struct Money {
  std::int64_t minor = 0;  // minor units (cents for EUR)
  std::string currency;    // ISO 4217, e.g. "EUR"
};

struct Bid {
  std::string id;               // names the bid in errors and flags
  std::string bidder;           // the economic operator
  std::optional<Money> amount;  // absent when the source gave none: an error, never a guess
  bool valid = true;            // false: excluded for other reasons, ignored by every screen
};

struct Lot {
  std::string id;
  std::optional<Money> estimate;  // the buyer's estimate (Spain: presupuesto base de licitación)
  std::vector<Bid> bids;
};

struct Procedure {
  std::string id;
  std::vector<Lot> lots;
};

// The valid bids of a lot with their amounts, checked: every amount present, >= 0 (a bid of 0
// is kept: it is the extreme case the screens exist for, but a ratio to it is refused where one
// is needed), one currency, which also matches the estimate when there is one. Errors name the
// lot and the bid.
struct PricedBid {
  std::string id;
  std::string bidder;
  std::int64_t minor = 0;
};
struct CheckedLot {
  std::string id;
  std::string currency;                  // empty only when there are no bids and no estimate
  std::optional<std::int64_t> estimate;  // minor units, > 0 when present
  std::vector<PricedBid> bids;           // in input order
};
core::Result<CheckedLot> check_lot(const Lot& lot);

}  // namespace pw::procurement
