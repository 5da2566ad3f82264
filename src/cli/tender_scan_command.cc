// `portwarden tender scan FILE`: the market-wide screen for abnormally low tenders over an OCDS
// file (issue 8), streamed through app::scan_market_file; nothing is stored or journaled.
// Exit 0 when the scan ran (flags are findings, not failures); a file-level error (or, with
// --strict, the first bad release) exits with the error's code (docs/CLI.md).
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/market_scan.h"
#include "cli/commands.h"

namespace pw::cli {
namespace {

using procurement::FenceSide;
using procurement::MarketMethod;

struct ScanArgs {
  std::string file;
  std::string method = "market";
  bool strict = false;
  std::string currency;
  std::string no_price_comparison;  // pipe-separated, as in cardinal's settings
  std::string price_comparison;
  std::string exclude_method_details;
  std::size_t max_issues = 20;
};

std::vector<std::string> split_pipes(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    const std::size_t bar = s.find('|', start);
    const std::size_t end = bar == std::string::npos ? s.size() : bar;
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

const char* side_name(FenceSide s) {
  return s == FenceSide::kLow ? "low" : "high";
}

const char* severity_name(formats::Severity s) {
  return s == formats::Severity::kError ? "error" : "warning";
}

int cmd_scan(const Globals& g, const ScanArgs& a) {
  app::MarketScanRequest req;
  req.file = a.file;
  req.read.import.strict = a.strict;
  req.read.import.max_issues = a.max_issues;
  req.market.keep_points = false;
  // Which fences a method reports: market both, cardinal-r024 the low one, cardinal-r058 the
  // high one (cardinal computes both from the same d).
  bool low = true, high = true;
  if (a.method == "cardinal-r024" || a.method == "cardinal-r058") {
    req.market.method = MarketMethod::kCardinal;
    req.market.currency = a.currency;
    req.market.no_price_comparison_methods = split_pipes(a.no_price_comparison);
    req.market.price_comparison_methods = split_pipes(a.price_comparison);
    req.market.excluded_method_details = split_pipes(a.exclude_method_details);
    low = a.method == "cardinal-r024";
    high = !low;
  } else if (!a.currency.empty() || !a.no_price_comparison.empty() || !a.price_comparison.empty() ||
             !a.exclude_method_details.empty()) {
    return report_error(g, core::Error(core::Code::kInvalidArgument,
                                       "--currency, --no-price-comparison, --price-comparison "
                                       "and --exclude-method-details apply to the cardinal "
                                       "methods only"));
  }
  auto scan = app::scan_market_file(req, terminal_progress());
  if (!scan) return report_error(g, scan.error());
  const auto& m = scan->market;
  const auto& s = scan->read.summary;
  std::vector<const procurement::MarketFlag*> flags;
  for (const auto& f : m.flags) {
    if ((f.side == FenceSide::kLow && low) || (f.side == FenceSide::kHigh && high))
      flags.push_back(&f);
  }
  std::vector<std::string> tenderers;
  for (FenceSide side : {FenceSide::kLow, FenceSide::kHigh}) {
    if ((side == FenceSide::kLow && !low) || (side == FenceSide::kHigh && !high)) continue;
    for (auto& t : procurement::flagged_tenderers(m, side)) tenderers.push_back(t);
  }
  if (g.json) {
    nlohmann::json j{{"file", a.file},
                     {"method", a.method},
                     {"releases", s.releases_read},
                     {"procedures", s.procedures},
                     {"releases_skipped", s.releases_skipped},
                     {"errors", s.errors},
                     {"warnings", s.warnings},
                     {"applicable", m.applicable},
                     {"note", m.note},
                     {"values", m.point_count},
                     {"q1", m.q1},
                     {"q3", m.q3},
                     {"iqr", m.iqr},
                     {"lower_fence", low ? nlohmann::json(m.lower) : nlohmann::json()},
                     {"upper_fence", high ? nlohmann::json(m.upper) : nlohmann::json()},
                     {"lower_fence_applies", low && m.low_fence_applies},
                     {"upper_fence_applies", high && m.high_fence_applies},
                     {"lots_skipped", m.skipped_count},
                     {"tenderers", tenderers}};
    if (!m.currency.empty()) j["currency"] = m.currency;
    nlohmann::json reasons = nlohmann::json::object();
    for (const auto& [reason, n] : m.skipped_reasons) reasons[reason] = n;
    j["skipped_reasons"] = reasons;
    nlohmann::json fl = nlohmann::json::array();
    for (const auto* f : flags) {
      fl.push_back({{"ocid", f->point.procedure_id},
                    {"lot", f->point.lot_id},
                    {"side", side_name(f->side)},
                    {"d", f->point.d},
                    {"winner", f->point.winner},
                    {"winner_bid", f->point.winner_bid_id},
                    {"second_bidder", f->point.second_bidder},
                    {"winning_minor", f->point.winning},
                    {"second_minor", f->point.second},
                    {"currency", f->point.currency},
                    {"explanation", f->explanation}});
    }
    j["flags"] = fl;
    nlohmann::json is = nlohmann::json::array();
    for (const auto& i : scan->read.issues) {
      is.push_back({{"severity", severity_name(i.severity)},
                    {"record", i.record},
                    {"offset", i.offset},
                    {"field", i.field},
                    {"message", i.message}});
    }
    j["issues"] = is;
    std::cout << j.dump() << "\n";
    return kExitOk;
  }
  std::cout << a.file << ": " << s.releases_read << " releases, " << s.procedures
            << " procedures read, " << s.releases_skipped << " skipped; " << s.errors << " errors, "
            << s.warnings << " warnings\n";
  std::cout << "method " << a.method << ": " << m.note << "\n";
  if (!m.currency.empty()) {
    std::cout << "currency compared: " << m.currency << " (" << m.other_currency_bids
              << " bids in other currencies left out)\n";
  }
  std::cout << "lots without a d: " << m.skipped_count << "\n";
  for (const auto& [reason, n] : m.skipped_reasons)
    std::cout << "  " << n << " x " << reason << "\n";
  std::cout << "flags: " << flags.size() << "\n";
  for (const auto* f : flags) {
    std::cout << "  " << side_name(f->side) << " " << f->point.procedure_id
              << (f->point.lot_id.empty() ? "" : " lot " + f->point.lot_id) << ": "
              << f->explanation << "\n";
  }
  if (!tenderers.empty()) {
    std::cout << "tenderers flagged:";
    for (const auto& t : tenderers) std::cout << " " << t;
    std::cout << "\n";
  }
  if (!scan->read.issues.empty()) {
    std::cout << "issues (" << scan->read.issues.size() << " shown of " << s.errors + s.warnings
              << "):\n";
    for (const auto& i : scan->read.issues)
      std::cout << "  " << severity_name(i.severity) << ": " << i.to_string() << "\n";
  }
  return kExitOk;
}

}  // namespace

void add_tender_scan_command(CLI::App& tender, Globals& g, int& rc) {
  auto a = std::make_shared<ScanArgs>();
  auto* scan = tender.add_subcommand(
      "scan", "Screen an OCDS file for abnormally low tenders, market-wide (nothing is stored)");
  scan->add_option("FILE", a->file, "OCDS releases: a release package, a JSON array or JSON lines")
      ->required();
  scan->add_option("--method", a->method,
                   "market (lowest bid wins, Tukey fences, type-7 quartiles), cardinal-r024 or "
                   "cardinal-r058 (OCDS Cardinal's indicators)")
      ->check(CLI::IsMember({"market", "cardinal-r024", "cardinal-r058"}))
      ->capture_default_str();
  scan->add_flag("--strict", a->strict, "Stop at the first bad release");
  scan->add_option("--max-issues", a->max_issues, "Issues listed (all are counted)")
      ->capture_default_str();
  scan->add_option("--currency", a->currency,
                   "cardinal: compare bids in this currency (default: the first seen)");
  scan->add_option("--no-price-comparison", a->no_price_comparison,
                   "cardinal: procurementMethodDetails values without price comparison, "
                   "separated by '|'");
  scan->add_option("--price-comparison", a->price_comparison,
                   "cardinal: only these procurementMethodDetails values, separated by '|'");
  scan->add_option("--exclude-method-details", a->exclude_method_details,
                   "cardinal: procurementMethodDetails values to leave out, separated by '|'");
  scan->callback([a, &g, &rc] { rc = cmd_scan(g, *a); });
}

}  // namespace pw::cli
