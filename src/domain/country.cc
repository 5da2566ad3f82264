#include "domain/country.h"

#include <array>
#include <utility>

#include "domain/internal/enum_names.h"

namespace pw::domain {
namespace {

using internal::name_of;
using internal::parse_of;

constexpr std::array<std::pair<Confidence, std::string_view>, 3> kConfidence{{
    {Confidence::kHigh, "high"},
    {Confidence::kMedium, "medium"},
    {Confidence::kLow, "low"},
}};
constexpr std::array<std::pair<CooperationLaw, std::string_view>, 4> kLaw{{
    {CooperationLaw::kGeneral, "general"},
    {CooperationLaw::kSectoral, "sectoral"},
    {CooperationLaw::kNone, "none"},
    {CooperationLaw::kUnknown, "unknown"},
}};
constexpr std::array<std::pair<ThreatFinding, std::string_view>, 3> kFinding{{
    {ThreatFinding::kNamed, "named"},
    {ThreatFinding::kNotNamed, "not_named"},
    {ThreatFinding::kUnknown, "unknown"},
}};
constexpr std::array<std::pair<Relations, std::string_view>, 4> kRelations{{
    {Relations::kAllied, "allied"},
    {Relations::kNormal, "normal"},
    {Relations::kTense, "tense"},
    {Relations::kUnknown, "unknown"},
}};

}  // namespace

std::string_view confidence_name(Confidence c) {
  return name_of(kConfidence, c);
}
core::Result<Confidence> parse_confidence(std::string_view s) {
  return parse_of(kConfidence, s);
}
std::string_view cooperation_law_name(CooperationLaw c) {
  return name_of(kLaw, c);
}
core::Result<CooperationLaw> parse_cooperation_law(std::string_view s) {
  return parse_of(kLaw, s);
}
std::string_view threat_finding_name(ThreatFinding t) {
  return name_of(kFinding, t);
}
core::Result<ThreatFinding> parse_threat_finding(std::string_view s) {
  return parse_of(kFinding, s);
}
std::string_view relations_name(Relations r) {
  return name_of(kRelations, r);
}
core::Result<Relations> parse_relations(std::string_view s) {
  return parse_of(kRelations, s);
}

const CountryProfile* CountryProfiles::find(std::string_view code) const {
  for (const CountryProfile& c : countries) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

}  // namespace pw::domain
