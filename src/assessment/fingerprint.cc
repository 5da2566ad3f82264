#include "assessment/fingerprint.h"

#include <set>

#include "core/bytes.h"
#include "core/canonical_json.h"
#include "core/crypto.h"

namespace pw::assessment {
namespace {

nlohmann::json country_facts(const domain::CountryProfile& p) {
  nlohmann::json bodies = nlohmann::json::array();
  for (const domain::StateBodyPattern& b : p.state_bodies) bodies.push_back(b.name);
  return {{"code", p.code},
          {"cooperation_law", domain::cooperation_law_name(p.cooperation_law.scope)},
          {"law", p.cooperation_law.law},
          {"article", p.cooperation_law.article},
          {"law_confidence", domain::confidence_name(p.cooperation_law.basis.confidence)},
          {"offensive_programme", domain::threat_finding_name(p.offensive_programme.finding)},
          {"programme_confidence", domain::confidence_name(p.offensive_programme.basis.confidence)},
          {"relations", domain::relations_name(p.relations.value)}};
}

}  // namespace

nlohmann::json fingerprint_document(const Inputs& in, const domain::CountryProfiles& countries) {
  nlohmann::json bodies = nlohmann::json::array();
  for (const StateBodyMatch& m : in.state_bodies) {
    bodies.push_back({{"entity", m.entity}, {"country", m.country}, {"matched", m.matched}});
  }
  nlohmann::json mitigations = nlohmann::json::array();
  for (const domain::MitigationState& m : in.mitigations) {
    mitigations.push_back({{"id", m.id},
                           {"status", domain::mitigation_status_name(m.status)},
                           {"feasible", m.feasible}});
  }
  // The countries the criteria read: origin, exposed states, controllers' countries.
  std::set<std::string> codes;
  if (!in.origin_country.empty()) codes.insert(in.origin_country);
  if (in.ownership) {
    for (const StateFinding& s : in.ownership->states) codes.insert(s.country);
    for (const ControlFinding& c : in.ownership->controllers) {
      if (!c.country.empty()) codes.insert(c.country);
    }
  }
  nlohmann::json facts = nlohmann::json::array();
  for (const std::string& code : codes) {
    const domain::CountryProfile* p = countries.find(code);
    facts.push_back(p ? country_facts(*p) : nlohmann::json{{"code", code}, {"profile", false}});
  }
  return {
      {"version", 1},
      {"supplier", in.supplier},
      {"as_of", domain::format_date(in.as_of)},
      {"ownership", in.ownership ? ownership_evidence_to_json(*in.ownership) : nlohmann::json()},
      {"state_bodies", std::move(bodies)},
      {"access", access_evidence_to_json(in.access)},
      {"mitigations", std::move(mitigations)},
      {"countries", std::move(facts)}};
}

core::Result<std::string> inputs_fingerprint(const Inputs& in,
                                             const domain::CountryProfiles& countries) {
  PW_ASSIGN_OR_RETURN(const std::string text,
                      core::canonical_dump(fingerprint_document(in, countries)));
  return core::to_hex(core::sha256(text));
}

bool is_stale(const domain::Assessment& a, std::string_view current) {
  return a.inputs_fingerprint.empty() || a.inputs_fingerprint != current;
}

bool mark_stale_if_changed(domain::Assessment& a, std::string_view current) {
  if (!is_stale(a, current) || a.status == domain::AssessmentStatus::kStale) return false;
  a.status = domain::AssessmentStatus::kStale;
  return true;
}

}  // namespace pw::assessment
