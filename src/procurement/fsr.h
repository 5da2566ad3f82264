#pragma once
// The notification test of the Foreign Subsidies Regulation, Regulation (EU) 2022/2560, art. 28
// (notification) and art. 29 (declaration otherwise). Pure: the caller supplies the values and
// the group's foreign financial contributions (later derived from the ownership engine).
//
// Art. 28(1): notify when (a) the estimated value of the procurement (net of VAT) is at least
// EUR 250 million and (b) the economic operator, with its subsidiaries without commercial
// autonomy, its holding companies and, where applicable, its main subcontractors and suppliers,
// received aggregate financial contributions of at least EUR 4 million per third country in the
// three years before notification. Art. 28(2): for a procurement divided into lots, (a) is met
// when the procurement is at least EUR 250 million and the lots applied for amount to at least
// EUR 125 million. Otherwise the operator files a declaration (art. 29).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace pw::procurement {

// EUR 250 million, EUR 125 million and EUR 4 million, in euro cents.
inline constexpr std::int64_t kFsrContractThreshold = 250'000'000LL * 100;
inline constexpr std::int64_t kFsrLotsThreshold = 125'000'000LL * 100;
inline constexpr std::int64_t kFsrContributionThreshold = 4'000'000LL * 100;

struct ForeignContribution {
  std::string country;         // ISO 3166-1 alpha-2, e.g. "CN"
  std::int64_t eur_cents = 0;  // aggregate over the three years before notification, >= 0
  std::string recipient;       // the group member that received it (for the explanation only)
};

struct FsrInput {
  std::int64_t estimated_value_eur_cents = 0;  // the whole procurement, net of VAT, > 0
  // Set when the procurement is divided into lots: the aggregate value of the lots applied for.
  std::optional<std::int64_t> lots_applied_eur_cents;
  // The group's contributions; several entries per country are summed. Contributions from EU
  // member states are not from a third country and are not counted (they are listed).
  std::vector<ForeignContribution> contributions;
};

enum class FsrDuty { kNotify, kDeclare };

struct CountryTotal {
  std::string country;
  std::int64_t eur_cents = 0;
};

struct FsrResult {
  FsrDuty duty = FsrDuty::kDeclare;
  bool value_test_met = false;
  std::vector<CountryTotal> third_countries;  // per third country, sorted by code
  std::vector<std::string> countries_over;    // third countries at or over EUR 4 million
  std::vector<std::string> reasons;           // the numbers that decided, for the reader
};

bool is_eu_member_state(std::string_view country);

core::Result<FsrResult> fsr_notification_test(const FsrInput& input);

}  // namespace pw::procurement
