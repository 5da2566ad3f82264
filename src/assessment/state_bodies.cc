#include "assessment/state_bodies.h"

#include <algorithm>
#include <cctype>

namespace pw::assessment {
namespace {

bool same_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::vector<StateBodyMatch> group_state_bodies(domain::OwnershipDataset& dataset,
                                               const domain::CountryProfiles& profiles) {
  std::vector<StateBodyMatch> out;
  for (domain::Entity& e : dataset.entities) {
    if (e.kind != domain::EntityKind::kCompany && e.kind != domain::EntityKind::kUnknown) continue;
    for (const domain::CountryProfile& c : profiles.countries) {
      if (!e.country.empty() && e.country != c.code) continue;
      for (const domain::StateBodyPattern& p : c.state_bodies) {
        std::string matched;
        for (const std::string& n : p.names) {
          if (same_ignoring_case(n, e.name)) matched = "name '" + n + "'";
        }
        for (const domain::Identifier& id : p.identifiers) {
          if (std::find(e.identifiers.begin(), e.identifiers.end(), id) != e.identifiers.end()) {
            matched = "identifier " + id.scheme + ":" + id.value;
          }
        }
        if (matched.empty()) continue;
        e.kind = domain::EntityKind::kStateBody;
        e.country = c.code;
        out.push_back({e.id, e.name, c.code, p.name, std::move(matched), p.basis});
        break;
      }
      if (e.kind == domain::EntityKind::kStateBody) break;
    }
  }
  return out;
}

}  // namespace pw::assessment
