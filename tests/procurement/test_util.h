#pragma once
// Builders for the procurement tests: bids b1..bn of bidders B1..Bn, in EUR cents.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "procurement/model.h"

namespace pw::procurement::testing {

inline Lot make_lot(std::optional<std::int64_t> estimate, const std::vector<std::int64_t>& amounts,
                    std::string id = "L1") {
  Lot lot;
  lot.id = std::move(id);
  if (estimate) lot.estimate = Money{*estimate, "EUR"};
  for (std::size_t i = 0; i < amounts.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    Bid bid;
    bid.id = "b" + n;
    bid.bidder = "B" + n;
    bid.amount = Money{amounts[i], "EUR"};
    lot.bids.push_back(std::move(bid));
  }
  return lot;
}

template <typename R>
std::vector<std::string> flagged(const R& result) {
  std::vector<std::string> ids;
  for (const auto& f : result.flags) ids.push_back(f.bid_id);
  return ids;
}

}  // namespace pw::procurement::testing
