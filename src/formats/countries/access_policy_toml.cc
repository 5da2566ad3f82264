#include <algorithm>
#include <array>
#include <utility>

#include "formats/access_policy.h"
#include "formats/internal/toml_fields.h"

namespace pw::formats {
namespace {

using internal::TomlTable;

template <typename T, typename Parse>
core::Status enum_field(const TomlTable& t, std::string_view key, T& out, Parse parse) {
  std::string s;
  PW_TRY(t.string(key, s, true));
  auto v = parse(s);
  if (!v) return t.fail(key, v.error().message());
  out = *v;
  return core::ok();
}

core::Status read_level(const TomlTable& t, domain::AccessConditions& c) {
  PW_TRY(t.only({"remote", "recorded", "max_session_minutes", "server_room", "on_site_escorted",
                 "approvals", "summary"}));
  PW_TRY(enum_field(t, "remote", c.remote, domain::parse_remote_mode));
  PW_TRY(t.boolean("recorded", c.recorded, true));
  PW_TRY(t.integer("max_session_minutes", c.max_session_minutes, true));
  if (c.remote == domain::RemoteMode::kSuspended && c.max_session_minutes != 0) {
    return t.fail("max_session_minutes", "must be 0 when remote is suspended");
  }
  if (c.remote != domain::RemoteMode::kSuspended &&
      (c.max_session_minutes <= 0 || c.max_session_minutes > 24 * 60)) {
    return t.fail("max_session_minutes", "must be between 1 and 1440 when remote is allowed");
  }
  PW_TRY(enum_field(t, "server_room", c.server_room, domain::parse_room_entry));
  PW_TRY(t.boolean("on_site_escorted", c.on_site_escorted, true));
  std::vector<std::string> roles;
  PW_TRY(t.strings("approvals", roles, true));
  if (roles.empty()) return t.fail("approvals", "at least one approving role is required");
  for (std::size_t i = 0; i < roles.size(); ++i) {
    auto role = domain::parse_role(roles[i]);
    if (!role) {
      return t.fail("approvals",
                    "'" + roles[i] +
                        "' is not a role (customs_operator, "
                        "security_officer, analyst, auditor, terminal_staff, technician)");
    }
    if (std::find(c.approvals.begin(), c.approvals.end(), *role) != c.approvals.end()) {
      return t.fail("approvals", "'" + roles[i] + "' listed twice");
    }
    if (*role == domain::Role::kTechnician) {
      return t.fail("approvals", "a technician cannot approve their own access");
    }
    c.approvals.push_back(*role);
  }
  PW_TRY(t.string("summary", c.summary));
  return core::ok();
}

}  // namespace

core::Result<domain::AccessPolicy> parse_access_policy(std::string_view text,
                                                       std::string_view source_name) {
  auto parsed = [&]() -> core::Result<domain::AccessPolicy> {
    PW_ASSIGN_OR_RETURN(const toml::table doc, internal::parse_toml(text, source_name));
    const TomlTable root(doc, "");
    PW_TRY(root.only({"version", "levels"}));
    std::int64_t version = 0;
    PW_TRY(root.integer("version", version, true));
    if (version != 1) return root.fail("version", "unsupported version (want 1)");
    PW_ASSIGN_OR_RETURN(const toml::table* levels_table, root.subtable("levels", true));
    const TomlTable levels(*levels_table, "levels");
    PW_TRY(levels.only({"low", "medium", "high", "very_high"}));
    domain::AccessPolicy policy;
    for (domain::RiskLevel r : domain::kRiskLevels) {
      const std::string_view name = domain::risk_level_name(r);
      PW_ASSIGN_OR_RETURN(const toml::table* t, levels.subtable(name, true));
      domain::AccessConditions& c = policy.levels[static_cast<std::size_t>(r)];
      c.level = r;
      PW_TRY(read_level(TomlTable(*t, "levels." + std::string(name)), c));
    }
    for (std::size_t i = 1; i < policy.levels.size(); ++i) {
      auto st = domain::check_not_looser(policy.levels[i - 1], policy.levels[i]);
      if (!st) {
        return std::unexpected(st.error().with_context(
            "levels." + std::string(domain::risk_level_name(policy.levels[i].level))));
      }
    }
    return policy;
  }();
  if (!parsed) {
    const std::string& m = parsed.error().message();
    if (m.starts_with(std::string(source_name) + ":")) return parsed;
    return std::unexpected(parsed.error().with_context(source_name));
  }
  return parsed;
}

core::Result<domain::AccessPolicy> read_access_policy(const std::string& path) {
  PW_ASSIGN_OR_RETURN(const std::string text, internal::read_text_file(path, 1 << 20));
  return parse_access_policy(text, path);
}

}  // namespace pw::formats
