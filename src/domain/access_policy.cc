#include "domain/access_policy.h"

#include <algorithm>
#include <array>
#include <utility>

#include "domain/internal/enum_names.h"

namespace pw::domain {
namespace {

using internal::name_of;
using internal::parse_of;

constexpr std::array<std::pair<RemoteMode, std::string_view>, 3> kRemote{{
    {RemoteMode::kAllowed, "allowed"},
    {RemoteMode::kSupervised, "supervised"},
    {RemoteMode::kSuspended, "suspended"},
}};
constexpr std::array<std::pair<RoomEntry, std::string_view>, 3> kRoom{{
    {RoomEntry::kUnescorted, "unescorted"},
    {RoomEntry::kEscorted, "escorted"},
    {RoomEntry::kRefused, "refused"},
}};

}  // namespace

std::string_view remote_mode_name(RemoteMode m) {
  return name_of(kRemote, m);
}
core::Result<RemoteMode> parse_remote_mode(std::string_view s) {
  return parse_of(kRemote, s);
}
std::string_view room_entry_name(RoomEntry e) {
  return name_of(kRoom, e);
}
core::Result<RoomEntry> parse_room_entry(std::string_view s) {
  return parse_of(kRoom, s);
}

core::Status check_not_looser(const AccessConditions& looser, const AccessConditions& stricter) {
  auto worse = [&](std::string_view key, std::string_view what) {
    return core::invalid_argument(std::string(key) + ": " + std::string(what) + " at " +
                                  std::string(risk_level_name(stricter.level)) + " than at " +
                                  std::string(risk_level_name(looser.level)));
  };
  if (stricter.remote < looser.remote) return worse("remote", "more permissive");
  if (stricter.remote != RemoteMode::kSuspended && looser.remote != RemoteMode::kSuspended &&
      stricter.max_session_minutes > looser.max_session_minutes) {
    return worse("max_session_minutes", "longer sessions");
  }
  if (looser.recorded && !stricter.recorded) return worse("recorded", "unrecorded sessions");
  if (stricter.server_room < looser.server_room) return worse("server_room", "freer entry");
  if (looser.on_site_escorted && !stricter.on_site_escorted) {
    return worse("on_site_escorted", "unescorted visits");
  }
  for (Role r : looser.approvals) {
    if (std::find(stricter.approvals.begin(), stricter.approvals.end(), r) ==
        stricter.approvals.end()) {
      return worse("approvals", "fewer approvals");
    }
  }
  return core::ok();
}

}  // namespace pw::domain
