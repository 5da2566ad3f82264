#include "access/downtime.h"

#include <algorithm>
#include <cmath>

namespace pw::access {
namespace {

constexpr std::int64_t kMicrosPerMinute = 60'000'000;
constexpr std::int64_t kMicrosPerDay = 86'400'000'000;
constexpr std::int64_t kMonthDays = 30;

struct Mean {
  std::int64_t sum = 0;  // microseconds
  std::int64_t count = 0;
  void add(std::int64_t v) {
    sum += v;
    ++count;
  }
  std::int64_t micros() const { return count == 0 ? 0 : sum / count; }
};

std::int64_t round_div(std::int64_t a, std::int64_t b) {
  return (a + b / 2) / b;  // a, b >= 0
}

}  // namespace

core::Result<DowntimeCost> downtime_cost(const domain::Register& reg, std::string_view vendor,
                                         core::Timestamp as_of, std::int64_t period_days) {
  if (reg.organisation(vendor) == nullptr) {
    return core::not_found("vendor: '" + std::string(vendor) + "' is not in the register");
  }
  if (period_days < 1) return core::invalid_argument("period_days: must be at least 1");
  DowntimeCost c;
  c.vendor = std::string(vendor);
  c.as_of = as_of;
  c.period_days = period_days;
  const core::Timestamp from{as_of.micros - period_days * kMicrosPerDay};
  Mean remote, onsite, onsite_software;
  for (const domain::Asset& a : reg.assets) c.assets += a.vendor == vendor ? 1 : 0;
  for (const domain::Fault& f : reg.faults) {
    const domain::Asset* a = reg.asset(f.asset);
    if (a == nullptr || a->vendor != vendor) continue;
    auto reported = core::parse_rfc3339(f.reported);
    if (!reported) {
      ++c.skipped_faults;
      continue;
    }
    if (*reported < from || !(*reported < as_of)) continue;
    if (f.resolved.empty()) {
      ++c.open_faults;
      continue;
    }
    auto resolved = core::parse_rfc3339(f.resolved);
    if (!resolved || *resolved < *reported) {
      ++c.skipped_faults;
      continue;
    }
    if (as_of < *resolved) {
      ++c.open_faults;  // still open at as_of
      continue;
    }
    const std::int64_t took = resolved->micros - reported->micros;
    ++c.faults;
    if (f.fixed_remotely) {
      remote.add(took);
    } else {
      onsite.add(took);
      if (f.category == domain::FaultCategory::kSoftware) onsite_software.add(took);
    }
  }
  c.remote_faults = remote.count;
  c.onsite_faults = onsite.count;
  c.remote_share_bp = c.faults == 0 ? 0 : remote.count * 10'000 / c.faults;
  c.mttr_remote_minutes = round_div(remote.micros(), kMicrosPerMinute);
  c.mttr_onsite_minutes = round_div(onsite.micros(), kMicrosPerMinute);
  const Mean* basis = nullptr;
  if (onsite_software.count > 0) {
    basis = &onsite_software;
    c.onsite_basis = "software faults fixed on site";
  } else if (onsite.count > 0) {
    basis = &onsite;
    c.onsite_basis = "all faults fixed on site";
  } else {
    c.onsite_basis = "none";
  }
  c.mttr_onsite_basis_minutes = basis ? round_div(basis->micros(), kMicrosPerMinute) : 0;
  c.remote_faults_per_month_milli = round_div(remote.count * kMonthDays * 1000, period_days);
  c.estimable = remote.count > 0 && basis != nullptr;
  if (c.estimable) {
    const std::int64_t gap = std::max<std::int64_t>(0, basis->micros() - remote.micros());
    // remote_faults * 30 / period_days * gap, rounded once. In double: the product can pass
    // 2^63 microseconds for long histories, and 53 bits are ample for whole minutes.
    const double minutes = static_cast<double>(remote.count) * kMonthDays *
                           static_cast<double>(gap) /
                           (static_cast<double>(period_days) * kMicrosPerMinute);
    c.extra_downtime_minutes_per_month = std::llround(minutes);
  }
  return c;
}

nlohmann::json downtime_cost_to_json(const DowntimeCost& c) {
  return {{"vendor", c.vendor},
          {"as_of", core::format_rfc3339(c.as_of)},
          {"period_days", c.period_days},
          {"assets", c.assets},
          {"faults", c.faults},
          {"open_faults", c.open_faults},
          {"skipped_faults", c.skipped_faults},
          {"remote_faults", c.remote_faults},
          {"remote_share_bp", c.remote_share_bp},
          {"mttr_remote_minutes", c.mttr_remote_minutes},
          {"mttr_onsite_minutes", c.mttr_onsite_minutes},
          {"onsite_faults", c.onsite_faults},
          {"mttr_onsite_basis_minutes", c.mttr_onsite_basis_minutes},
          {"onsite_basis", c.onsite_basis},
          {"estimable", c.estimable},
          {"remote_faults_per_month_milli", c.remote_faults_per_month_milli},
          {"extra_downtime_minutes_per_month", c.extra_downtime_minutes_per_month}};
}

}  // namespace pw::access
