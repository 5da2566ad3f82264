#pragma once
// The life of an assessment and the four-eyes rules (issue 4: "an assessment is a draft until a
// second analyst signs it off; the author cannot sign"). Pure: every timestamp is passed in (RFC
// 3339 text); the app journals each step (docs/ASSESSMENT.md lists the event payloads).
//
// Who may do what (each check returns permission_denied or failed_precondition with the reason):
//  - author (start or revise): a person in the register with the role analyst, not employed by
//    the supplier assessed. A technician, operator or auditor cannot assess.
//  - judge (give the analyst's answer and reasoning for a criterion): the same, while the
//    assessment is a draft. After sign-off every edit is refused: revise() starts a new draft.
//  - sign off: an analyst, not employed by the supplier, who is not the author and has judged no
//    criterion of this assessment (the second pair of eyes must not review their own work);
//    the assessment must be a draft whose inputs are current, with an analyst's answer and a
//    judgement text for every criterion. Sign-off moves draft -> signed_off.
//
// States: draft --sign_off--> signed_off; draft or signed_off --inputs changed--> stale
// (fingerprint.h); a stale draft --refresh_draft--> draft (judgements kept, evidence renewed);
// a signed-off or stale assessment --revise--> a new draft (revision + 1, `supersedes` set).

#include <string>
#include <string_view>

#include "assessment/evaluate.h"
#include "core/result.h"
#include "domain/assessment.h"
#include "domain/register.h"

namespace pw::assessment {

core::Status may_author(const domain::Register& reg, std::string_view person,
                        std::string_view supplier);
core::Status may_judge(const domain::Register& reg, const domain::Assessment& a,
                       std::string_view person);
core::Status may_sign_off(const domain::Register& reg, const domain::Assessment& a,
                          std::string_view person, std::string_view current_fingerprint);

struct NewAssessment {
  std::string id;
  std::string author;      // Person::id
  std::string created_at;  // RFC 3339
};

// A new draft from an evaluation of `inputs`, with `fingerprint` = inputs_fingerprint(inputs).
core::Result<domain::Assessment> start_assessment(const domain::Register& reg,
                                                  const NewAssessment& n, const Inputs& inputs,
                                                  const Evaluation& ev, std::string fingerprint);

// Records the analyst's answer and reasoning for one criterion and re-derives the risk.
// The judgement text must not be empty.
core::Status judge(domain::Assessment& a, const domain::Register& reg, std::string_view person,
                   domain::Criterion criterion, domain::Answer answer, std::string judgement,
                   std::string at);

core::Status sign_off(domain::Assessment& a, const domain::Register& reg, std::string_view person,
                      std::string_view current_fingerprint, std::string at, std::string note = "");

// Renews the evidence, suggestions, channels, mitigation snapshot, risk and fingerprint of a draft
// (or a stale assessment never signed off), keeping the analysts' answers; status becomes draft.
core::Status refresh_draft(domain::Assessment& a, const Inputs& inputs, const Evaluation& ev,
                           std::string fingerprint);

// A new draft revising `previous` (signed off, or stale), evaluated afresh; the analysts' answers
// and judgements are carried over as the starting point.
core::Result<domain::Assessment> revise(const domain::Assessment& previous,
                                        const domain::Register& reg, const NewAssessment& n,
                                        const Inputs& inputs, const Evaluation& ev,
                                        std::string fingerprint);

}  // namespace pw::assessment
