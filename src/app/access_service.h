#pragma once
// Maintenance-access use cases (issue 5): runs the access engine (access/engine.h) over the
// state the journal's access.* events build, and journals what it decides.
//
// State. The AccessState lives in memory and is caught up from the journal before every use
// (JournalService::scan_events from the last position read), so changes made by other processes
// on the same database are seen. A command is computed on that state, then appended in a journal
// command that first checks the view "access/version" (the number of access events) still
// equals the count the state was computed from; if another change landed in between it is
// refused (failed_precondition: try again), never applied on a stale state.
//
// Context. The vendors' risk levels come from their latest SIGNED-OFF assessments (a draft or
// stale assessment does not count: the engine then treats the vendor as very high, fail
// closed); the conditions per level from the access policy file; the register from its views.
//
// Threads: the service serializes its own use with a mutex; the access check reads a snapshot
// of the index under a shared lock.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <shared_mutex>
#include <string>

#include "access/downtime.h"
#include "access/engine.h"
#include "access/index.h"
#include "app/journal_service.h"
#include "app/register_service.h"
#include "core/clock.h"
#include "core/result.h"

namespace pw::app {

struct AccessConfig {
  std::string access_policy_path = "data/access-policy.toml";
  access::ScreeningRules screening;  // VGB requirements by site or asset (default: VOG everywhere)
};

// What a command did: the engine's decision (every rule, pass or fail) and, when allowed, the
// journal entries it wrote.
struct AccessOutcome {
  access::Decision decision;
  std::vector<Appended> appended;
  std::vector<access::Event> events;
  bool allowed() const { return decision.allowed(); }
};

class AccessService {
 public:
  using EngineCommand =
      std::function<access::Outcome(const access::AccessState&, const access::Context&,
                                    std::string_view actor, core::Timestamp now)>;

  // References are borrowed and must outlive the service.
  AccessService(JournalService& journal, RegisterService& reg, const core::Clock& clock,
                AccessConfig config);

  // Runs one engine command as `person` (a Person::id; journal actor "person:<id>").
  core::Result<AccessOutcome> run(const std::string& person, const EngineCommand& command);

  // The access check for gateways and doors (deny by default).
  core::Result<access::CheckResult> check(const std::string& person, const std::string& target,
                                          domain::GrantMode mode, core::Timestamp at);

  // Runs `f` on the index, caught up once: many checks at one instant (a gateway's heartbeat)
  // for the price of one catch-up. `f` runs under the service's lock: keep it short.
  core::Status with_index(const std::function<void(const access::AccessIndex&)>& f);

  // The grant `id` and its effective state at `at` (access/state.h), or nullopt.
  struct GrantAt {
    domain::Grant grant;
    domain::GrantState state = domain::GrantState::kActive;
  };
  core::Result<std::optional<GrantAt>> grant_at(const std::string& id, core::Timestamp at);

  // The cost of switching a vendor's remote access off (Q10), from the fault history.
  core::Result<access::DowntimeCost> downtime_cost(const std::string& vendor);

  // A copy of the current state (caught up first).
  core::Result<access::AccessState> state();

  // Vendor -> residual risk of its latest signed-off assessment.
  core::Result<access::VendorRisk> vendor_risk();

 private:
  core::Status sync_locked();

  JournalService& journal_;
  RegisterService& register_;
  const core::Clock& clock_;
  AccessConfig config_;

  std::mutex mu_;  // guards everything below
  access::AccessState state_;
  access::AccessIndex index_;
  std::uint64_t read_up_to_ = 0;  // journal position scanned so far
  std::uint64_t events_ = 0;      // access events folded into state_
};

}  // namespace pw::app
