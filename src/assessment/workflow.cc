#include "assessment/workflow.h"

#include <algorithm>
#include <utility>

namespace pw::assessment {
namespace {

using domain::Assessment;
using domain::AssessmentStatus;

core::Status analyst(const domain::Register& reg, std::string_view person,
                     std::string_view supplier, std::string_view what) {
  const domain::Person* p = reg.person(person);
  if (!p) {
    return core::permission_denied(std::string(person) + " may not " + std::string(what) +
                                   ": not a person in the register");
  }
  if (std::find(p->roles.begin(), p->roles.end(), domain::Role::kAnalyst) == p->roles.end()) {
    return core::permission_denied(std::string(person) + " may not " + std::string(what) +
                                   ": only analysts assess suppliers");
  }
  if (!supplier.empty() && p->organisation == supplier) {
    return core::permission_denied(std::string(person) + " may not " + std::string(what) +
                                   ": employed by the supplier assessed");
  }
  return core::ok();
}

void apply(Assessment& a, const Inputs& in, const Evaluation& ev, std::string fingerprint) {
  std::vector<domain::CriterionResult> fresh = ev.criteria;
  for (domain::CriterionResult& r : fresh) {
    if (const domain::CriterionResult* old = a.result(r.criterion)) {
      r.analyst_answer = old->analyst_answer;
      r.judgement = old->judgement;
      r.judged_by = old->judged_by;
      r.judged_at = old->judged_at;
    }
  }
  a.criteria = std::move(fresh);
  a.as_of = in.as_of;
  a.exposed_channels = ev.exposed_channels;
  a.mitigations = in.mitigations;
  a.inputs_fingerprint = std::move(fingerprint);
  const RiskDerivation d = derive_risk(a);
  a.inherent = d.inherent;
  a.residual = d.residual;
}

}  // namespace

core::Status may_author(const domain::Register& reg, std::string_view person,
                        std::string_view supplier) {
  return analyst(reg, person, supplier, "author an assessment");
}

core::Status may_judge(const domain::Register& reg, const Assessment& a, std::string_view person) {
  PW_TRY(analyst(reg, person, a.supplier, "judge"));
  if (a.status != AssessmentStatus::kDraft) {
    return core::failed_precondition("assessment " + a.id + " is " +
                                     std::string(domain::assessment_status_name(a.status)) +
                                     ": judgements change only in a draft (start a revision)");
  }
  return core::ok();
}

core::Status may_sign_off(const domain::Register& reg, const Assessment& a, std::string_view person,
                          std::string_view current_fingerprint) {
  PW_TRY(analyst(reg, person, a.supplier, "sign off"));
  if (person == a.author) {
    return core::permission_denied(std::string(person) +
                                   " may not sign off: the author cannot sign (four eyes)");
  }
  for (const domain::CriterionResult& r : a.criteria) {
    if (r.judged_by == person) {
      return core::permission_denied(std::string(person) + " may not sign off: judged criterion " +
                                     std::string(domain::criterion_name(r.criterion)) +
                                     " (four eyes)");
    }
  }
  if (a.status != AssessmentStatus::kDraft) {
    return core::failed_precondition("assessment " + a.id + " is " +
                                     std::string(domain::assessment_status_name(a.status)) +
                                     ", not a draft");
  }
  if (a.inputs_fingerprint.empty() || a.inputs_fingerprint != current_fingerprint) {
    return core::failed_precondition("assessment " + a.id +
                                     " is stale: its inputs changed; refresh it first");
  }
  for (domain::Criterion c : domain::kCriteria) {
    const domain::CriterionResult* r = a.result(c);
    if (!r || !r->analyst_answer || r->judgement.empty()) {
      return core::failed_precondition("criterion " + std::string(domain::criterion_name(c)) +
                                       " has no analyst's answer and judgement yet");
    }
  }
  return core::ok();
}

core::Result<Assessment> start_assessment(const domain::Register& reg, const NewAssessment& n,
                                          const Inputs& inputs, const Evaluation& ev,
                                          std::string fingerprint) {
  if (n.id.empty()) return core::invalid_argument("assessment id is empty");
  PW_TRY(may_author(reg, n.author, inputs.supplier));
  Assessment a;
  a.id = n.id;
  a.supplier = inputs.supplier;
  a.author = n.author;
  a.created_at = n.created_at;
  apply(a, inputs, ev, std::move(fingerprint));
  return a;
}

core::Status judge(Assessment& a, const domain::Register& reg, std::string_view person,
                   domain::Criterion criterion, domain::Answer answer, std::string judgement,
                   std::string at) {
  PW_TRY(may_judge(reg, a, person));
  if (judgement.empty()) return core::invalid_argument("judgement: a reason is required");
  domain::CriterionResult* r = a.result(criterion);
  if (!r) return core::internal_error("assessment " + a.id + " lacks criterion results");
  r->analyst_answer = answer;
  r->judgement = std::move(judgement);
  r->judged_by = std::string(person);
  r->judged_at = std::move(at);
  const RiskDerivation d = derive_risk(a);
  a.inherent = d.inherent;
  a.residual = d.residual;
  return core::ok();
}

core::Status sign_off(Assessment& a, const domain::Register& reg, std::string_view person,
                      std::string_view current_fingerprint, std::string at, std::string note) {
  PW_TRY(may_sign_off(reg, a, person, current_fingerprint));
  a.sign_offs.push_back({std::string(person), std::move(at), std::move(note)});
  a.status = AssessmentStatus::kSignedOff;
  return core::ok();
}

core::Status refresh_draft(Assessment& a, const Inputs& inputs, const Evaluation& ev,
                           std::string fingerprint) {
  const bool refreshable = a.status == AssessmentStatus::kDraft ||
                           (a.status == AssessmentStatus::kStale && a.sign_offs.empty());
  if (!refreshable) {
    return core::failed_precondition("assessment " + a.id +
                                     " was signed off: start a revision instead");
  }
  if (inputs.supplier != a.supplier) {
    return core::invalid_argument("inputs are for " + inputs.supplier + ", not " + a.supplier);
  }
  apply(a, inputs, ev, std::move(fingerprint));
  a.status = AssessmentStatus::kDraft;
  return core::ok();
}

core::Result<Assessment> revise(const Assessment& previous, const domain::Register& reg,
                                const NewAssessment& n, const Inputs& inputs, const Evaluation& ev,
                                std::string fingerprint) {
  if (previous.status == AssessmentStatus::kDraft) {
    return core::failed_precondition("assessment " + previous.id +
                                     " is still a draft: edit it instead of revising");
  }
  if (n.id.empty() || n.id == previous.id) {
    return core::invalid_argument("a revision needs a new assessment id");
  }
  if (inputs.supplier != previous.supplier) {
    return core::invalid_argument("inputs are for " + inputs.supplier + ", not " +
                                  previous.supplier);
  }
  PW_TRY(may_author(reg, n.author, previous.supplier));
  Assessment a;
  a.id = n.id;
  a.revision = previous.revision + 1;
  a.supersedes = previous.id;
  a.supplier = previous.supplier;
  a.author = n.author;
  a.created_at = n.created_at;
  a.criteria = previous.criteria;  // carries the analysts' answers into apply()
  apply(a, inputs, ev, std::move(fingerprint));
  return a;
}

}  // namespace pw::assessment
