#include "procurement/market.h"

#include <algorithm>
#include <cmath>

#include "procurement/internal/text.h"

namespace pw::procurement {

double quantile_type7(const std::vector<double>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
}

core::Result<MarketResult> screen_market_tukey(const std::vector<Procedure>& procedures) {
  MarketResult out;
  for (const Procedure& proc : procedures) {
    for (const Lot& input : proc.lots) {
      auto checked = check_lot(input);
      if (!checked) return std::unexpected(checked.error().with_context("procedure " + proc.id));
      const CheckedLot& lot = *checked;
      const std::string where = fmt::format("procedure {} lot {}", proc.id, lot.id);
      if (lot.bids.size() < 2) {
        out.skipped.push_back(
            fmt::format("{}: {} valid bid(s), d needs 2", where, lot.bids.size()));
        continue;
      }
      std::vector<const PricedBid*> order;
      for (const auto& b : lot.bids) order.push_back(&b);
      std::stable_sort(order.begin(), order.end(),
                       [](const PricedBid* a, const PricedBid* b) { return a->minor < b->minor; });
      if (order[0]->minor == 0) {
        out.skipped.push_back(
            fmt::format("{}: winning bid {} is 0, d is undefined", where, order[0]->id));
        continue;
      }
      MarketPoint p{proc.id,         lot.id,          order[0]->id, order[0]->bidder,
                    order[0]->minor, order[1]->minor, lot.currency, 0};
      p.d = static_cast<double>(p.second - p.winning) / static_cast<double>(p.winning);
      out.points.push_back(std::move(p));
    }
  }
  if (out.points.size() < 4) {
    out.applicable = false;
    out.note = fmt::format("{} values of d; the fences need at least 4", out.points.size());
    return out;
  }
  std::vector<double> ds;
  for (const auto& p : out.points) ds.push_back(p.d);
  std::sort(ds.begin(), ds.end());
  out.q1 = quantile_type7(ds, 0.25);
  out.q3 = quantile_type7(ds, 0.75);
  out.iqr = out.q3 - out.q1;
  out.lower = out.q1 - 1.5 * out.iqr;
  out.upper = out.q3 + 1.5 * out.iqr;
  out.note =
      fmt::format("{} values of d; Q1 {}, Q3 {}, IQR {} (type 7); fences [{}, {}]", ds.size(),
                  internal::fixed4(out.q1), internal::fixed4(out.q3), internal::fixed4(out.iqr),
                  internal::fixed4(out.lower), internal::fixed4(out.upper));
  for (const auto& p : out.points) {
    const std::string base = fmt::format(
        "winning bid {} ({}) and second-lowest {}: d = {}", internal::money(p.winning, p.currency),
        p.winner, internal::money(p.second, p.currency), internal::fixed4(p.d));
    if (p.d < out.lower) {
      out.flags.push_back(
          {p, FenceSide::kLow,
           fmt::format("{} < Q1 - 1.5 IQR = {}: the two lowest prices are suspiciously "
                       "close",
                       base, internal::fixed4(out.lower))});
    } else if (p.d > out.upper) {
      out.flags.push_back({p, FenceSide::kHigh,
                           fmt::format("{} > Q3 + 1.5 IQR = {}: the winner is heavily discounted",
                                       base, internal::fixed4(out.upper))});
    }
  }
  return out;
}

}  // namespace pw::procurement
