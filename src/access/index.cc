#include "access/index.h"

#include <utility>

#include "access/internal/rules.h"

namespace pw::access {
using internal::q;

nlohmann::json check_result_to_json(const CheckResult& r) {
  nlohmann::json reasons = nlohmann::json::array();
  for (const std::string& s : r.reasons) reasons.push_back(s);
  return {{"allow", r.allow},
          {"reasons", std::move(reasons)},
          {"grant", r.grant},
          {"grant_end", r.grant_end ? core::format_rfc3339(*r.grant_end) : std::string()},
          {"escorted", r.escorted},
          {"supervised", r.supervised},
          {"recorded", r.recorded},
          {"max_session_minutes", r.max_session_minutes}};
}

AccessIndex AccessIndex::build(const AccessState& state) {
  AccessIndex ix;
  for (const auto& [id, r] : state.requests) ix.request_permit_[id] = r.permit;
  for (const auto& [id, p] : state.permits) ix.permit_state_[id] = p.state;
  for (const auto& [id, g] : state.grants) ix.upsert(g);
  for (const auto& [id, s] : state.suspensions) ix.upsert(s);
  for (const auto& [asset, f] : state.frozen) ix.frozen_[asset] = f;
  return ix;
}

void AccessIndex::upsert(const domain::Grant& g) {
  std::vector<Entry>& v = grants_[g.person][g.target()];
  std::string permit;
  if (auto it = request_permit_.find(g.request); it != request_permit_.end()) permit = it->second;
  for (Entry& e : v) {
    if (e.grant.id == g.id) {
      e.grant = g;
      e.permit = std::move(permit);
      return;
    }
  }
  v.push_back(Entry{g, std::move(permit)});
  ++grant_count_;
}

void AccessIndex::upsert(const domain::Suspension& s) {
  std::vector<domain::Suspension>& v = suspended_[s.subject];
  for (domain::Suspension& x : v) {
    if (x.id == s.id) {
      x = s;
      return;
    }
  }
  v.push_back(s);
}

core::Status AccessIndex::apply(const Event& event) {
  // Reuse the state's reader: it validates the payload and collects the records it carries.
  AccessState delta;
  PW_TRY(apply_event(delta, event));
  for (const auto& [id, r] : delta.requests) request_permit_[id] = r.permit;
  for (const auto& [id, p] : delta.permits) permit_state_[id] = p.state;
  for (const auto& [id, g] : delta.grants) upsert(g);
  for (const auto& [id, s] : delta.suspensions) upsert(s);
  for (const auto& [asset, f] : delta.frozen) frozen_[asset] = f;
  if (event.type == domain::kAccessAssetUnfrozen) {
    auto it = event.payload.find("asset");
    if (it != event.payload.end() && it->is_string()) {
      auto f = frozen_.find(it->get_ref<const std::string&>());
      if (f != frozen_.end()) frozen_.erase(f);
    }
  }
  return core::ok();
}

bool AccessIndex::blocked_by_suspension(const domain::Grant& g, core::Timestamp t,
                                        std::vector<std::string>& reasons) const {
  bool blocked = false;
  auto scan = [&](const std::string& subject, domain::SuspensionScope scope) {
    auto it = suspended_.find(subject);
    if (it == suspended_.end()) return;
    for (const domain::Suspension& s : it->second) {
      if (s.scope != scope || !s.in_force(t) || !s.applies_to(g.mode)) continue;
      blocked = true;
      reasons.push_back("grant " + q(g.id) + ": " +
                        std::string(domain::suspension_scope_name(scope)) + " " + q(subject) +
                        " suspended by " + q(s.id) + " since " + core::format_rfc3339(s.from) +
                        ": " + s.reason);
    }
  };
  scan(g.id, domain::SuspensionScope::kGrant);
  scan(g.person, domain::SuspensionScope::kPerson);
  scan(g.vendor, domain::SuspensionScope::kVendor);
  return blocked;
}

CheckResult AccessIndex::check(std::string_view person, std::string_view target,
                               domain::GrantMode mode, core::Timestamp t) const {
  CheckResult out;
  const std::string mode_name(domain::grant_mode_name(mode));
  auto by_person = grants_.find(person);
  const std::vector<Entry>* entries = nullptr;
  if (by_person != grants_.end()) {
    auto by_target = by_person->second.find(target);
    if (by_target != by_person->second.end()) entries = &by_target->second;
  }
  if (entries == nullptr) {
    out.reasons.push_back("no grant for " + q(person) + " on " + q(target) + " (deny by default)");
    return out;
  }
  if (mode != domain::GrantMode::kServerRoom) {
    if (auto f = frozen_.find(target); f != frozen_.end() && f->second.at <= t) {
      out.reasons.push_back("asset " + q(target) + " frozen since " +
                            core::format_rfc3339(f->second.at) + ": " + f->second.reason);
      return out;
    }
  }
  const Entry* best = nullptr;
  std::vector<std::string> why_not;
  for (const Entry& e : *entries) {
    const domain::Grant& g = e.grant;
    const std::string name = "grant " + q(g.id);
    if (g.mode != mode) {
      why_not.push_back(name + " is for " + std::string(domain::grant_mode_name(g.mode)) +
                        ", not " + mode_name);
      continue;
    }
    // A grant that a command ended still answered for the instants before it ended: the
    // index answers for any time asked, not only now (an auditor's "was this allowed then?").
    if (g.state != domain::GrantState::kActive && !(g.ended_at && t < *g.ended_at)) {
      why_not.push_back(name + " is " + std::string(domain::grant_state_name(g.state)) +
                        (g.ended_at ? " since " + core::format_rfc3339(*g.ended_at) : ""));
      continue;
    }
    if (t < g.window.start) {
      why_not.push_back(name + " starts at " + core::format_rfc3339(g.window.start));
      continue;
    }
    if (!(t < g.window.end)) {
      why_not.push_back(name + " ended at " + core::format_rfc3339(g.window.end));
      continue;
    }
    if (blocked_by_suspension(g, t, why_not)) continue;
    if (!e.permit.empty()) {
      auto p = permit_state_.find(e.permit);
      if (p == permit_state_.end() || p->second == domain::PermitState::kSuspended ||
          p->second == domain::PermitState::kClosed) {
        why_not.push_back(name + ": work permit " + q(e.permit) + " is " +
                          (p == permit_state_.end()
                               ? std::string("unknown")
                               : std::string(domain::permit_state_name(p->second))));
        continue;
      }
    }
    if (best == nullptr || best->grant.window.end < g.window.end) best = &e;
  }
  if (best == nullptr) {
    out.reasons = std::move(why_not);
    if (out.reasons.empty()) out.reasons.push_back("no usable grant (deny by default)");
    return out;
  }
  const domain::Grant& g = best->grant;
  out.allow = true;
  out.grant = g.id;
  out.grant_end = g.window.end;
  out.escorted = g.escorted;
  out.supervised = g.supervised;
  out.recorded = g.recorded;
  out.max_session_minutes = g.max_session_minutes;
  out.reasons.push_back("grant " + q(g.id) + " (" + mode_name + ") valid until " +
                        core::format_rfc3339(g.window.end));
  return out;
}

}  // namespace pw::access
