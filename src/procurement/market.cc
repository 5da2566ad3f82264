#include "procurement/market.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <string_view>
#include <unordered_map>

#include "procurement/internal/text.h"

namespace pw::procurement {
namespace {

using internal::fixed4;
using internal::money;

bool contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// A point packed for files of millions of lots: amounts, d and offsets into one text buffer.
struct Packed {
  double d = 0;
  std::int64_t winning = 0;
  std::int64_t second = 0;
  std::uint64_t text = 0;                  // offset of the point's strings in State::text
  std::uint32_t len[5] = {0, 0, 0, 0, 0};  // procedure, lot, winner bid, winner, second bidder
  std::uint32_t currency = 0;              // index in State::currencies
};

// Why a lot gives no d, worded without ids so that reasons can be counted.
struct Skip {
  std::string where;   // "procedure P lot L"
  std::string reason;  // generic
  std::string detail;  // appended to the listed message, may name ids
};

}  // namespace

// Append-only text in fixed blocks: no doubling slack and no copy as it grows (a file of a
// million lots keeps some 50 MB of ids).
class TextStore {
 public:
  static constexpr std::size_t kBlock = std::size_t{1} << 20;
  // Appends `parts`, kept together in one block; returns their offset.
  std::uint64_t append(const std::string* const* parts, int n) {
    std::size_t total = 0;
    for (int i = 0; i < n; ++i) total += parts[i]->size();
    if (blocks_.empty() || blocks_.back().size() + total > blocks_.back().capacity()) {
      starts_.push_back(blocks_.empty() ? 0 : starts_.back() + blocks_.back().size());
      blocks_.emplace_back();
      blocks_.back().reserve(std::max(kBlock, total));
    }
    const std::uint64_t at = starts_.back() + blocks_.back().size();
    for (int i = 0; i < n; ++i) blocks_.back() += *parts[i];
    return at;
  }
  // The `len` bytes at offset `at` (all within one block, as append keeps them).
  std::string_view view(std::uint64_t at, std::size_t len) const {
    const auto b = static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.end(), at) -
                                            starts_.begin() - 1);
    return std::string_view(blocks_[b]).substr(static_cast<std::size_t>(at - starts_[b]), len);
  }

 private:
  std::deque<std::string> blocks_;
  std::vector<std::uint64_t> starts_;  // offset of each block's first byte
};

struct MarketAccumulator::State {
  MarketOptions options;
  std::deque<Packed> points;  // blocks: no doubling slack
  TextStore text;
  std::vector<std::string> currencies;
  std::string cardinal_currency;  // kCardinal: fixed by the option or the first bid compared
  std::uint64_t skipped_count = 0;
  std::vector<std::string> skipped;
  std::map<std::string, std::uint64_t> reasons;
  std::uint64_t other_currency_bids = 0;

  std::uint32_t currency_index(const std::string& c) {
    for (std::size_t i = 0; i < currencies.size(); ++i)
      if (currencies[i] == c) return static_cast<std::uint32_t>(i);
    currencies.push_back(c);
    return static_cast<std::uint32_t>(currencies.size() - 1);
  }
  void skip(const Skip& s) {
    ++skipped_count;
    ++reasons[s.reason];
    if (skipped.size() < options.max_skipped)
      skipped.push_back(s.where + ": " + s.reason +
                        (s.detail.empty() ? "" : " (" + s.detail + ")"));
  }
  void push(const MarketPoint& p) {
    Packed k;
    k.d = p.d;
    k.winning = p.winning;
    k.second = p.second;
    const std::string* parts[5] = {&p.procedure_id, &p.lot_id, &p.winner_bid_id, &p.winner,
                                   &p.second_bidder};
    for (int i = 0; i < 5; ++i) k.len[i] = static_cast<std::uint32_t>(parts[i]->size());
    k.text = text.append(parts, 5);
    k.currency = currency_index(p.currency);
    points.push_back(k);
  }
  MarketPoint unpack(const Packed& k) const {
    MarketPoint p;
    std::string* parts[5] = {&p.procedure_id, &p.lot_id, &p.winner_bid_id, &p.winner,
                             &p.second_bidder};
    std::uint64_t at = k.text;
    for (int i = 0; i < 5; ++i) {
      parts[i]->assign(text.view(at, k.len[i]));
      at += k.len[i];
    }
    p.winning = k.winning;
    p.second = k.second;
    p.currency = currencies[k.currency];
    p.d = k.d;
    return p;
  }

  core::Status add_lowest_bid(const Procedure& proc);
  void add_cardinal(const Procedure& proc);
  void add_cardinal_lot(const Procedure& proc, const Lot& lot);
};

double quantile_type7(const std::vector<double>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
}

double quantile_type8(const std::vector<double>& sorted, double p) {
  const auto n = static_cast<double>(sorted.size());
  const double h = (n + 1.0 / 3.0) * p + 1.0 / 3.0;
  const auto hf = static_cast<std::int64_t>(h);  // h > 0: truncation is the floor
  if (hf <= 0 || p == 0.0) return sorted.front();
  if (hf >= static_cast<std::int64_t>(sorted.size()) || p == 1.0) return sorted.back();
  const double a = sorted[static_cast<std::size_t>(hf - 1)];
  const double b = sorted[static_cast<std::size_t>(hf)];
  return a + (h - static_cast<double>(hf)) * (b - a);
}

core::Status MarketAccumulator::State::add_lowest_bid(const Procedure& proc) {
  std::vector<MarketPoint> found;
  std::vector<Skip> skips;
  for (const Lot& input : proc.lots) {
    auto checked = check_lot(input);
    if (!checked) return std::unexpected(checked.error().with_context("procedure " + proc.id));
    const CheckedLot& lot = *checked;
    const std::string where = fmt::format("procedure {} lot {}", proc.id, lot.id);
    if (lot.bids.size() < 2) {
      skips.push_back({where, fmt::format("{} valid bid(s), d needs 2", lot.bids.size()), ""});
      continue;
    }
    std::vector<const PricedBid*> order;
    for (const auto& b : lot.bids) order.push_back(&b);
    std::stable_sort(order.begin(), order.end(),
                     [](const PricedBid* a, const PricedBid* b) { return a->minor < b->minor; });
    if (order[0]->minor == 0) {
      skips.push_back({where, "winning bid is 0, d is undefined", "bid " + order[0]->id});
      continue;
    }
    MarketPoint p{proc.id,          lot.id,           order[0]->id,
                  order[0]->bidder, order[1]->bidder, order[0]->minor,
                  order[1]->minor,  lot.currency,     0};
    p.d = static_cast<double>(p.second - p.winning) / static_cast<double>(p.winning);
    found.push_back(std::move(p));
  }
  for (const auto& s : skips) skip(s);
  for (const auto& p : found) push(p);
  return core::ok();
}

void MarketAccumulator::State::add_cardinal(const Procedure& proc) {
  const std::string where = "procedure " + proc.id;
  if (proc.tender_status == "cancelled") return skip({where, "the tender is cancelled", ""});
  const std::string& details = proc.method_details;
  if (!details.empty() && contains(options.excluded_method_details, details))
    return skip({where, "procurementMethodDetails is excluded", details});
  // cardinal: an allow list, if set, decides alone; otherwise the deny list applies.
  if (!options.price_comparison_methods.empty()) {
    if (details.empty() || !contains(options.price_comparison_methods, details))
      return skip({where, "procurementMethodDetails is not a price-comparison method", details});
  } else if (!details.empty() && contains(options.no_price_comparison_methods, details)) {
    return skip({where, "procurementMethodDetails is a no-price-comparison method", details});
  }
  for (const Lot& lot : proc.lots) add_cardinal_lot(proc, lot);
}

void MarketAccumulator::State::add_cardinal_lot(const Procedure& proc, const Lot& lot) {
  const std::string where = fmt::format("procedure {} lot {}", proc.id, lot.id);
  // Every award must be final; cancelled and unsuccessful ones were earlier attempts; an award
  // without a status is not looked at (as cardinal).
  const Award* active = nullptr;
  int actives = 0;
  for (const Award& a : lot.awards) {
    if (a.status == "active") {
      active = &a;
      ++actives;
    } else if (!a.status.empty() && a.status != "cancelled" && a.status != "unsuccessful") {
      return skip({where, "an award is not final", "award " + a.id + " is " + a.status});
    }
  }
  if (actives != 1)
    return skip({where, "not exactly one active award", fmt::format("{} active", actives)});
  if (active->suppliers.size() != 1) {
    return skip({where, "the active award has not exactly one supplier",
                 fmt::format("{} suppliers", active->suppliers.size())});
  }
  const std::string& supplier = active->suppliers.front();
  const Bid* winner = nullptr;
  const Bid* second = nullptr;
  for (const Bid& b : lot.bids) {
    if (b.status != "valid" || b.tenderers.size() != 1 || !b.amount || b.amount->currency.empty())
      continue;
    if (cardinal_currency.empty())
      cardinal_currency = options.currency.empty() ? b.amount->currency : options.currency;
    if (b.amount->currency != cardinal_currency) {
      ++other_currency_bids;
      continue;
    }
    // The winner's lowest bid if it made several; ties keep the first (cardinal's strict <).
    const Bid*& slot = b.tenderers.front() == supplier ? winner : second;
    if (slot == nullptr || b.amount->minor < slot->amount->minor) slot = &b;
  }
  if (winner == nullptr)
    return skip({where, "no valid single-tenderer bid of the awarded supplier", supplier});
  if (second == nullptr)
    return skip({where, "no valid single-tenderer bid of another tenderer", ""});
  if (second->amount->minor < winner->amount->minor)
    return skip({where, "the lowest bid did not win: the award is not on price alone", ""});
  if (winner->amount->minor == 0)
    return skip({where, "winning bid is 0, d is undefined", "bid " + winner->id});
  MarketPoint p{proc.id,
                lot.id,
                winner->id,
                supplier,
                second->tenderers.front(),
                winner->amount->minor,
                second->amount->minor,
                cardinal_currency,
                0};
  p.d = static_cast<double>(p.second - p.winning) / static_cast<double>(p.winning);
  push(p);
}

MarketAccumulator::MarketAccumulator(MarketOptions options) : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
}
MarketAccumulator::MarketAccumulator(MarketAccumulator&&) noexcept = default;
MarketAccumulator& MarketAccumulator::operator=(MarketAccumulator&&) noexcept = default;
MarketAccumulator::~MarketAccumulator() = default;

core::Status MarketAccumulator::add(const Procedure& procedure) {
  if (state_->options.method == MarketMethod::kCardinal) {
    state_->add_cardinal(procedure);
    return core::ok();
  }
  return state_->add_lowest_bid(procedure);
}

std::uint64_t MarketAccumulator::points() const {
  return state_->points.size();
}

MarketResult MarketAccumulator::finish() const {
  const State& s = *state_;
  const bool cardinal = s.options.method == MarketMethod::kCardinal;
  MarketResult out;
  out.method = s.options.method;
  out.currency = s.cardinal_currency;
  out.point_count = s.points.size();
  out.skipped_count = s.skipped_count;
  out.skipped = s.skipped;
  out.skipped_reasons.assign(s.reasons.begin(), s.reasons.end());
  out.other_currency_bids = s.other_currency_bids;
  if (s.options.keep_points) {
    out.points.reserve(s.points.size());
    for (const auto& k : s.points) out.points.push_back(s.unpack(k));
  }
  const std::size_t need = cardinal ? 1 : 4;
  if (s.points.size() < need) {
    out.applicable = false;
    out.low_fence_applies = out.high_fence_applies = false;
    out.note = fmt::format("{} values of d; the fences need at least {}", s.points.size(), need);
    return out;
  }
  std::vector<double> ds;
  ds.reserve(s.points.size());
  for (const auto& k : s.points) ds.push_back(k.d);
  std::sort(ds.begin(), ds.end());
  const auto quantile = cardinal ? quantile_type8 : quantile_type7;
  out.q1 = quantile(ds, 0.25);
  out.q3 = quantile(ds, 0.75);
  out.iqr = out.q3 - out.q1;
  // cardinal computes the fences with a fused multiply-add; so do we, to match to the last bit.
  out.lower = std::fma(out.iqr, -1.5, out.q1);
  out.upper = std::fma(out.iqr, 1.5, out.q3);
  if (cardinal) {
    if (s.options.lower_threshold) out.lower = *s.options.lower_threshold;
    if (s.options.upper_threshold) out.upper = *s.options.upper_threshold;
    // R024 holds back when a quarter or more of the processes have d = 0 (else three quarters
    // would be flagged); R058 when the upper fence is not positive.
    out.low_fence_applies = (s.options.lower_threshold || out.q1 > 0) && out.lower > 0;
    out.high_fence_applies = out.upper > 0;
  }
  out.note =
      fmt::format("{} values of d; Q1 {}, Q3 {}, IQR {} ({}); fences [{}, {}]{}{}", ds.size(),
                  fixed4(out.q1), fixed4(out.q3), fixed4(out.iqr),
                  cardinal ? "type 8, as cardinal" : "type 7", fixed4(out.lower), fixed4(out.upper),
                  out.low_fence_applies ? "" : "; the lower fence is not applied",
                  out.high_fence_applies ? "" : "; the upper fence is not applied");
  for (const auto& k : s.points) {
    const bool low = out.low_fence_applies && (cardinal ? k.d <= out.lower : k.d < out.lower);
    const bool high = out.high_fence_applies && (cardinal ? k.d >= out.upper : k.d > out.upper);
    if (!low && !high) continue;
    MarketPoint p = s.unpack(k);
    const std::string base = fmt::format("winning bid {} ({}) and second-lowest {} ({}): d = {}",
                                         money(p.winning, p.currency), p.winner,
                                         money(p.second, p.currency), p.second_bidder, fixed4(p.d));
    if (low) {
      out.flags.push_back(
          {p, FenceSide::kLow,
           fmt::format("{} {} Q1 - 1.5 IQR = {}: the two lowest prices are suspiciously close{}",
                       base, cardinal ? "<=" : "<", fixed4(out.lower),
                       cardinal ? " (cardinal R024)" : "")});
    }
    if (high) {
      out.flags.push_back({p, FenceSide::kHigh,
                           fmt::format("{} {} Q3 + 1.5 IQR = {}: the winner is heavily "
                                       "discounted{}",
                                       base, cardinal ? ">=" : ">", fixed4(out.upper),
                                       cardinal ? " (cardinal R058)" : "")});
    }
  }
  return out;
}

core::Result<MarketResult> screen_market_tukey(const std::vector<Procedure>& procedures,
                                               const MarketOptions& options) {
  MarketAccumulator acc(options);
  for (const Procedure& p : procedures) PW_TRY(acc.add(p));
  return acc.finish();
}

std::vector<std::string> flagged_tenderers(const MarketResult& result, FenceSide side) {
  std::vector<std::string> out;
  for (const auto& f : result.flags) {
    if (f.side != side) continue;
    out.push_back(f.point.winner);
    if (side == FenceSide::kLow) out.push_back(f.point.second_bidder);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace pw::procurement
