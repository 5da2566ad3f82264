#include "procurement/screens.h"

#include <algorithm>

#include "procurement/internal/text.h"

namespace pw::procurement {
namespace {

__extension__ typedef __int128 i128;  // exact products of amounts and counts
using internal::money;
using internal::percent;

i128 sum(const std::vector<PricedBid>& bids) {
  i128 s = 0;
  for (const auto& b : bids) s += b.minor;
  return s;
}

Flag flag(const PricedBid& b, std::string rule, std::string explanation) {
  return {b.id, b.bidder, b.minor, std::move(rule), std::move(explanation)};
}

core::Result<std::int64_t> need_estimate(const CheckedLot& lot, std::string_view rule) {
  if (!lot.estimate)
    return core::invalid_argument(
        fmt::format("lot {}: {} needs the buyer's estimate, which is missing", lot.id, rule));
  return *lot.estimate;
}

// The discount (Italian "ribasso") of a bid from the estimate, in thousandths of a percent,
// rounded half away from zero: 3 decimals of a percentage. Negative for bids above the estimate.
std::int64_t ribasso_milli(std::int64_t bid, std::int64_t estimate) {
  const i128 num = static_cast<i128>(estimate - bid) * 100000;
  const i128 q = num / estimate, r = num % estimate;
  const i128 twice = (r < 0 ? -r : r) * 2;
  if (twice >= estimate) return static_cast<std::int64_t>(num < 0 ? q - 1 : q + 1);
  return static_cast<std::int64_t>(q);
}

double as_double(i128 v) {
  return static_cast<double>(v);
}

}  // namespace

core::Result<ScreenResult> screen_estimate_ratio(const Lot& input, int threshold_bp) {
  if (threshold_bp < 1 || threshold_bp > 10000)
    return core::invalid_argument(fmt::format(
        "estimate ratio threshold must be 1..10000 basis points, got {}", threshold_bp));
  PW_ASSIGN_OR_RETURN(const CheckedLot lot, check_lot(input));
  PW_ASSIGN_OR_RETURN(const std::int64_t e, need_estimate(lot, "the estimate-ratio screen"));
  ScreenResult out{"estimate_ratio", lot.id, true, "", {}};
  const double t = threshold_bp / 100.0;
  out.note = fmt::format(
      "threshold {} of the estimate {} = {}", percent(t), money(e, lot.currency),
      money(static_cast<std::int64_t>(static_cast<i128>(e) * threshold_bp / 10000), lot.currency));
  for (const auto& b : lot.bids) {
    if (static_cast<i128>(b.minor) * 10000 < static_cast<i128>(threshold_bp) * e) {
      out.flags.push_back(
          flag(b, "ratio to the buyer's estimate",
               fmt::format("bid {} is {} of the estimate {}, below the threshold {}",
                           money(b.minor, lot.currency), percent(100.0 * b.minor / e),
                           money(e, lot.currency), percent(t))));
    }
  }
  return out;
}

core::Result<ScreenResult> screen_spain_art85(const Lot& input) {
  PW_ASSIGN_OR_RETURN(const CheckedLot lot, check_lot(input));
  ScreenResult out{"spain_rglcap_art85", lot.id, true, "", {}};
  const auto& bids = lot.bids;
  const std::string& cur = lot.currency;
  const std::size_t n = bids.size();
  if (n == 0) {
    out.applicable = false;
    out.note = "no valid bids";
    return out;
  }
  if (n == 1) {
    // 85.1: one bidder: more than 25 percentage units below the presupuesto base de licitación.
    PW_ASSIGN_OR_RETURN(const std::int64_t e, need_estimate(lot, "RGLCAP art. 85.1"));
    out.note = fmt::format("1 bid: limit 75 % of the estimate {} = {}", money(e, cur),
                           money(static_cast<std::int64_t>(static_cast<i128>(e) * 75 / 100), cur));
    const auto& b = bids[0];
    if (static_cast<i128>(b.minor) * 100 < static_cast<i128>(e) * 75)
      out.flags.push_back(flag(
          b, "RGLCAP art. 85.1",
          fmt::format("only bid {} is {} below the estimate {} (more than 25)", money(b.minor, cur),
                      percent(100.0 - 100.0 * b.minor / e), money(e, cur))));
    return out;
  }
  if (n == 2) {
    // 85.2: two bidders: the bid more than 20 percentage units below the other bid.
    for (std::size_t i = 0; i < 2; ++i) {
      const auto& b = bids[i];
      const auto& other = bids[1 - i];
      if (static_cast<i128>(b.minor) * 100 < static_cast<i128>(other.minor) * 80)
        out.flags.push_back(flag(
            b, "RGLCAP art. 85.2",
            fmt::format("bid {} is {} below the other bid {} (more than 20)", money(b.minor, cur),
                        percent(100.0 - 100.0 * b.minor / other.minor), money(other.minor, cur))));
    }
    out.note = "2 bids: limit 80 % of the other bid";
    return out;
  }
  // 85.3 and 85.4: more than 10 percentage units below the arithmetic mean, where the mean leaves
  // out the high bids the article names.
  const i128 s_all = sum(bids);
  std::vector<bool> in_mean(n, true);
  std::string rule;
  std::int64_t e = 0;
  if (n == 3) {
    rule = "RGLCAP art. 85.3";
    PW_ASSIGN_OR_RETURN(e, need_estimate(lot, rule));
    // The highest bid is left out when more than 10 units above the mean of the three:
    // 10 * 3 * h > 11 * S. With two equal highest bids the text names one ("la oferta de cuantía
    // más elevada"): we leave out one, the first in input order (see docs/PROCUREMENT.md).
    std::size_t hi = 0;
    for (std::size_t i = 1; i < n; ++i)
      if (bids[i].minor > bids[hi].minor) hi = i;
    if (static_cast<i128>(bids[hi].minor) * 30 > s_all * 11) in_mean[hi] = false;
  } else {
    rule = "RGLCAP art. 85.4";
    // Bids more than 10 units above the mean of all leave the mean: 10 * n * b > 11 * S. When
    // fewer than three remain, the new mean is that of the three lowest bids.
    std::size_t left = n;
    for (std::size_t i = 0; i < n; ++i) {
      if (static_cast<i128>(bids[i].minor) * 10 * static_cast<i128>(n) > s_all * 11) {
        in_mean[i] = false;
        --left;
      }
    }
    if (left < 3) {
      std::vector<std::size_t> order(n);
      for (std::size_t i = 0; i < n; ++i) order[i] = i;
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return bids[a].minor < bids[b].minor; });
      std::fill(in_mean.begin(), in_mean.end(), false);
      for (std::size_t k = 0; k < 3; ++k) in_mean[order[k]] = true;
    }
  }
  i128 s = 0;
  std::int64_t m = 0;
  std::string left_out;
  for (std::size_t i = 0; i < n; ++i) {
    if (in_mean[i]) {
      s += bids[i].minor;
      ++m;
    } else {
      left_out += (left_out.empty() ? "" : ", ") + bids[i].id;
    }
  }
  const double mean = as_double(s) / m;
  out.note = fmt::format("{} bids: mean {} over {} bids{}; limit 90 % of it", n,
                         money(static_cast<std::int64_t>(s / m), cur), m,
                         left_out.empty() ? "" : " (left out: " + left_out + ")");
  for (const auto& b : bids) {
    if (static_cast<i128>(b.minor) * 10 * m < s * 9) {
      out.flags.push_back(
          flag(b, rule,
               fmt::format("bid {} is {} below the mean {} of {} bids (more than 10)",
                           money(b.minor, cur), percent(100.0 - 100.0 * b.minor / mean),
                           money(static_cast<std::int64_t>(s / m), cur), m)));
    } else if (n == 3 && static_cast<i128>(b.minor) * 100 < static_cast<i128>(e) * 75) {
      out.flags.push_back(
          flag(b, rule,
               fmt::format("bid {} is {} below the estimate {} (more than 25)", money(b.minor, cur),
                           percent(100.0 - 100.0 * b.minor / e), money(e, cur))));
    }
  }
  return out;
}

core::Result<ScreenResult> screen_spain_art85(const Lot& input, const BidderGroups& groups) {
  PW_TRY(check_lot(input));  // every valid bid priced, one currency: the same errors as art. 85
  // The lowest valid bid of each group, by its index in the input.
  std::map<std::string, std::size_t> lowest;
  for (std::size_t i = 0; i < input.bids.size(); ++i) {
    const Bid& b = input.bids[i];
    const auto g = groups.find(b.bidder);
    if (!b.valid || g == groups.end()) continue;
    const auto [it, inserted] = lowest.try_emplace(g->second, i);
    if (!inserted && b.amount->minor < input.bids[it->second].amount->minor) it->second = i;
  }
  Lot reduced = input;
  reduced.bids.clear();
  struct LeftOut {
    std::size_t index;
    std::string group;
  };
  std::vector<LeftOut> left_out;
  for (std::size_t i = 0; i < input.bids.size(); ++i) {
    const Bid& b = input.bids[i];
    const auto g = groups.find(b.bidder);
    if (b.valid && g != groups.end() && lowest.at(g->second) != i) {
      left_out.push_back({i, g->second});
    } else {
      reduced.bids.push_back(b);
    }
  }
  PW_ASSIGN_OR_RETURN(ScreenResult out, screen_spain_art85(reduced));
  if (left_out.empty()) return out;
  std::string names;
  for (const auto& l : left_out) {
    names +=
        fmt::format("{}{} (group {})", names.empty() ? "" : ", ", input.bids[l.index].id, l.group);
  }
  out.note +=
      fmt::format("; RGLCAP art. 86.1: only the lowest bid of a group counts, left out: {}", names);
  for (const auto& l : left_out) {
    const Bid& b = input.bids[l.index];
    const Bid& rep = input.bids[lowest.at(l.group)];
    const bool rep_flagged = std::any_of(out.flags.begin(), out.flags.end(),
                                         [&](const Flag& f) { return f.bid_id == rep.id; });
    if (!rep_flagged) continue;
    out.flags.push_back(
        flag(PricedBid{b.id, b.bidder, b.amount->minor}, "RGLCAP art. 86.1",
             fmt::format("bid {} of {} is from group {}, like the flagged lowest bid {} of {} "
                         "({}): the outcome for that bid applies to the group's other bids",
                         money(b.amount->minor, b.amount->currency), b.bidder, l.group, rep.id,
                         rep.bidder, money(rep.amount->minor, rep.amount->currency))));
  }
  // Flags in input order.
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < input.bids.size(); ++i) position.try_emplace(input.bids[i].id, i);
  std::stable_sort(out.flags.begin(), out.flags.end(), [&](const Flag& a, const Flag& b) {
    return position[a.bid_id] < position[b.bid_id];
  });
  return out;
}

core::Result<ScreenResult> screen_below_mean_of_others(const Lot& input, int percent_bp,
                                                       int min_bids) {
  if (percent_bp < 1 || percent_bp > 10000)
    return core::invalid_argument(
        fmt::format("below-mean percentage must be 1..10000 basis points, got {}", percent_bp));
  if (min_bids < 2)
    return core::invalid_argument(fmt::format("below-mean needs min_bids >= 2, got {}", min_bids));
  PW_ASSIGN_OR_RETURN(const CheckedLot lot, check_lot(input));
  ScreenResult out{"below_mean_of_others", lot.id, true, "", {}};
  const auto n = static_cast<std::int64_t>(lot.bids.size());
  if (n < min_bids) {
    out.applicable = false;
    out.note = fmt::format("{} valid bids, the screen needs at least {}", n, min_bids);
    return out;
  }
  const i128 s = sum(lot.bids);
  out.note = fmt::format("limit: {} below the mean of the other bids", percent(percent_bp / 100.0));
  for (const auto& b : lot.bids) {
    const i128 others = s - b.minor;
    // b < (1 - p) * others / (n - 1)  <=>  b * (n - 1) * 10000 < (10000 - p) * others
    if (static_cast<i128>(b.minor) * (n - 1) * 10000 < others * (10000 - percent_bp)) {
      const double mean = as_double(others) / static_cast<double>(n - 1);
      out.flags.push_back(
          flag(b, "percentage below the mean of the other bids",
               fmt::format("bid {} is {} below the mean {} of the other {} bids (limit {})",
                           money(b.minor, lot.currency), percent(100.0 - 100.0 * b.minor / mean),
                           money(static_cast<std::int64_t>(others / (n - 1)), lot.currency), n - 1,
                           percent(percent_bp / 100.0))));
    }
  }
  return out;
}

core::Result<ScreenResult> screen_italy_method_a(const Lot& input) {
  PW_ASSIGN_OR_RETURN(const CheckedLot lot, check_lot(input));
  ScreenResult out{"italy_method_a", lot.id, true, "", {}};
  const auto n = static_cast<std::int64_t>(lot.bids.size());
  if (n < 5) {
    out.applicable = false;
    out.note =
        fmt::format("{} valid bids; method A applies with at least 5 (D.Lgs 36/2023 art. 54)", n);
    return out;
  }
  PW_ASSIGN_OR_RETURN(const std::int64_t e,
                      need_estimate(lot, "D.Lgs 36/2023 annex II.2 method A"));
  std::vector<std::int64_t> r;
  for (const auto& b : lot.bids) r.push_back(ribasso_milli(b.minor, e));
  std::vector<std::int64_t> sorted = r;
  std::sort(sorted.begin(), sorted.end());
  // Wing cut: 10 % of the bids, rounded up, from each end; bids equal to a cut bid are cut too.
  const std::int64_t k = (n + 9) / 10;
  const std::int64_t low_edge = sorted[k - 1], high_edge = sorted[n - k];
  i128 s = 0;
  std::int64_t m = 0;
  for (auto v : sorted) {
    if (v <= low_edge || v >= high_edge) continue;
    s += v;
    ++m;
  }
  if (m == 0) {
    out.applicable = false;
    out.note = "no discount is left after the wing cut (too many equal discounts)";
    return out;
  }
  // Discounts above the mean S/m: r * m > S. Their mean deviation is sigma = (A - a*S/m)/a.
  i128 a_sum = 0;
  std::int64_t a = 0;
  for (auto v : sorted) {
    if (v <= low_edge || v >= high_edge) continue;
    if (static_cast<i128>(v) * m > s) {
      a_sum += v;
      ++a;
    }
  }
  const double mu = as_double(s) / m / 1000.0;  // percent
  const double sigma = a == 0 ? 0.0 : (as_double(a_sum) / a - as_double(s) / m) / 1000.0;
  // The threshold as an exact fraction num/den of thousandths of a percent.
  i128 num = 0, den = 1;
  std::string branch;
  if (a == 0) {
    num = s;
    den = m;  // all remaining discounts equal: sigma = 0, threshold = mean in both branches
    branch = "no discount above the mean: threshold = mean";
  } else if (n < 15 && s <= 0) {
    // sigma / mean has no meaning for a mean discount <= 0 (bids at or above the base amount);
    // the annex does not say what to do: report instead of guessing.
    out.applicable = false;
    out.note = fmt::format(
        "mean discount {} after the wing cut is not positive: the ratio "
        "sigma / mean of the < 15 branch is undefined",
        percent(mu));
    return out;
  } else if (n >= 15) {
    // mean + sigma, lowered by p % of sigma, p = product of the first two decimals of the sum.
    const i128 abs_s = s < 0 ? -s : s;
    const int two = static_cast<int>((abs_s / 10) % 100);
    const int p = (two / 10) * (two % 10);
    // S/m + (A*m - a*S)*(100 - p)/(100*a*m)
    num = 100 * a * s + (a_sum * m - a * s) * (100 - p);
    den = static_cast<i128>(100) * a * m;
    branch = fmt::format(
        ">= 15 bids: threshold = mean + sigma - {} % of sigma (sum of discounts {}, decimals {})",
        p, percent(as_double(s) / 1000.0), (two < 10 ? "0" : "") + std::to_string(two));
  } else if (100 * (a_sum * m - a * s) <= 15 * a * s) {
    // sigma / mean <= 0.15: threshold = mean * 1.2
    num = 12 * s;
    den = 10 * static_cast<i128>(m);
    branch = fmt::format("< 15 bids: sigma/mean = {} <= 0.15: threshold = 1.2 x mean",
                         internal::fixed4(mu != 0 ? sigma / mu : 0.0));
  } else {
    num = a_sum;  // mean + sigma = mean of the discounts above the mean
    den = a;
    branch = fmt::format("< 15 bids: sigma/mean = {} > 0.15: threshold = mean + sigma",
                         internal::fixed4(mu != 0 ? sigma / mu : 0.0));
  }
  const double threshold = as_double(num) / as_double(den) / 1000.0;
  out.note = fmt::format(
      "{} bids, {} cut from each wing; mean {} of {} discounts, sigma {}; {}; "
      "threshold {}",
      n, k, percent(mu), m, percent(sigma), branch, percent(threshold));
  for (std::size_t i = 0; i < lot.bids.size(); ++i) {
    if (static_cast<i128>(r[i]) * den >= num) {
      const auto& b = lot.bids[i];
      out.flags.push_back(flag(b, "D.Lgs 36/2023 annex II.2 method A",
                               fmt::format("bid {} is a discount of {} from the estimate {}, at or "
                                           "above the threshold {}",
                                           money(b.minor, lot.currency), percent(r[i] / 1000.0),
                                           money(e, lot.currency), percent(threshold))));
    }
  }
  return out;
}

}  // namespace pw::procurement
