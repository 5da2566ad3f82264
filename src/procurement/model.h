#pragma once
// The procurement engine's view of a procedure (issue 8). The value types live in
// domain/procurement.h, because the OCDS reader (formats/) produces them too; the engine never
// converts currencies and never guesses a missing amount.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/procurement.h"

namespace pw::procurement {

using domain::Award;
using domain::Bid;
using domain::Lot;
using domain::Money;
using domain::Procedure;

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
