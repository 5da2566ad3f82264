#pragma once
// Access conditions per risk level (issue 4 item 4, last sentence; DESIGN.md: "the supplier's
// assessed risk drives the access policy"): what a supplier at each level of the risk scale
// (domain/assessment.h) may do. Shipped as data/access-policy.toml (formats/access_policy.h reads
// it); the access engine enforces it. Values only; no I/O.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/assessment.h"  // RiskLevel
#include "domain/register.h"    // Role

namespace pw::domain {

// Remote maintenance sessions: allowed (through the gateway, as granted), only while a customs
// operator supervises, or not at all. Ordered from most to least permissive.
enum class RemoteMode { kAllowed, kSupervised, kSuspended };
std::string_view remote_mode_name(RemoteMode m);  // "allowed", "supervised", "suspended"
core::Result<RemoteMode> parse_remote_mode(std::string_view s);

// Server-room entry (Q12: the system operator lets the technician in). Ordered likewise.
enum class RoomEntry { kUnescorted, kEscorted, kRefused };
std::string_view room_entry_name(RoomEntry e);  // "unescorted", "escorted", "refused"
core::Result<RoomEntry> parse_room_entry(std::string_view s);

struct AccessConditions {
  RiskLevel level = RiskLevel::kVeryHigh;
  RemoteMode remote = RemoteMode::kSuspended;
  bool recorded = true;                  // remote sessions are recorded
  std::int64_t max_session_minutes = 0;  // 0 exactly when remote is suspended
  RoomEntry server_room = RoomEntry::kEscorted;
  bool on_site_escorted = true;  // on-site maintenance at the scanner accompanied by customs
  // Everyone whose approval a grant needs (a quorum of distinct people, one per role listed).
  std::vector<Role> approvals;
  std::string summary;
  friend bool operator==(const AccessConditions&, const AccessConditions&) = default;
};

// One entry per level, in kRiskLevels order. A higher level is never more permissive than a
// lower one (formats/access_policy.h checks this when it reads the file).
struct AccessPolicy {
  std::array<AccessConditions, 4> levels;
  const AccessConditions& for_level(RiskLevel r) const {
    return levels[static_cast<std::size_t>(r)];
  }
};

// The first way `stricter` is more permissive than `looser`, as "key: reason"; ok when it is not.
core::Status check_not_looser(const AccessConditions& looser, const AccessConditions& stricter);

}  // namespace pw::domain
