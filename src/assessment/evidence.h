#pragma once
// The facts the assessment rests on, gathered from the ownership engine (criterion 1) and the site
// register (criterion 3a), as plain values with a canonical JSON form (integers and strings only)
// so that they can be fingerprinted (fingerprint.h) and shown as evidence (evaluate.h). Pure: no
// I/O, no clock; the date is passed in.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/assessment.h"
#include "domain/ownership.h"
#include "domain/register.h"
#include "ownership/graph.h"

namespace pw::assessment {

// ---- Ownership evidence (criterion 1) --------------------------------------------------------

// The control rules' verdicts (ownership/control.h) for one controller over the supplier.
struct ControlFinding {
  std::string controller;  // Entity::id
  std::string controller_name;
  std::string country;                    // the controller's country (empty when unknown)
  std::string controls;                   // "yes", "possible", "no" at the first threshold (50%)
  std::vector<std::string> concluded_by;  // rule names saying yes, e.g. "majority chain"
  domain::Figure economic;                // integrated ownership, bp
  domain::Figure weakest_link;            // bp
  std::vector<std::string> majority;      // per threshold, "majority chain (>50%): no"
  std::string declared;                   // "yes", "possible", "no"
  std::vector<std::string> disagreements;
  std::string summary;  // "economic 15.96%, weakest link 21%, no majority chain (>50%), ..."
  domain::OwnershipPath weakest_chain;
  friend bool operator==(const ControlFinding&, const ControlFinding&) = default;
};

// One country's state (its state entity and state bodies as one owner) and the supplier.
struct StateFinding {
  std::string country;      // ISO code; the group key (an entity id) when the country is unknown
  domain::Figure exposure;  // label "CN state", text "15.96% (exact)", bp bounds
  bool exact = false;       // one figure, not a range
  bool known = true;        // false: an unknown share lies on a contributing path
  bool supplier_is_member = false;  // the supplier is itself a body of this state
  // The strongest control answer of the state's bodies over the supplier (by verdict, then
  // weakest link). Control is judged per body: votes of two bodies are not added together
  // (a limit of ownership::control, which takes one controller).
  std::optional<ControlFinding> control;
  std::vector<domain::OwnershipPath> paths;  // the chains carrying the figure, best first
  friend bool operator==(const StateFinding&, const StateFinding&) = default;
};

struct OwnershipEvidence {
  std::string supplier;  // Entity::id
  std::string supplier_name;
  std::string supplier_country;
  std::string supplier_kind;         // domain::entity_kind_name
  std::string as_of;                 // the graph's date, "YYYY-MM-DD"; empty when undated
  std::vector<StateFinding> states;  // every state with a possible exposure, largest first
  // Owners on the supplier's explaining chains that are not states, with what the control rules
  // say about them (criterion 1: "under control of a party from a country ..."). Only those with
  // control "yes" or "possible", or a majority at a lower threshold, are kept.
  std::vector<ControlFinding> controllers;
  std::vector<std::string> gaps;  // "unknown share: A -> B", "undisclosed: 24% of Nuctech", ...
  friend bool operator==(const OwnershipEvidence&, const OwnershipEvidence&) = default;
};

// Computes the evidence for `supplier` over `graph` (built for the assessment's date; see
// state_bodies.h for grouping state-owned enterprises with their state first). At most
// `max_paths` chains per state and `max_candidates` upstream owners are examined for control.
struct OwnershipEvidenceOptions {
  int max_paths = 3;
  int max_candidates = 24;
};
core::Result<OwnershipEvidence> ownership_evidence(const ownership::Graph& graph,
                                                   ownership::NodeId supplier,
                                                   const OwnershipEvidenceOptions& options = {});
nlohmann::json ownership_evidence_to_json(const OwnershipEvidence& e);

// ---- Access evidence (criterion 3a) ----------------------------------------------------------

struct PolicyView {
  std::string id;
  bool supervised = true;
  bool recorded = true;
  std::int64_t max_session_minutes = 0;
  std::string gateway;
  std::vector<std::string> assets;  // the supplier's assets it covers
  friend bool operator==(const PolicyView&, const PolicyView&) = default;
};

// What the register says about the supplier's reach. Assumptions (the register cannot tell
// more): every asset whose `vendor` is the supplier is maintained by the supplier; an asset in a
// room of kind server_room means the supplier's technicians need server-room entry; every other
// asset of the supplier is maintained on site, and on-site work is unescorted (Q12: "Monteurs
// hebben zelfstandig toegang tot de scanapparatuur") unless the mitigation "onsite-escort" is
// implemented; the supplier updates the software of all its assets (Q15).
struct AccessEvidence {
  std::string supplier;  // Organisation::id
  bool in_register = false;
  std::vector<std::string> assets;             // ids, register order
  std::int64_t high = 0, medium = 0, low = 0;  // by criticality
  std::vector<std::string> scanners;
  std::vector<std::string> remote_capable;
  std::vector<std::string> remote_into_closed;  // remote-capable and in a closed_scan zone
  std::vector<std::string> vendor_reachable;    // in a zone the vendor reaches without a gateway
  std::vector<std::string> remote_without_policy;
  std::vector<PolicyView> policies;
  std::vector<std::string> server_room_assets;
  std::vector<std::string> server_rooms;         // room ids
  std::vector<std::string> shared_server_rooms;  // rooms also holding other vendors' assets
  std::vector<std::string> on_site_assets;       // maintained on site, outside server rooms
  std::vector<std::string> unwatched_scanners;   // scanners no camera watches (Q12)
  std::int64_t technicians = 0;
  std::int64_t technicians_screened = 0;        // with a screening valid on the date
  std::int64_t technicians_vgb = 0;             // with a valid VGB
  std::vector<domain::AccessChannel> channels;  // the channels this exposes, in enum order
  friend bool operator==(const AccessEvidence&, const AccessEvidence&) = default;
};

// Reads the register for `supplier` (an Organisation::id) on `as_of` (for screening validity).
// A supplier not in the register gives in_register == false and no channels.
AccessEvidence access_evidence(const domain::Register& reg, std::string_view supplier,
                               domain::Date as_of);
nlohmann::json access_evidence_to_json(const AccessEvidence& e);

}  // namespace pw::assessment
