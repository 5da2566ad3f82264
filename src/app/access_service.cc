#include "app/access_service.h"

#include "core/canonical_json.h"
#include "domain/access.h"
#include "domain/assessment.h"
#include "formats/access_policy.h"

namespace pw::app {

AccessService::AccessService(JournalService& journal, RegisterService& reg,
                             const core::Clock& clock, AccessConfig config)
    : journal_(journal), register_(reg), clock_(clock), config_(std::move(config)) {}

core::Status AccessService::sync_locked() {
  PW_ASSIGN_OR_RETURN(
      std::uint64_t size,
      journal_.scan_events(read_up_to_, "access.", [&](const journal::Envelope& e) -> core::Status {
        // Counted (the projector's "access/version" counts every access.* event) but not
        // applied: a certificate changes no access record.
        if (e.type == domain::kAccessGrantCertificateIssued) {
          ++events_;
          return core::ok();
        }
        const access::Event ev{e.type, e.payload};
        if (auto st = access::apply_event(state_, ev); !st) {
          return core::data_loss("journal entry " + std::to_string(e.seq) +
                                 " does not apply to the access state: " + st.error().message());
        }
        PW_TRY(index_.apply(ev));
        ++events_;
        return core::ok();
      }));
  read_up_to_ = size;
  return core::ok();
}

core::Result<access::VendorRisk> AccessService::vendor_risk() {
  access::VendorRisk out;
  PW_ASSIGN_OR_RETURN(auto refs, journal_.list_views("assessment_of"));
  for (const auto& [supplier, doc] : refs) {
    PW_ASSIGN_OR_RETURN(nlohmann::json ref, core::parse_json_strict(doc));
    PW_ASSIGN_OR_RETURN(std::optional<std::string> a,
                        journal_.get_view("assessment", ref.value("latest", "")));
    if (!a) continue;
    PW_ASSIGN_OR_RETURN(nlohmann::json j, core::parse_json_strict(*a));
    PW_ASSIGN_OR_RETURN(domain::Assessment as, domain::assessment_from_json(j));
    if (as.status != domain::AssessmentStatus::kSignedOff) continue;  // fail closed
    out.emplace(supplier, as.residual);
  }
  return out;
}

core::Result<AccessOutcome> AccessService::run(const std::string& person,
                                               const EngineCommand& command) {
  std::lock_guard lock(mu_);
  PW_TRY(sync_locked());
  PW_ASSIGN_OR_RETURN(domain::Register reg, register_.load());
  PW_ASSIGN_OR_RETURN(access::VendorRisk risk, vendor_risk());
  PW_ASSIGN_OR_RETURN(domain::AccessPolicy policy,
                      formats::read_access_policy(config_.access_policy_path));
  const access::Context ctx{reg, risk, policy, config_.screening};
  access::Outcome outcome = command(state_, ctx, person, clock_.now());
  AccessOutcome out;
  if (!outcome) {
    out.decision = std::move(outcome.error());
    return out;
  }
  out.decision = std::move(outcome->decision);
  out.events = outcome->events;
  const std::uint64_t expected = events_;
  PW_ASSIGN_OR_RETURN(
      out.appended,
      journal_.execute([&](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
        PW_ASSIGN_OR_RETURN(std::optional<std::string> v, views.get_view("access", "version"));
        std::uint64_t now_events = 0;
        if (v) {
          PW_ASSIGN_OR_RETURN(nlohmann::json j, core::parse_json_strict(*v));
          now_events = j.value("events", std::uint64_t{0});
        }
        if (now_events != expected) {
          return core::failed_precondition(
              "the access records changed while this decision was made; try again");
        }
        std::vector<EventDraft> drafts;
        for (const auto& e : outcome->events) {
          drafts.push_back(EventDraft{e.type, "person:" + person, e.payload});
        }
        return drafts;
      }));
  // Catch up from the journal (the source of truth) rather than trusting the computed state.
  PW_TRY(sync_locked());
  return out;
}

core::Result<access::CheckResult> AccessService::check(const std::string& person,
                                                       const std::string& target,
                                                       domain::GrantMode mode, core::Timestamp at) {
  std::lock_guard lock(mu_);
  PW_TRY(sync_locked());
  return index_.check(person, target, mode, at);
}

core::Status AccessService::with_index(const std::function<void(const access::AccessIndex&)>& f) {
  std::lock_guard lock(mu_);
  PW_TRY(sync_locked());
  f(index_);
  return core::ok();
}

core::Result<std::optional<AccessService::GrantAt>> AccessService::grant_at(const std::string& id,
                                                                            core::Timestamp at) {
  std::lock_guard lock(mu_);
  PW_TRY(sync_locked());
  const domain::Grant* g = state_.grant(id);
  if (g == nullptr) return std::nullopt;
  return GrantAt{*g, access::effective_state(state_, *g, at)};
}

core::Result<access::DowntimeCost> AccessService::downtime_cost(const std::string& vendor) {
  PW_ASSIGN_OR_RETURN(domain::Register reg, register_.load());
  return access::downtime_cost(reg, vendor, clock_.now());
}

core::Result<access::AccessState> AccessService::state() {
  std::lock_guard lock(mu_);
  PW_TRY(sync_locked());
  return state_;
}

}  // namespace pw::app
