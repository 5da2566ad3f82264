#pragma once
// What the criteria files of the assessment engine share (private to assessment/): the evidence
// and figure builders, and the reading of mitigation states that both criterion 3b and the
// residual-risk derivation use.

#include <string>
#include <string_view>
#include <vector>

#include "assessment/evaluate.h"

namespace pw::assessment::internal {

using domain::AccessChannel;
using domain::Answer;
using domain::Criterion;
using domain::CriterionResult;
using domain::Evidence;
using domain::EvidenceKind;
using domain::Figure;
using domain::MitigationState;
using domain::MitigationStatus;
using domain::RiskLevel;
using domain::SourceRef;

inline Evidence make(EvidenceKind kind, std::string subject, std::string text) {
  Evidence e;
  e.kind = kind;
  e.subject = std::move(subject);
  e.text = std::move(text);
  return e;
}

inline Figure count(std::string label, std::int64_t n) {
  return Figure{std::move(label), std::to_string(n), "count", n, n};
}

inline std::vector<SourceRef> sources_of(const domain::StatementBasis& b) {
  std::vector<SourceRef> out;
  for (const domain::ProfileSource& s : b.sources) out.push_back({s.title, s.url, s.as_of});
  return out;
}

inline std::string join(const std::vector<std::string>& v, std::string_view sep = ", ") {
  std::string out;
  for (const std::string& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

inline std::string confidence_note(const domain::StatementBasis& b) {
  return " [confidence: " + std::string(domain::confidence_name(b.confidence)) + "]";
}

// ---- Criterion 3b and risk -------------------------------------------------------------------

inline const MitigationState* state_of(std::span<const MitigationState> ms, std::string_view id) {
  for (const MitigationState& m : ms) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

inline bool at_least(const MitigationState* m, MitigationStatus s) {
  return m && m->feasible && m->status >= s;
}

// A channel's best status among its feasible measures, or nullopt when none is recorded.
inline bool channel_has(AccessChannel c, std::span<const MitigationState> ms, MitigationStatus s) {
  for (const domain::MitigationDef& d : domain::mitigation_catalogue()) {
    if (d.channel == c && at_least(state_of(ms, d.id), s)) return true;
  }
  return false;
}

inline bool channel_infeasible(AccessChannel c, std::span<const MitigationState> ms) {
  bool any = false;
  for (const domain::MitigationDef& d : domain::mitigation_catalogue()) {
    if (d.channel != c) continue;
    any = true;
    const MitigationState* m = state_of(ms, d.id);
    if (!m || m->feasible) return false;
  }
  return any;
}

// The criteria (criteria_origin.cc: 1 and 2; criteria_access.cc: 3a and 3b).
domain::CriterionResult criterion_1(const Inputs& in, const domain::CountryProfiles& countries,
                                    const SourceRef& register_source,
                                    const SourceRef& ownership_source);
domain::CriterionResult criterion_2(const Inputs& in, const domain::CountryProfiles& countries);
domain::CriterionResult criterion_3a(const Inputs& in, const SourceRef& src);
domain::CriterionResult criterion_3b(const Inputs& in, Answer a3a, const SourceRef& src);

}  // namespace pw::assessment::internal
