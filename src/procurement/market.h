#pragma once
// The market-wide screen (issue 8 item 2): over many lots, d = (second-lowest valid bid - winning
// bid) / winning bid, judged with Tukey's fences. Two methods (docs/PROCUREMENT.md):
//
// - kLowestBid (the default): the winning bid is the lowest valid bid (award on price alone);
//   a lot with fewer than 2 valid bids or a winning bid of 0 gives no d. Quantiles Hyndman-Fan
//   type 7 (R's default); at least 4 values of d; flags d < Q1 - 1.5 IQR and d > Q3 + 1.5 IQR.
//   Bad data in any lot (missing or negative amount, mixed currencies) is an error.
// - kCardinal: the semantics of OCDS Cardinal's R024 ("price close to winning bid") and R058
//   ("heavily discounted bid"): the winning bid is the bid of the single supplier of the single
//   active award, the second is the lowest valid bid of another tenderer; quantiles Hyndman-Fan
//   type 8 (statrs' OrderStatistics, which cardinal uses); flags d <= Q1 - 1.5 IQR (only when
//   Q1 > 0 and the fence > 0) and d >= Q3 + 1.5 IQR (only when the fence > 0). Lots that do not
//   fit (see docs) are skipped with the reason, as cardinal skips them; nothing is an error.
//
// MarketAccumulator takes one procedure at a time and keeps only what the fences and the flags
// need (d, the two amounts and the ids, packed): reader -> accumulator -> result streams a file
// of a million releases. Pure: no I/O.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "procurement/model.h"

namespace pw::procurement {

enum class MarketMethod { kLowestBid, kCardinal };

struct MarketOptions {
  MarketMethod method = MarketMethod::kLowestBid;
  bool keep_points = true;         // list every d in MarketResult::points (off for big files)
  std::size_t max_skipped = 1000;  // skipped lots described in MarketResult::skipped; all counted
  // kCardinal only; the names in brackets are cardinal's settings-file keys.
  std::string currency;  // [currency]: compare bids in this currency only; "": the first seen
  std::vector<std::string>
      no_price_comparison_methods;                    // [no_price_comparison_procurement_methods]
  std::vector<std::string> price_comparison_methods;  // [price_comparison_procurement_methods]
  std::vector<std::string> excluded_method_details;   // [exclusions] procurement_method_details
  std::optional<double> lower_threshold;              // [R024] threshold: replaces the fence
  std::optional<double> upper_threshold;              // [R058] threshold: replaces the fence
};

struct MarketPoint {
  std::string procedure_id;
  std::string lot_id;
  std::string winner_bid_id;
  std::string winner;         // the winning tenderer
  std::string second_bidder;  // the tenderer of the second (lowest non-winning) bid
  std::int64_t winning = 0;   // minor units
  std::int64_t second = 0;
  std::string currency;
  double d = 0;
};

enum class FenceSide {
  kLow,   // d below the lower fence: the two lowest prices suspiciously close (cardinal R024)
  kHigh,  // d above the upper fence: the winner heavily discounted (cardinal R058)
};

struct MarketFlag {
  MarketPoint point;
  FenceSide side = FenceSide::kLow;
  std::string explanation;
};

struct MarketResult {
  MarketMethod method = MarketMethod::kLowestBid;
  bool applicable = true;  // false: too few values of d; `note` says so
  std::string note;
  double q1 = 0, q3 = 0, iqr = 0, lower = 0, upper = 0;
  bool low_fence_applies = true;  // kCardinal: false when R024's guard holds the fence back
  bool high_fence_applies = true;
  std::string currency;              // kCardinal: the currency compared
  std::uint64_t point_count = 0;     // values of d
  std::vector<MarketPoint> points;   // one per lot that gives a d, in input order (keep_points)
  std::vector<MarketFlag> flags;     // in input order
  std::uint64_t skipped_count = 0;   // lots (or procedures) that give no d
  std::vector<std::string> skipped;  // "procedure P lot L: reason", the first max_skipped
  std::vector<std::pair<std::string, std::uint64_t>> skipped_reasons;  // reason -> count
  std::uint64_t other_currency_bids = 0;  // kCardinal: bids left out for their currency
};

// Type-7 quantile of sorted values, p in [0, 1]; `sorted` must not be empty.
double quantile_type7(const std::vector<double>& sorted, double p);
// Type-8 quantile (median-unbiased, h = (n + 1/3) p + 1/3, clamped to the extremes) as statrs
// computes it; `sorted` must not be empty.
double quantile_type8(const std::vector<double>& sorted, double p);

class MarketAccumulator {
 public:
  explicit MarketAccumulator(MarketOptions options = {});
  MarketAccumulator(MarketAccumulator&&) noexcept;
  MarketAccumulator& operator=(MarketAccumulator&&) noexcept;
  ~MarketAccumulator();

  // Adds the lots of one procedure. kLowestBid: bad data is an error naming the procedure, lot
  // and bid, and the accumulator is left as it was. kCardinal never fails.
  core::Status add(const Procedure& procedure);
  std::uint64_t points() const;
  // The fences and flags over everything added so far.
  MarketResult finish() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The whole screen over procedures in memory (a MarketAccumulator underneath).
core::Result<MarketResult> screen_market_tukey(const std::vector<Procedure>& procedures,
                                               const MarketOptions& options = {});

// The tenderers a side flags, sorted and unique, as cardinal reports them per Tenderer: the
// winner and the second bidder for kLow (R024), the winner for kHigh (R058).
std::vector<std::string> flagged_tenderers(const MarketResult& result, FenceSide side);

}  // namespace pw::procurement
