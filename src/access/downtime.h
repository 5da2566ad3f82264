#pragma once
// The cost of the kill switch (issue 5 item 2; seed Q10: the remote connection was not switched
// off "because lifting it brings the risk that scanning equipment stays out of order for a long
// time"). From the register's fault history, per vendor: how many faults were fixed remotely,
// how long repairs took remotely and on site, and how much longer the vendor's assets would be
// down per month if every fault now fixed remotely had to wait for an on-site repair.
//
// The formula (docs/ACCESS.md, "Downtime cost"):
//   period            = [as_of - period_days, as_of); a fault counts when it was reported in the
//                       period and resolved by as_of (open faults are counted apart)
//   remote_share      = remote_faults / faults
//   mttr_remote       = mean(resolved - reported) over the faults fixed remotely
//   mttr_onsite       = the same over the faults fixed on site, of the software category when
//                       there are any (a remote fix is a software fix, Q10), else of all
//   extra per month   = remote_faults * (30 / period_days) * max(0, mttr_onsite - mttr_remote)
// A month is 30 days. Durations are whole minutes, rounded to nearest; the share is in basis
// points, rounded down. Integer arithmetic in microseconds throughout.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "domain/register.h"

namespace pw::access {

struct DowntimeCost {
  std::string vendor;
  core::Timestamp as_of;
  std::int64_t period_days = 365;
  std::int64_t assets = 0;          // the vendor's assets in the register
  std::int64_t faults = 0;          // resolved faults counted
  std::int64_t open_faults = 0;     // reported in the period, not resolved by as_of
  std::int64_t skipped_faults = 0;  // timestamps that do not parse or run backwards
  std::int64_t remote_faults = 0;
  std::int64_t remote_share_bp = 0;
  std::int64_t mttr_remote_minutes = 0;
  std::int64_t mttr_onsite_minutes = 0;  // all faults fixed on site
  std::int64_t onsite_faults = 0;
  // The on-site repair time the estimate compares with, and what it is the mean of:
  // "software faults fixed on site", "all faults fixed on site", or "none" (no estimate).
  std::int64_t mttr_onsite_basis_minutes = 0;
  std::string onsite_basis;
  bool estimable = false;  // remote and on-site repairs both on record
  // Remote fixes per month, in thousandths (e.g. 1583 = 1.583 a month).
  std::int64_t remote_faults_per_month_milli = 0;
  std::int64_t extra_downtime_minutes_per_month = 0;
  friend bool operator==(const DowntimeCost&, const DowntimeCost&) = default;
};

// not_found for a vendor that is not an organisation in the register; invalid_argument for a
// period_days < 1.
core::Result<DowntimeCost> downtime_cost(const domain::Register& reg, std::string_view vendor,
                                         core::Timestamp as_of, std::int64_t period_days = 365);

// Every field; as_of in RFC 3339.
nlohmann::json downtime_cost_to_json(const DowntimeCost& c);

}  // namespace pw::access
