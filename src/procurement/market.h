#pragma once
// The market-wide screen (issue 8 item 2): over many lots, d = (second-lowest valid bid - winning
// bid) / winning bid, judged with Tukey's fences. The winning bid is taken to be the lowest valid
// bid (award on price alone); a lot with fewer than 2 valid bids or a winning bid of 0 gives no
// d and is listed in `skipped` with the reason. Quantiles: Hyndman-Fan type 7 (linear
// interpolation between order statistics, R's default and numpy's "linear"). Pure.

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "procurement/model.h"

namespace pw::procurement {

struct MarketPoint {
  std::string procedure_id;
  std::string lot_id;
  std::string winner_bid_id;
  std::string winner;
  std::int64_t winning = 0;  // minor units
  std::int64_t second = 0;
  std::string currency;
  double d = 0;
};

enum class FenceSide {
  kLow,   // d < Q1 - 1.5 IQR: the two lowest prices suspiciously close
  kHigh,  // d > Q3 + 1.5 IQR: the winner heavily discounted against the runner-up
};

struct MarketFlag {
  MarketPoint point;
  FenceSide side = FenceSide::kLow;
  std::string explanation;
};

struct MarketResult {
  bool applicable = true;  // false with fewer than 4 values of d; `note` says so
  std::string note;
  double q1 = 0, q3 = 0, iqr = 0, lower = 0, upper = 0;
  std::vector<MarketPoint> points;   // one per lot that gives a d, in input order
  std::vector<MarketFlag> flags;     // in input order
  std::vector<std::string> skipped;  // "procedure P lot L: reason"
};

// Type-7 quantile of sorted values, p in [0, 1]; `sorted` must not be empty.
double quantile_type7(const std::vector<double>& sorted, double p);

// Bad data in any lot (missing or negative amount, mixed currencies) is an error naming the
// procedure, lot and bid: the fences would otherwise rest on guessed data.
core::Result<MarketResult> screen_market_tukey(const std::vector<Procedure>& procedures);

}  // namespace pw::procurement
