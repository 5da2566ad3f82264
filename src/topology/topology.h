#pragma once
// Topology checks (DESIGN.md: Fleet and site register, Maintenance access, Remote maintenance;
// issue 4 item 2): the weak spots of a site register, as findings an operator accepts or
// resolves. Pure: no I/O and no clock (the date to judge screenings on is passed in).
//
// Rules (each is documented with its seed question and reasoning in topology.cc):
//   mixed-vendors-room    high    Q11  servers of two or more vendors share one room
//   mixed-vendors-zone    medium  Q11  servers of two or more vendors share one network zone
//   unmediated-path       high    Q9, Q10  a vendor-reachable zone reaches a closed scan zone
//                                      without passing the remote-maintenance gateway
//   unwatched-scanner     medium  Q12  no camera watches a scanner
//   no-remote-policy      high    Q10  a remote-capable asset no remote-access policy covers
//   no-gateway-route      medium  Q10  a remote-capable asset that no vendor-reachable zone
//                                      reaches through a gateway: its remote maintenance takes
//                                      a route the register does not show (or none)
//   screening-missing     high    Q13  a person whose role needs a screening has none in force
//   screening-expired     high    Q13  ... whose last screening has expired
//   screening-expiring    medium  Q13  ... whose screening ends within the horizon
//
// Finding ids (stable): "<rule>:<subject>", where the subject is made only of record ids of the
// register, never of names, counts, dates or positions, so that the same weak spot gets the same
// id in every run, after re-imports and whatever the order of the records; an operator's
// acceptance or resolution (journaled by the app against the id) keeps referring to it.
//   mixed-vendors-room:<room>                     mixed-vendors-zone:<zone>
//   unmediated-path:<vendor-reachable zone>><closed zone>
//   unwatched-scanner:<asset>   no-remote-policy:<asset>   no-gateway-route:<asset>
//   screening-missing:<person>:<kind>             (kind: "vog" or "vgb", the required kind)
//   screening-expired:<person>:<kind>:<screening>
//   screening-expiring:<person>:<kind>:<screening>
// An expired or expiring finding names the screening record whose end opens the gap, so that an
// acceptance ("renewal under way") does not silently carry over to next year's renewal. A
// change of state (expiring -> expired) is a new id on purpose: it is a new, worse fact.
// Record ids are written with '%', ':' and '>' (and control characters and spaces)
// percent-encoded (%25, %3A, %3E, ...), so distinct subjects never share an id; the usual
// slug-like ids ("server-room-1") appear unchanged.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/register.h"

namespace pw::topology {

enum class Severity { kLow, kMedium, kHigh };
// "low", "medium", "high".
std::string_view severity_name(Severity s);
core::Result<Severity> parse_severity(std::string_view s);

struct Finding {
  std::string id;    // stable, see above
  std::string rule;  // e.g. "mixed-vendors-room"
  Severity severity = Severity::kMedium;
  std::string title;   // one line, names the subject
  std::string detail;  // what was found and why it matters, with the records involved
  // The records involved, by table, each sorted by id and without repeats. `vendors` holds the
  // Organisation ids of the suppliers concerned (the assessment's report shows a supplier's
  // findings); `zones` is in path order for unmediated-path, sorted otherwise.
  std::vector<std::string> assets;
  std::vector<std::string> people;
  std::vector<std::string> vendors;
  std::vector<std::string> rooms;
  std::vector<std::string> zones;
  std::vector<std::string> links;  // ZoneLink ids, in path order (unmediated-path)
  std::string suggested_mitigation;
  std::string seed;  // the questions of the source document, e.g. "Q11" or "Q9, Q10"
  friend bool operator==(const Finding&, const Finding&) = default;
};

// One JSON object with every field above (lists may be empty); severity as its name.
nlohmann::json finding_to_json(const Finding& f);
// A JSON array of finding_to_json, in the given order.
nlohmann::json findings_to_json(const std::vector<Finding>& findings);

// Which screening a role needs (Q13: there are no uniform requirements; the customs sets them
// by risk per location and use). A VGB also satisfies a VOG requirement: it follows a deeper
// investigation (by the AIVD) than the certificate of conduct.
struct ScreeningRequirement {
  domain::Role role = domain::Role::kTechnician;
  domain::ScreeningKind kind = domain::ScreeningKind::kVog;
};
// The default: vendor technicians need a VOG (the port's current rule, Q13); customs security
// officers need a VGB (they hold a position of trust: they decide on access and see the
// assessments). Other roles are not checked by default: customs operators and terminal staff are
// screened by their employers under regimes the register does not record.
std::vector<ScreeningRequirement> default_screening_requirements();

struct CheckOptions {
  domain::Date today;
  // A screening that ends within this many days (days_left = expires - today <= horizon) is
  // reported as expiring.
  int screening_horizon_days = 30;
  std::vector<ScreeningRequirement> screening_requirements = default_screening_requirements();
};

// Runs every rule over `reg`. The register need not be valid (validate_register): dangling
// references never crash a check, and are read conservatively (a link whose `via` is not a
// known gateway is unmediated). Returns the findings by severity (high first), then id; the
// result depends only on the register's content, not on the order of its records.
std::vector<Finding> check_topology(const domain::Register& reg, const CheckOptions& options);

}  // namespace pw::topology
