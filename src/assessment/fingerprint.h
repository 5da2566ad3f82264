#pragma once
// Staleness (issue 4: "a change to ownership data, access or mitigations marks the assessment
// stale"). The fingerprint is the SHA-256, in lowercase hex, of the RFC 8785 canonical JSON of
//   {"version": 1, "supplier": ..., "as_of": ...,
//    "ownership": ownership_evidence_to_json or null, "state_bodies": [...],
//    "access": access_evidence_to_json, "mitigations": [{"id", "status", "feasible"}...],
//    "countries": [the profile values the criteria read, per country involved]}
// so it changes exactly when a figure, path, control verdict, gap, access fact, mitigation
// status or country fact the assessment rests on changes; notes, timestamps and who changed a
// status do not count. The evaluation date is part of it: re-evaluating on another day (when a
// screening or an ownership statement may have expired) is a different input. Deterministic:
// the JSON is canonical, the evidence lists have fixed orders.

#include <string>

#include "assessment/evaluate.h"
#include "core/result.h"
#include "domain/assessment.h"
#include "domain/country.h"

namespace pw::assessment {

nlohmann::json fingerprint_document(const Inputs& inputs, const domain::CountryProfiles& countries);
core::Result<std::string> inputs_fingerprint(const Inputs& inputs,
                                             const domain::CountryProfiles& countries);

// True when the assessment's stored fingerprint differs from `current` (an assessment without a
// fingerprint is stale: nothing ties it to its inputs).
bool is_stale(const domain::Assessment& a, std::string_view current);

// Sets the status to stale when is_stale; returns whether it changed anything. A stale draft can
// be refreshed (workflow.h: refresh_draft); a stale signed-off assessment needs a revision.
bool mark_stale_if_changed(domain::Assessment& a, std::string_view current);

}  // namespace pw::assessment
