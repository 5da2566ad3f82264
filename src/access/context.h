#pragma once
// What the access engine decides with besides its own state: the site register, the vendors'
// risk levels (from their signed-off assessments), the access policy per risk level and the
// screening each site or asset requires. Borrowed: a Context holds references, so everything it
// refers to must outlive it (build one per command on the caller's stack).

#include <map>
#include <string>
#include <string_view>

#include "domain/access_policy.h"
#include "domain/assessment.h"
#include "domain/register.h"

namespace pw::access {

// Vendor Organisation::id -> the residual risk level of its current assessment.
using VendorRisk = std::map<std::string, domain::RiskLevel, std::less<>>;

// The screening level a maintenance visit requires (Q13: "there are no uniform requirements ...
// on the basis of location and application the restrictions are set by risk"). A VOG is the
// default everywhere (the port, seed Q13); a VGB is required where configured for an asset, for
// its site or for any site above it (a port configured VGB covers its terminals). A VGB
// satisfies a VOG requirement; a VOG never satisfies a VGB requirement.
struct ScreeningRules {
  std::map<std::string, domain::ScreeningKind, std::less<>> by_site;   // Site::id
  std::map<std::string, domain::ScreeningKind, std::less<>> by_asset;  // Asset::id
};

struct Context {
  const domain::Register& reg;
  const VendorRisk& vendor_risk;
  const domain::AccessPolicy& policy;
  const ScreeningRules& screening;

  // A vendor without an assessment is treated as very_high: fail closed (an unassessed supplier
  // gets the strictest conditions, never the loosest).
  domain::RiskLevel risk_of(std::string_view vendor) const {
    auto it = vendor_risk.find(vendor);
    return it == vendor_risk.end() ? domain::RiskLevel::kVeryHigh : it->second;
  }
  bool assessed(std::string_view vendor) const { return vendor_risk.contains(vendor); }
  const domain::AccessConditions& conditions(std::string_view vendor) const {
    return policy.for_level(risk_of(vendor));
  }
};

}  // namespace pw::access
