#include "domain/ownership.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <utility>

namespace pw::domain {
namespace {

constexpr std::array<std::pair<EntityKind, std::string_view>, 5> kKinds{{
    {EntityKind::kCompany, "company"},
    {EntityKind::kPerson, "person"},
    {EntityKind::kState, "state"},
    {EntityKind::kStateBody, "state_body"},
    {EntityKind::kUnknown, "unknown"},
}};

constexpr std::array<std::pair<Interest, std::string_view>, 7> kInterests{{
    {Interest::kShareholding, "shareholding"},
    {Interest::kVotingRights, "voting_rights"},
    {Interest::kBoardAppointment, "board_appointment"},
    {Interest::kOtherInfluence, "other_influence"},
    {Interest::kDeclaredController, "declared_controller"},
    {Interest::kConsolidation, "consolidation"},
    {Interest::kUltimateParent, "ultimate_parent"},
}};

// Howard Hinnant's days_from_civil (public-domain formula).
std::int32_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int32_t>(doe) - 719468;
}

}  // namespace

std::string_view entity_kind_name(EntityKind kind) {
  for (const auto& [k, n] : kKinds) {
    if (k == kind) return n;
  }
  return "unknown";
}

core::Result<EntityKind> parse_entity_kind(std::string_view name) {
  for (const auto& [k, n] : kKinds) {
    if (n == name) return k;
  }
  return core::invalid_argument("unknown entity kind '" + std::string(name) +
                                "' (want company, person, state, state_body or unknown)");
}

std::string_view interest_name(Interest interest) {
  for (const auto& [i, n] : kInterests) {
    if (i == interest) return n;
  }
  return "other_influence";
}

core::Result<Interest> parse_interest(std::string_view name) {
  for (const auto& [i, n] : kInterests) {
    if (n == name) return i;
  }
  return core::invalid_argument("unknown interest type '" + std::string(name) + "'");
}

core::Result<Date> parse_date(std::string_view s) {
  auto bad = [&] {
    return core::invalid_argument("date '" + std::string(s) + "' is not YYYY-MM-DD");
  };
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return bad();
  int y = 0, m = 0, d = 0;
  for (int i : {0, 1, 2, 3}) {
    if (s[i] < '0' || s[i] > '9') return bad();
    y = y * 10 + (s[i] - '0');
  }
  for (int i : {5, 6}) {
    if (s[i] < '0' || s[i] > '9') return bad();
    m = m * 10 + (s[i] - '0');
  }
  for (int i : {8, 9}) {
    if (s[i] < '0' || s[i] > '9') return bad();
    d = d * 10 + (s[i] - '0');
  }
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return bad();
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && d == 29 && !leap) return bad();
  if (s.size() > 10 && s[10] != 'T' && s[10] != 't' && s[10] != ' ') return bad();
  return Date{days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d))};
}

std::string format_date(Date date) {
  std::int64_t z = date.days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

core::Status validate_share(const Share& s) {
  if (!std::isfinite(s.min) || !std::isfinite(s.max)) {
    return core::invalid_argument("share is not a finite number");
  }
  if (s.min < 0.0 || s.max > 1.0) {
    return core::invalid_argument("share must lie between 0% and 100%");
  }
  if (s.min > s.max) return core::invalid_argument("share minimum is above its maximum");
  if (s.min == s.max && (s.min_exclusive || s.max_exclusive)) {
    return core::invalid_argument("share range is empty (equal bounds, one exclusive)");
  }
  return core::ok();
}

}  // namespace pw::domain
