#include "procurement/fsr.h"

#include <algorithm>
#include <array>
#include <map>

#include "procurement/internal/text.h"

namespace pw::procurement {

using internal::money;

bool is_eu_member_state(std::string_view c) {
  // The 27 member states since 1 February 2020; Greece is "GR" in ISO 3166 ("EL" in EU usage).
  static constexpr std::array<std::string_view, 28> kEu = {
      "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU",
      "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"};
  return std::find(kEu.begin(), kEu.end(), c) != kEu.end();
}

core::Result<FsrResult> fsr_notification_test(const FsrInput& in) {
  if (in.estimated_value_eur_cents <= 0)
    return core::invalid_argument(fmt::format(
        "FSR: the estimated value must be positive, got {} cents", in.estimated_value_eur_cents));
  if (in.lots_applied_eur_cents) {
    if (*in.lots_applied_eur_cents <= 0)
      return core::invalid_argument(
          fmt::format("FSR: the value of the lots applied for must be positive, "
                      "got {} cents",
                      *in.lots_applied_eur_cents));
    if (*in.lots_applied_eur_cents > in.estimated_value_eur_cents)
      return core::invalid_argument(fmt::format(
          "FSR: the lots applied for ({} cents) exceed the whole procurement ({} cents)",
          *in.lots_applied_eur_cents, in.estimated_value_eur_cents));
  }
  FsrResult out;
  std::map<std::string, std::int64_t> per_country;
  std::vector<std::string> eu_listed;
  for (std::size_t i = 0; i < in.contributions.size(); ++i) {
    const auto& c = in.contributions[i];
    const std::string who =
        fmt::format("FSR: contribution {} ({} from {})", i, c.recipient, c.country);
    if (c.country.size() != 2 || !std::all_of(c.country.begin(), c.country.end(),
                                              [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
      return core::invalid_argument(who + ": country must be an ISO 3166-1 alpha-2 code");
    if (c.eur_cents < 0)
      return core::invalid_argument(
          fmt::format("{}: amount is negative ({} cents)", who, c.eur_cents));
    if (is_eu_member_state(c.country)) {
      eu_listed.push_back(c.country);
      continue;
    }
    auto& total = per_country[c.country];
    if (total > INT64_MAX - c.eur_cents)
      return core::invalid_argument(who + ": the country total overflows");
    total += c.eur_cents;
  }
  for (const auto& [country, total] : per_country) {
    out.third_countries.push_back({country, total});
    if (total >= kFsrContributionThreshold) out.countries_over.push_back(country);
  }

  const bool contract = in.estimated_value_eur_cents >= kFsrContractThreshold;
  const bool lots = !in.lots_applied_eur_cents || *in.lots_applied_eur_cents >= kFsrLotsThreshold;
  out.value_test_met = contract && lots;
  out.reasons.push_back(fmt::format("estimated value {} is {} EUR 250 million (art. 28(1)(a))",
                                    money(in.estimated_value_eur_cents, "EUR"),
                                    contract ? "at least" : "below"));
  if (in.lots_applied_eur_cents)
    out.reasons.push_back(fmt::format("lots applied for {} are {} EUR 125 million (art. 28(2))",
                                      money(*in.lots_applied_eur_cents, "EUR"),
                                      lots ? "at least" : "below"));
  for (const auto& t : out.third_countries)
    out.reasons.push_back(
        fmt::format("contributions from {} over three years: {} ({} EUR 4 million)", t.country,
                    money(t.eur_cents, "EUR"),
                    t.eur_cents >= kFsrContributionThreshold ? "at least" : "below"));
  if (out.third_countries.empty()) out.reasons.push_back("no contributions from a third country");
  for (const auto& c : eu_listed)
    out.reasons.push_back(fmt::format("contribution from {} not counted: an EU member state", c));
  out.duty =
      out.value_test_met && !out.countries_over.empty() ? FsrDuty::kNotify : FsrDuty::kDeclare;
  out.reasons.push_back(out.duty == FsrDuty::kNotify ? "notification required (art. 28)"
                                                     : "no notification: declaration (art. 29)");
  return out;
}

}  // namespace pw::procurement
