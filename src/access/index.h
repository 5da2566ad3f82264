#pragma once
// The access check for gateways and doors (issue 5 item 3): may this person reach this asset or
// room in this mode at this instant? Built from an AccessState and kept current with the same
// events the engine emits, it answers without touching the state: two hash lookups by
// (person, target) and a scan of that pair's few grants and of the suspensions naming the grant,
// the person or the vendor. Deny by default: a pair without a grant, an unknown person, asset or
// mode, and any doubt are denials with the reason.
//
// Thread safety: check() is const and may run on many threads at once; build()/apply() need
// exclusive access (the app swaps in a new index or holds a writer lock).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "access/state.h"
#include "core/clock.h"
#include "domain/access.h"

namespace pw::access {

struct CheckResult {
  bool allow = false;
  // Why: for an allow, the grant that allows it; for a deny, every grant of the pair and why it
  // does not apply, or that there is none.
  std::vector<std::string> reasons;
  std::string grant;                         // the allowing grant's id
  std::optional<core::Timestamp> grant_end;  // its window's end: the gateway cuts there
  bool escorted = false;
  bool supervised = false;
  bool recorded = false;
  std::int64_t max_session_minutes = 0;
};

// {"allow", "reasons", "grant", "grant_end" (RFC 3339 or ""), "escorted", "supervised",
// "recorded", "max_session_minutes"}
nlohmann::json check_result_to_json(const CheckResult& r);

class AccessIndex {
 public:
  AccessIndex() = default;
  static AccessIndex build(const AccessState& state);

  // Folds one engine event in (the same events apply_event() takes). Errors as apply_event's;
  // the index is unchanged on error.
  core::Status apply(const Event& event);

  // `target`: an Asset::id for onsite and remote, a Room::id for server_room.
  CheckResult check(std::string_view person, std::string_view target, domain::GrantMode mode,
                    core::Timestamp t) const;

  std::size_t grant_count() const { return grant_count_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename V>
  using Map = std::unordered_map<std::string, V, Hash, std::equal_to<>>;

  struct Entry {
    domain::Grant grant;
    std::string permit;  // the work permit the grant's request rests on; empty for none
  };

  void upsert(const domain::Grant& g);
  void upsert(const domain::Suspension& s);
  bool blocked_by_suspension(const domain::Grant& g, core::Timestamp t,
                             std::vector<std::string>& reasons) const;

  Map<Map<std::vector<Entry>>> grants_;             // person -> target -> grants
  Map<std::vector<domain::Suspension>> suspended_;  // subject id -> suspensions naming it
  Map<domain::AssetFreeze> frozen_;                 // asset -> freeze
  Map<std::string> request_permit_;                 // request -> permit ("" for none)
  Map<domain::PermitState> permit_state_;           // permit -> state
  std::size_t grant_count_ = 0;
};

}  // namespace pw::access
