#include "procurement/model.h"

#include "procurement/internal/text.h"

namespace pw::procurement {

core::Result<CheckedLot> check_lot(const Lot& lot) {
  CheckedLot out;
  out.id = lot.id;
  const std::string where = fmt::format("lot {}", lot.id);
  if (lot.estimate) {
    if (lot.estimate->currency.empty())
      return core::invalid_argument(where + ": the estimate has no currency");
    if (lot.estimate->minor <= 0)
      return core::invalid_argument(
          fmt::format("{}: the estimate must be positive, got {}", where, lot.estimate->minor));
    out.currency = lot.estimate->currency;
    out.estimate = lot.estimate->minor;
  }
  for (const Bid& b : lot.bids) {
    if (!b.valid) continue;
    const std::string bid = fmt::format("{}: bid {} ({})", where, b.id, b.bidder);
    if (!b.amount) return core::invalid_argument(bid + ": amount missing");
    if (b.amount->minor < 0)
      return core::invalid_argument(
          fmt::format("{}: amount is negative ({})", bid, b.amount->minor));
    if (b.amount->currency.empty()) return core::invalid_argument(bid + ": currency missing");
    if (out.currency.empty()) {
      out.currency = b.amount->currency;
    } else if (b.amount->currency != out.currency) {
      return core::invalid_argument(fmt::format(
          "{}: currency {} differs from {} used by the lot; the engine does not convert", bid,
          b.amount->currency, out.currency));
    }
    out.bids.push_back({b.id, b.bidder, b.amount->minor});
  }
  return out;
}

}  // namespace pw::procurement
