#pragma once
// The assessment engine (DESIGN.md: Supplier national-security assessment; seed Q5-Q7): the
// cabinet's criteria of Q6 evaluated for one supplier, case by case, from the ownership evidence,
// the country profiles, the register and the mitigation statuses. The engine only suggests an
// answer per criterion, with the evidence and the rule that gave it; the analyst answers
// (workflow.h), and the risk follows the effective answers (the analyst's where given).
// Pure: no I/O, no clock. Criterion wording: domain::criterion_wording.
//
// Suggested answers (first matching rule wins; the rule id is stored with the answer):
//
//  Criterion 1 (cooperation law or state ownership)
//   1.state-company   yes      the supplier is a body of a state, a state's exposure is certainly
//                              above 50%, or a state's body controls it (control "yes")
//   1.origin-law      yes      the origin country's profile has a general cooperation law
//   1.control-law     yes      an owner that controls the supplier (control "yes") is from a
//                              country with a general cooperation law
//   1.possible-control partly  a state body or an owner from a general-law country possibly
//                              controls it ("possible"), or holds a majority chain at a lower
//                              threshold (25%, 20%: a blocking or significant minority)
//   1.no-origin       unknown  the origin country is not known or has no profile, or its law is
//                              "unknown"
//   1.no-ownership    unknown  no ownership data for the supplier (control cannot be excluded)
//   1.none            no       otherwise (sectoral laws, e.g. lawful-interception duties of
//                              telecom providers, are shown as evidence but do not count)
//
//  Criterion 2 (offensive intelligence programme or tense relations; the wording is origin)
//   2.no-origin       unknown  the origin country is not known or has no profile
//   2.named           yes      a Dutch public threat assessment names the origin country
//                              (confidence high or medium)
//   2.tense           yes      relations with the origin country are tense
//   2.weakly-named    partly   named, but the profile's confidence is low
//   2.controller      partly   a state exposed to, or a party controlling, the supplier is from
//                              a named or tense country (origin does not match, control does)
//   2.not-established unknown  finding or relations unknown
//   2.none            no       otherwise
//
//  Criterion 3a (extensive access), from AccessEvidence
//   3a.not-in-register unknown the supplier is not in the register
//   3a.extensive      yes      remote maintenance into a closed_scan zone, an asset in a zone the
//                              vendor reaches without the gateway, server-room entry together
//                              with a high-criticality asset, or 3 or more high-criticality assets
//   3a.limited        partly   any remote capability, server-room entry, or an asset of medium
//                              or high criticality
//   3a.none           no       otherwise (no assets, or low-criticality assets only)
//
//  Criterion 3b (mitigations possible and feasible). A channel of 3a is covered when one of its
//  catalogue measures is feasible and planned, implemented or verified.
//   3b.no-access      yes      3a found no channel: nothing to mitigate
//   3b.not-in-register unknown 3a is unknown
//   3b.infeasible     no       a channel has every catalogue measure marked infeasible
//   3b.covered        yes      every exposed channel is covered
//   3b.some-covered   partly   some exposed channels are covered
//   3b.none-committed unknown  no measure is planned or further: feasibility not established
//
// Risk (domain::RiskLevel, an ordinal scale). Unknown is never read as "no":
//   threat score T = s(1) + s(2), s(yes) = 2, s(partly) = s(unknown) = 1, s(no) = 0;
//   threat: none (T = 0), moderate (T = 1 or 2), strong (T >= 3);
//   access from 3a: extensive (yes), limited (partly or unknown), none (no).
//
//                      access none   access limited   access extensive
//     threat none        low            low              medium
//     threat moderate    low            medium           high
//     threat strong      medium         high             very_high
//
//   Inherent risk: the table at the 3a access.
//   Residual risk: the table at the access lowered by
//     one step  when every exposed channel has a feasible measure implemented or verified;
//     two steps when, moreover, every exposed channel has a verified measure and the external
//               audit ("external-audit") is verified.
//   Planned measures never lower the risk. The floor is the threat's row at access "none": a
//   strong threat stays at least medium whatever is mitigated.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "assessment/evidence.h"
#include "assessment/state_bodies.h"
#include "core/result.h"
#include "domain/assessment.h"
#include "domain/country.h"
#include "domain/register.h"
#include "ownership/graph.h"

namespace pw::assessment {

// Everything an evaluation reads. Built by gather_inputs (or by hand in tests); the fingerprint
// (fingerprint.h) is computed over it, so two equal Inputs give the same assessment.
struct Inputs {
  std::string supplier;        // Organisation::id
  std::string supplier_name;   // from the register
  std::string origin_country;  // the register's country, else the ownership entity's
  domain::Date as_of;
  std::optional<OwnershipEvidence> ownership;  // absent: no ownership data for the supplier
  std::vector<StateBodyMatch> state_bodies;    // entities grouped with their state
  AccessEvidence access;
  std::vector<domain::MitigationState> mitigations;  // current statuses for this supplier
};

// Gathers the inputs for `supplier` (an Organisation::id in `reg`). `graph` is the ownership
// graph built for `as_of` after group_state_bodies (whose matches are passed in
// `state_bodies`); nullptr when there is no ownership data. The supplier is found in the graph by
// its Organisation::ownership_entity (an Entity::id, else tried as "scheme:value" or a name),
// then by its identifiers. not_found when the supplier is not in the register; an
// ownership_entity the graph does not hold is an error too (a broken link, not a missing fact).
core::Result<Inputs> gather_inputs(const domain::Register& reg, std::string_view supplier,
                                   const ownership::Graph* graph,
                                   std::vector<StateBodyMatch> state_bodies,
                                   std::vector<domain::MitigationState> mitigations,
                                   domain::Date as_of);

struct RiskDerivation {
  domain::RiskLevel inherent = domain::RiskLevel::kVeryHigh;
  domain::RiskLevel residual = domain::RiskLevel::kVeryHigh;
  std::vector<std::string> reasons;  // how both were reached, one line each
};

// The risk rules above, from the four effective answers, the exposed channels and the statuses.
RiskDerivation derive_risk(domain::Answer c1, domain::Answer c2, domain::Answer c3a,
                           std::span<const domain::AccessChannel> channels,
                           std::span<const domain::MitigationState> mitigations);
RiskDerivation derive_risk(const domain::Assessment& a);

struct Evaluation {
  std::vector<domain::CriterionResult> criteria;  // one per criterion, kCriteria order
  std::vector<domain::AccessChannel> exposed_channels;
  RiskDerivation risk;  // from the suggested answers
};

// Suggests an answer per criterion with its evidence. Sources of register- and ownership-derived
// evidence are dated `inputs.as_of`.
Evaluation evaluate(const Inputs& inputs, const domain::CountryProfiles& countries);

}  // namespace pw::assessment
