#include "assessment/evaluate.h"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "assessment/internal/criteria.h"

namespace pw::assessment {
namespace {

using namespace internal;  // NOLINT(google-build-using-namespace): the engine's own helpers

int threat_score(Answer a) {
  switch (a) {
    case Answer::kYes:
      return 2;
    case Answer::kNo:
      return 0;
    case Answer::kPartly:
    case Answer::kUnknown:
      return 1;
  }
  return 1;
}

constexpr std::array<std::array<RiskLevel, 3>, 3> kMatrix{{
    {RiskLevel::kLow, RiskLevel::kLow, RiskLevel::kMedium},
    {RiskLevel::kLow, RiskLevel::kMedium, RiskLevel::kHigh},
    {RiskLevel::kMedium, RiskLevel::kHigh, RiskLevel::kVeryHigh},
}};
constexpr std::array<std::string_view, 3> kThreatNames{"none", "moderate", "strong"};
constexpr std::array<std::string_view, 3> kAccessNames{"none", "limited", "extensive"};

}  // namespace

RiskDerivation derive_risk(Answer c1, Answer c2, Answer c3a,
                           std::span<const AccessChannel> channels,
                           std::span<const MitigationState> mitigations) {
  RiskDerivation d;
  const int t = threat_score(c1) + threat_score(c2);
  const int threat = t == 0 ? 0 : t <= 2 ? 1 : 2;
  const int access = c3a == Answer::kYes ? 2 : c3a == Answer::kNo ? 0 : 1;
  d.inherent = kMatrix[threat][access];
  d.reasons.push_back("threat " + std::string(kThreatNames[threat]) + ": criterion 1 " +
                      std::string(domain::answer_name(c1)) + ", criterion 2 " +
                      std::string(domain::answer_name(c2)) + " (score " + std::to_string(t) +
                      " of 4)");
  d.reasons.push_back("access " + std::string(kAccessNames[access]) + ": criterion 3a " +
                      std::string(domain::answer_name(c3a)));
  d.reasons.push_back("inherent " + std::string(domain::risk_level_name(d.inherent)));

  std::vector<std::string> unmitigated, unverified;
  for (AccessChannel c : channels) {
    if (c == AccessChannel::kAssurance) continue;
    const std::string name(domain::access_channel_name(c));
    if (!channel_has(c, mitigations, MitigationStatus::kImplemented)) unmitigated.push_back(name);
    if (!channel_has(c, mitigations, MitigationStatus::kVerified)) unverified.push_back(name);
  }
  const bool audit_verified =
      at_least(state_of(mitigations, "external-audit"), MitigationStatus::kVerified);
  int steps = 0;
  if (channels.empty()) {
    d.reasons.push_back("residual not lowered: no access channel is exposed");
  } else if (!unmitigated.empty()) {
    d.reasons.push_back("residual not lowered: no implemented or verified measure for " +
                        join(unmitigated));
  } else if (!unverified.empty() || !audit_verified) {
    steps = 1;
    d.reasons.push_back(
        "access lowered one step: every exposed channel has an implemented measure" +
        std::string(unverified.empty() ? "" : "; not verified: " + join(unverified)) +
        (audit_verified ? "" : "; external audit not verified"));
  } else {
    steps = 2;
    d.reasons.push_back(
        "access lowered two steps: every exposed channel has a verified measure "
        "and the external audit is verified");
  }
  d.residual = kMatrix[threat][std::max(0, access - steps)];
  d.reasons.push_back("residual " + std::string(domain::risk_level_name(d.residual)));
  return d;
}

RiskDerivation derive_risk(const domain::Assessment& a) {
  auto answer = [&](Criterion c) {
    const CriterionResult* r = a.result(c);
    return r ? r->effective() : Answer::kUnknown;
  };
  return derive_risk(answer(Criterion::k1), answer(Criterion::k2), answer(Criterion::k3a),
                     a.exposed_channels, a.mitigations);
}

Evaluation evaluate(const Inputs& in, const domain::CountryProfiles& countries) {
  const SourceRef register_source{"site register", "organisation " + in.supplier, in.as_of};
  const SourceRef ownership_source{
      "ownership data", in.ownership ? "entity " + in.ownership->supplier : "", in.as_of};
  Evaluation ev;
  ev.criteria.push_back(criterion_1(in, countries, register_source, ownership_source));
  ev.criteria.push_back(criterion_2(in, countries));
  ev.criteria.push_back(criterion_3a(in, register_source));
  const SourceRef mitigation_source{"mitigation statuses", "supplier " + in.supplier, in.as_of};
  ev.criteria.push_back(criterion_3b(in, ev.criteria[2].suggested, mitigation_source));
  ev.exposed_channels = in.access.channels;
  ev.risk = derive_risk(ev.criteria[0].suggested, ev.criteria[1].suggested,
                        ev.criteria[2].suggested, ev.exposed_channels, in.mitigations);
  return ev;
}

core::Result<Inputs> gather_inputs(const domain::Register& reg, std::string_view supplier,
                                   const ownership::Graph* graph,
                                   std::vector<StateBodyMatch> state_bodies,
                                   std::vector<MitigationState> mitigations, domain::Date as_of) {
  const domain::Organisation* org = reg.organisation(supplier);
  if (!org)
    return core::not_found("no organisation '" + std::string(supplier) + "' in the register");
  Inputs in;
  in.supplier = org->id;
  in.supplier_name = org->name.empty() ? org->id : org->name;
  in.origin_country = org->country;
  in.as_of = as_of;
  if (graph) {
    std::optional<ownership::NodeId> node;
    if (!org->ownership_entity.empty()) {
      auto n = graph->find(org->ownership_entity);
      if (!n) {
        return std::unexpected(
            n.error().with_context("organisation " + org->id + " ownership_entity"));
      }
      node = *n;
    } else {
      for (const domain::Identifier& id : org->identifiers) {
        auto n = graph->find_by_identifier(id.scheme, id.value);
        if (n) {
          node = *n;
          break;
        }
      }
    }
    if (node) {
      PW_ASSIGN_OR_RETURN(in.ownership, ownership_evidence(*graph, *node));
      if (in.origin_country.empty()) in.origin_country = in.ownership->supplier_country;
    }
  }
  // Only the matches the evidence mentions: a register may group thousands of bodies.
  std::set<std::string> mentioned;
  if (in.ownership) {
    auto add_path = [&](const domain::OwnershipPath& p) {
      for (const domain::PathLink& l : p.links) {
        mentioned.insert(l.owner);
        mentioned.insert(l.owned);
      }
    };
    mentioned.insert(in.ownership->supplier);
    for (const StateFinding& s : in.ownership->states) {
      for (const auto& p : s.paths) add_path(p);
      if (s.control) {
        mentioned.insert(s.control->controller);
        add_path(s.control->weakest_chain);
      }
    }
    for (const ControlFinding& c : in.ownership->controllers) add_path(c.weakest_chain);
  }
  for (StateBodyMatch& m : state_bodies) {
    if (mentioned.count(m.entity)) in.state_bodies.push_back(std::move(m));
  }
  in.access = access_evidence(reg, org->id, as_of);

  // One status per catalogue id, in catalogue order (so the fingerprint does not depend on the
  // order the app stored them in).
  for (const MitigationState& m : mitigations) {
    if (!domain::find_mitigation(m.id)) {
      return core::invalid_argument("mitigation '" + m.id + "' is not in the catalogue");
    }
  }
  for (const domain::MitigationDef& d : domain::mitigation_catalogue()) {
    const MitigationState* found = nullptr;
    for (const MitigationState& m : mitigations) {
      if (m.id != d.id) continue;
      if (found) return core::invalid_argument("mitigation '" + m.id + "' given twice");
      found = &m;
    }
    if (found) in.mitigations.push_back(*found);
  }
  return in;
}

}  // namespace pw::assessment
