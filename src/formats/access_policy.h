#pragma once
// Access conditions per risk level from TOML (data/access-policy.toml; domain/access_policy.h):
//
//   version = 1
//   [levels.high]                     # one table per level: low, medium, high, very_high
//   remote = "supervised"             # allowed | supervised | suspended
//   recorded = true
//   max_session_minutes = 240         # > 0, or 0 exactly when remote = "suspended"
//   server_room = "escorted"          # unescorted | escorted | refused
//   on_site_escorted = true
//   approvals = ["customs_operator", "security_officer"]   # roles, as the register names them
//   summary = "..."
//
// Every level must be present, and a higher level may not be more permissive than a lower one in
// any condition. Errors name the file, the key and the line; nothing throws.

#include <string>
#include <string_view>

#include "core/result.h"
#include "domain/access_policy.h"

namespace pw::formats {

core::Result<domain::AccessPolicy> parse_access_policy(std::string_view text,
                                                       std::string_view source_name);
core::Result<domain::AccessPolicy> read_access_policy(const std::string& path);

}  // namespace pw::formats
