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
//
// Changes: after a command's events are journaled, changes() notifies its subscribers (on the
// thread that ran the command), so that waiters on the access feed learn of it at once.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <shared_mutex>
#include <string>

#include "access/downtime.h"
#include "access/engine.h"
#include "access/index.h"
#include "app/change_notifier.h"
#include "app/journal_service.h"
#include "app/register_service.h"
#include "core/clock.h"
#include "core/result.h"

namespace pw::app {

struct AccessConfig {
  std::string access_policy_path = "data/access-policy.toml";
  access::ScreeningRules screening;  // VGB requirements by site or asset (default: VOG everywhere)
};

// The version of an access record, for safe concurrent edits (409 on a stale version): the
// journal position (seq) of the last event that changed it. Keys are "<kind>/<id>" with kind
// permit, request, grant, suspension or freeze (id: the asset); access_record_key() builds one.
// A record no event has touched has no key (version 0).
using AccessVersions = std::map<std::string, std::uint64_t, std::less<>>;
std::string access_record_key(std::string_view kind, std::string_view id);

// A consistent copy of the state and of every record's version.
struct AccessSnapshot {
  access::AccessState state;
  AccessVersions versions;
  std::uint64_t version_of(std::string_view key) const;
};

// The version a command expects one record to be at (the client's If-Match). Checked under the
// service's lock, against the state the command is computed on, so no change can slip between
// the check and the command.
struct Precondition {
  std::string record;  // access_record_key()
  std::uint64_t version = 0;
};

// What a command did: the engine's decision (every rule, pass or fail) and, when allowed, the
// journal entries it wrote and the versions, after it, of the records its events carry.
struct AccessOutcome {
  access::Decision decision;
  std::vector<Appended> appended;
  std::vector<access::Event> events;
  AccessVersions versions;
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

  // Runs one engine command as `person` (a Person::id; journal actor "person:<id>"). With a
  // precondition whose version is not the record's current one, nothing runs and the answer is
  // failed_precondition ("stale version: ... is at version N, not M").
  core::Result<AccessOutcome> run(const std::string& person, const EngineCommand& command,
                                  const std::optional<Precondition>& expect = std::nullopt);

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
  // The state and the versions of its records, caught up first.
  core::Result<AccessSnapshot> snapshot();

  // Vendor -> residual risk of its latest signed-off assessment.
  core::Result<access::VendorRisk> vendor_risk();

  // Notified after every command that journaled access events (see "Changes" above).
  ChangeNotifier& changes() { return changes_; }

 private:
  core::Status sync_locked();

  JournalService& journal_;
  RegisterService& register_;
  const core::Clock& clock_;
  AccessConfig config_;
  ChangeNotifier changes_;  // thread-safe on its own; not guarded by mu_

  std::mutex mu_;  // guards everything below
  access::AccessState state_;
  access::AccessIndex index_;
  std::uint64_t read_up_to_ = 0;  // journal position scanned so far
  std::uint64_t events_ = 0;      // access events folded into state_
  AccessVersions versions_;       // of every record an event of state_ carried
};

}  // namespace pw::app
