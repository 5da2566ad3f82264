#pragma once
// Screens for abnormally low tenders (issue 8 item 2; docs/PROCUREMENT.md gives each source and
// formula). Each screen looks at one lot and returns the bids it flags with the rule and the
// numbers that triggered it. A flag is never an exclusion: it opens the art. 2.116 Aanbestedingswet
// (art. 69 Directive 2014/24/EU) explanation request. Pure: no I/O, no clock.
//
// Invalid bids (Bid::valid == false) are ignored. A missing or negative amount, mixed currencies
// or a missing estimate where the rule needs one is an error naming the lot and bid.
// Comparisons are exact (integer arithmetic on minor units); doubles appear only in the text.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "procurement/model.h"

namespace pw::procurement {

struct Flag {
  std::string bid_id;
  std::string bidder;
  std::int64_t amount = 0;  // minor units, in the lot's currency
  std::string rule;         // the legal or statistical source, e.g. "RGLCAP art. 85.4"
  std::string explanation;  // the numbers that triggered it, for the buyer to read
};

struct ScreenResult {
  std::string method;
  std::string lot_id;
  bool applicable = true;   // false: the rule does not apply (too few bids); `note` says why
  std::string note;         // the reference values the flags were judged against, or why n/a
  std::vector<Flag> flags;  // in input order
};

// Flags bids below `threshold_bp` basis points of the buyer's estimate (7000 = 70 %):
// bid < threshold * estimate. Needs the estimate; threshold in 1..10000.
core::Result<ScreenResult> screen_estimate_ratio(const Lot& lot, int threshold_bp);

// Spain, Reglamento general de la Ley de Contratos de las AAPP (RD 1098/2001), art. 85.1-85.4:
// the rule depends on the number of bids. 1 and 3 bids need the estimate (presupuesto base de
// licitación). Art. 85.5 (bids from one group) needs the ownership engine: not done here.
core::Result<ScreenResult> screen_spain_art85(const Lot& lot);

// Bidder -> group id: companies of one group in the sense of art. 42.1 Código de Comercio (the
// app derives it from the ownership engine). Bidders not in the map stand alone.
using BidderGroups = std::map<std::string, std::string>;

// Art. 85 with the group rule (the brief's "art. 85.5"; the text is RGLCAP art. 86.1, and LCSP
// 2017 art. 149.3 says the same): when companies of one group bid separately, only the group's
// lowest valid bid (the first in input order on a tie) takes part in art. 85: it counts once in
// the number of bids and in the means. The group's other bids share the outcome of that bid:
// flagged with rule "RGLCAP art. 86.1" when it is flagged, not flagged otherwise.
core::Result<ScreenResult> screen_spain_art85(const Lot& lot, const BidderGroups& groups);

// Italy, D.Lgs 36/2023 annex II.2, method A (trimmed mean of the discounts). Needs the estimate
// (importo a base di gara); applies with at least 5 admitted bids (art. 54(1)).
core::Result<ScreenResult> screen_italy_method_a(const Lot& lot);

// Flags a bid more than `percent_bp` basis points below the mean of the other bids
// (2000 = 20 %): bid < (1 - p) * mean(others). Applies with at least `min_bids` bids (>= 2).
core::Result<ScreenResult> screen_below_mean_of_others(const Lot& lot, int percent_bp = 2000,
                                                       int min_bids = 3);

}  // namespace pw::procurement
