#pragma once
// Supplier assessment use cases (issue 4 items 4 and 5): drafting an assessment on the cabinet's
// criteria (Q6) from the register, the ownership data and the country profiles; analysts'
// judgements; mitigation statuses; four-eyes sign-off; staleness; the report.
//
// Journal events (payloads are canonical JSON, docs/ASSESSMENT.md):
//   assessment.created / .judged / .signed_off / .stale / .refreshed / .revised
//       {"assessment": the whole assessment after the change, ...}; the view "assessment/<id>"
//       holds it and "assessment_of/<supplier>" names the supplier's latest one.
//   mitigation.status {"supplier", "mitigation": {...}}; view "mitigation/<supplier>/<id>".
// People act by their register id (Person::id, role analyst); the journal's actor is
// "person:<id>". Every change re-reads the assessment inside the write transaction and refuses
// if another change landed in between (failed_precondition: try again).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/journal_service.h"
#include "app/ownership_service.h"
#include "app/register_service.h"
#include "core/clock.h"
#include "core/result.h"
#include "domain/assessment.h"
#include "domain/country.h"

namespace pw::app {

struct AssessmentConfig {
  std::string countries_path = "data/countries.toml";
  std::string access_policy_path = "data/access-policy.toml";
};

struct AssessmentReport {
  domain::Assessment assessment;
  bool stale_now = false;  // the inputs changed since it was evaluated (journaled as stale)
  std::string html;        // self-contained page (formats/report.h)
  std::string text;        // for the terminal
  nlohmann::json json;
};

class AssessmentService {
 public:
  // All references are borrowed and must outlive the service.
  AssessmentService(JournalService& journal, OwnershipService& ownership, RegisterService& reg,
                    const core::Clock& clock, AssessmentConfig config);

  // Starts a draft for `supplier` (an Organisation id) by `person`, or a revision of the
  // latest one when that is signed off or stale. already_exists when a draft is open.
  core::Result<domain::Assessment> start(const std::string& supplier, const std::string& person);
  core::Result<domain::Assessment> judge(const std::string& supplier, const std::string& person,
                                         domain::Criterion criterion, domain::Answer answer,
                                         const std::string& judgement);
  core::Result<domain::Assessment> sign_off(const std::string& supplier, const std::string& person,
                                            const std::string& note);
  // Renews a draft's (or stale, never signed) evidence from the current inputs.
  core::Result<domain::Assessment> refresh(const std::string& supplier, const std::string& person);
  // Records a mitigation's status for a supplier (an input: the assessment becomes stale).
  core::Result<Appended> set_mitigation(const std::string& supplier, const std::string& person,
                                        const std::string& mitigation_id,
                                        domain::MitigationStatus status, bool feasible,
                                        const std::string& note);
  // The latest assessment with its report; journals `assessment.stale` first if the inputs
  // changed since it was evaluated.
  core::Result<AssessmentReport> report(const std::string& supplier);
  // Checks every supplier's latest assessment and journals the ones whose inputs changed.
  // Returns how many became stale.
  core::Result<int> mark_stale();
  // The ownership data the assessments read (for the console's chains and diagram).
  OwnershipService& ownership() { return ownership_; }

 private:
  struct Current;
  core::Result<Current> current(const std::string& supplier);
  core::Result<std::optional<domain::Assessment>> latest(const std::string& supplier);
  core::Result<std::vector<domain::MitigationState>> mitigations(const std::string& supplier);
  // Appends `type` with the assessment, if the stored one is still `expected_doc` (or absent
  // when expected_doc is empty).
  core::Result<Appended> write(std::string_view type, const domain::Assessment& a,
                               const std::string& expected_doc, const std::string& actor,
                               nlohmann::json extra = nlohmann::json::object());

  JournalService& journal_;
  OwnershipService& ownership_;
  RegisterService& register_;
  const core::Clock& clock_;
  AssessmentConfig config_;
};

}  // namespace pw::app
