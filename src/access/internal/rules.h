#pragma once
// The rules of the access engine, shared by its commands. Each function appends its Checks to a
// Decision (pass or fail, with the reason) and never stops early. Private to access/.

#include <string>
#include <string_view>
#include <vector>

#include "access/context.h"
#include "access/decision.h"
#include "access/state.h"
#include "domain/access.h"
#include "domain/register.h"

namespace pw::access::internal {

std::string q(std::string_view s);  // 'quoted', for check reasons
bool lists(const std::vector<std::string>& v, std::string_view x);
std::string at(core::Timestamp t);  // RFC 3339
std::string minutes_text(std::int64_t micros);
core::Timestamp day_start(domain::Date d);
bool has_role(const domain::Person& p, domain::Role r);
bool is_customs_staff(const domain::Person& p);  // customs operator or security officer
domain::GrantMode mode_of(domain::RequestKind k);
const domain::Fault* find_fault(const domain::Register& reg, std::string_view id);

// "actor.registered": the actor is a person in the register. nullptr when not.
const domain::Person* actor(Decision& d, const Context& ctx, std::string_view person);
// Records the "<kind>.exists" check of a record looked up by id ("request", "grant", ...);
// returns whether it exists.
template <typename T>
bool exists(Decision& d, const T* record, std::string_view kind, std::string_view id) {
  const std::string label = std::string(kind) + " " + q(id);
  return d.check(record != nullptr, std::string(kind) + ".exists", std::string(id),
                 record != nullptr ? label : label + " does not exist");
}

// actor() and actor_role() for what only customs staff may do (hand-over, revoke, the kill
// switch): the actor is a customs operator or security officer. nullptr when not registered.
const domain::Person* customs_actor(Decision& d, const Context& ctx, std::string_view person);

// "actor.role": the actor holds one of `roles` (described as `what`).
bool actor_role(Decision& d, const domain::Person* p, std::string_view id,
                std::initializer_list<domain::Role> roles, std::string_view what);

// "actor.not_vendor" (or `rule`): the actor is not employed by `vendor` (skipped when vendor is
// empty).
bool actor_not_vendor(Decision& d, const domain::Person* p, std::string_view id,
                      std::string_view vendor, std::string rule = "actor.not_vendor");

// The request's rules at `now` for `window` (the request's, or the one an extension asks):
// vendor, target (asset or room), kind-specific rules (contract window, permit, remote limits,
// room entry), window, freeze and suspensions, and each technician's person rules.
void request_rules(Decision& d, const Context& ctx, const AccessState& s, core::Timestamp now,
                   const domain::AccessRequest& r, const domain::Window& window);

// One person's rules for a request over `window`: registered, role technician, employed by the
// request's vendor, named on the permit (corrective), screening valid for the whole window at
// the level the target requires, not suspended between now and the window's end.
void person_rules(Decision& d, const Context& ctx, const AccessState& s, core::Timestamp now,
                  const domain::AccessRequest& r, std::string_view person,
                  const domain::Window& window);

// "vendor.not_suspended" / "person.not_suspended" / "grant.not_suspended": no suspension of
// `subject` for `mode` is in force at any instant of [max(now, window.start), window.end).
bool not_suspended(Decision& d, const AccessState& s, domain::SuspensionScope scope,
                   std::string_view subject, domain::GrantMode mode, core::Timestamp now,
                   const domain::Window& window);

// "asset.not_frozen"
bool not_frozen(Decision& d, const AccessState& s, std::string_view asset);

// The register's remote-access policy covering an asset (listed, or by vendor with no list).
const domain::RemoteAccessPolicy* remote_policy(const domain::Register& reg,
                                                const domain::Asset& a);

}  // namespace pw::access::internal
