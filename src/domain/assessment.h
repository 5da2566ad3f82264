#pragma once
// The supplier national-security assessment (DESIGN.md: Supplier national-security assessment,
// seed Q5-Q7): the cabinet's criteria, the evidence the engine (assessment/) gathers for each,
// the analyst's judgement, the mitigations, the risk levels and the sign-offs, as values with a
// JSON form the app journals. Values only: no I/O and no clock (every timestamp is passed in, as
// an RFC 3339 string).
//
// JSON: integers and strings only (canonical JSON has no floats). A percentage travels as integer
// basis points (1 bp = 0.01%, so 15.96% is 1596) next to its display text; bounds are rounded
// outward (a minimum down, a maximum up), so a figure is never claimed more precise than it is.
// Readers reject unknown keys, wrong types and bad enum names with the JSON path of the field
// ("criteria[2].evidence[0].figures[1].min: expected an integer"); they never throw.

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/ownership.h"  // Date

namespace pw::domain {

// ---- The criteria ---------------------------------------------------------------------------
// Q6 of the source document (answers of 19 April 2021): "Bij de beoordeling van risico's ten
// aanzien van spionage, beïnvloeding of sabotage door statelijke actoren of andere partijen bij
// (digitale) producten hanteert het kabinet de overwegingen die zowel bij c2000 als bij de
// veiligheid van de telecomnetwerken zijn gebruikt" (the considerations used for C2000 and for the
// security of the telecom networks), "op een zeer zorgvuldige en case-by-case-basis" (very
// carefully, case by case). criterion_wording() gives each question in English and verbatim in
// Dutch.
enum class Criterion { k1, k2, k3a, k3b };
inline constexpr std::array<Criterion, 4> kCriteria{Criterion::k1, Criterion::k2, Criterion::k3a,
                                                    Criterion::k3b};
std::string_view criterion_name(Criterion c);  // "1", "2", "3a", "3b"
core::Result<Criterion> parse_criterion(std::string_view s);

struct CriterionWording {
  std::string_view title;    // short English label, e.g. "Cooperation law or state ownership"
  std::string_view english;  // the cabinet's question, translated as closely as English allows
  std::string_view dutch;    // the question verbatim from Q6 of the source document
};
const CriterionWording& criterion_wording(Criterion c);

// The answer to one criterion. `partly`: some but not all of the question holds (a possible
// rather than certain control, some access channels but not all mitigated, ...). `unknown`: the
// data cannot answer it; an unknown is never read as a "no" (see RiskLevel).
enum class Answer { kYes, kNo, kPartly, kUnknown };
std::string_view answer_name(Answer a);  // "yes", "no", "partly", "unknown"
core::Result<Answer> parse_answer(std::string_view s);

// ---- Risk ------------------------------------------------------------------------------------
// The ordinal risk scale. Levels compare (<) in this order; nothing is computed from distances
// between them. What each level means (and, through data/access-policy.toml, what access it
// allows):
//  - low:       no indication of a state threat, or no meaningful access. Normal supplier
//               management; remote sessions allowed through the gateway, recorded.
//  - medium:    a threat indication with only limited access, or extensive access without a
//               threat indication. Remote sessions recorded, time-boxed; approvals by the operator.
//  - high:      a threat indication with extensive access, or a strong threat (criteria 1 and 2
//               both met) with limited access. Remote sessions only supervised and recorded, at
//               most a few hours; server room only escorted; operator and security officer approve.
//  - very_high: a strong threat with extensive access. Remote access suspended unless decided
//               otherwise case by case; every entry escorted.
// The rules that derive a level from the criteria are in assessment/evaluate.h and
// docs/ASSESSMENT.md.
enum class RiskLevel { kLow, kMedium, kHigh, kVeryHigh };
inline constexpr std::array<RiskLevel, 4> kRiskLevels{RiskLevel::kLow, RiskLevel::kMedium,
                                                      RiskLevel::kHigh, RiskLevel::kVeryHigh};
std::string_view risk_level_name(RiskLevel r);  // "low", "medium", "high", "very_high"
core::Result<RiskLevel> parse_risk_level(std::string_view s);
std::string_view risk_level_meaning(RiskLevel r);  // one sentence, as above

// ---- Access channels and mitigations ---------------------------------------------------------
// The ways a supplier reaches sensitive locations and systems (criterion 3a), each of which the
// catalogue's mitigations address (criterion 3b). `assurance` is not a channel a supplier
// uses: it is where the external audit belongs (it checks the other measures).
enum class AccessChannel { kRemote, kServerRoom, kOnSite, kSoftware, kPersonnel, kAssurance };
std::string_view access_channel_name(AccessChannel c);  // "remote", "server_room", "on_site", ...
core::Result<AccessChannel> parse_access_channel(std::string_view s);

// An entry of the mitigation catalogue. Every entry reduces criterion 3a's risk (the access) and
// answers 3b; `channel` says which access it reduces and `effect` how.
struct MitigationDef {
  std::string_view id;  // stable, e.g. "remote-supervised-recorded"
  std::string_view title;
  AccessChannel channel = AccessChannel::kRemote;
  Criterion criterion = Criterion::k3a;
  std::string_view effect;  // what it prevents or detects
  std::string_view seed;    // the question of the source document it comes from, e.g. "Q10"
};
// The catalogue, in a fixed order. Ids are unique.
const std::vector<MitigationDef>& mitigation_catalogue();
const MitigationDef* find_mitigation(std::string_view id);

// Where a mitigation stands for one supplier. Only implemented and verified measures lower the
// residual risk; planned ones count for criterion 3b (feasible and committed) but not for risk.
enum class MitigationStatus { kProposed, kPlanned, kImplemented, kVerified };
std::string_view mitigation_status_name(MitigationStatus s);  // "proposed", ...
core::Result<MitigationStatus> parse_mitigation_status(std::string_view s);

struct MitigationState {
  std::string id;  // a catalogue id
  MitigationStatus status = MitigationStatus::kProposed;
  // False when the analyst judged the measure not realisable here (Q10: switching remote
  // maintenance off would leave scanners down); it then never counts, and a channel whose every
  // measure is infeasible makes criterion 3b "no".
  bool feasible = true;
  std::string note;
  std::string updated_by;  // Person::id
  std::string updated_at;  // RFC 3339
  friend bool operator==(const MitigationState&, const MitigationState&) = default;
};

// ---- Evidence --------------------------------------------------------------------------------
enum class EvidenceKind {
  kOrigin,            // the supplier's country of origin
  kCooperationLaw,    // a country's law obliging cooperation with intelligence/military bodies
  kStateBody,         // an entity grouped with its state (country profile or entity kind)
  kStateExposure,     // a state's integrated ownership of the supplier, per country
  kControl,           // the control rules' conclusions for a state's bodies over the supplier
  kOwnershipPath,     // a chain explaining a figure
  kOwnershipGap,      // unknown shares, undisclosed equity, statements left out by date
  kThreatAssessment,  // a Dutch public threat assessment naming a country (criterion 2)
  kRelations,         // the state of relations with the Netherlands (criterion 2)
  kAssets,            // the supplier's assets in the register
  kRemoteAccess,      // remote maintenance capability and where it reaches
  kRemotePolicy,      // the remote-access policies covering the supplier's assets
  kServerRoom,        // servers in server rooms (entry, shared rooms)
  kPhysicalAccess,    // on-site access to assets (escorting, cameras)
  kPersonnel,         // the supplier's technicians and their screenings
  kMitigation,        // a catalogue measure and its status
  kNote,              // anything else the engine wants to say (an assumption, a limit)
};
std::string_view evidence_kind_name(EvidenceKind k);  // "origin", "cooperation_law", ...
core::Result<EvidenceKind> parse_evidence_kind(std::string_view s);

// A number shown to the reader. With a unit, min/max hold the value (min == max when exact);
// without one (unit empty) only `text` counts.
struct Figure {
  std::string label;     // "CN state", "assets", "max session"
  std::string text;      // "15.96% (exact)", "4", "240 min"
  std::string unit;      // "bp" (basis points), "count", "minutes", or empty
  std::int64_t min = 0;  // lower bound (bp: rounded down)
  std::int64_t max = 0;  // upper bound (bp: rounded up)
  friend bool operator==(const Figure&, const Figure&) = default;
};

// A fraction of 1 as basis points, rounded outward (see the file comment).
std::int64_t basis_points_floor(double fraction);
std::int64_t basis_points_ceil(double fraction);

// One link of an ownership chain.
struct PathLink {
  std::string owner;  // Entity::id
  std::string owner_name;
  std::string owned;  // Entity::id
  std::string owned_name;
  std::string share;  // display, "21%" or "20%-35%" or "unknown"
  std::int64_t min_bp = 0;
  std::int64_t max_bp = 0;
  friend bool operator==(const PathLink&, const PathLink&) = default;
};
struct OwnershipPath {
  std::vector<PathLink> links;  // owner first
  std::string product;          // "15.96%"
  std::int64_t product_min_bp = 0;
  std::int64_t product_max_bp = 0;
  std::string text;  // "China National Nuclear Corporation -21%-> Tongfang -76%-> Nuctech = 15.96%"
  friend bool operator==(const OwnershipPath&, const OwnershipPath&) = default;
};

// Where a statement comes from, and the date it speaks of.
struct SourceRef {
  std::string title;    // "Dreigingsbeeld Statelijke Actoren 2021", "site register"
  std::string locator;  // a URL, an article, a file and record; may be empty
  Date as_of;
  friend bool operator==(const SourceRef&, const SourceRef&) = default;
};

struct Evidence {
  EvidenceKind kind = EvidenceKind::kNote;
  std::string subject;  // what it is about: a country code, an entity, asset or mitigation id
  std::string text;     // one sentence a reader understands without the rest
  std::vector<Figure> figures;
  std::vector<OwnershipPath> paths;
  std::vector<SourceRef> sources;
  friend bool operator==(const Evidence&, const Evidence&) = default;
};

// ---- Criterion results and the assessment ----------------------------------------------------
struct CriterionResult {
  Criterion criterion = Criterion::k1;
  Answer suggested = Answer::kUnknown;  // the engine's answer
  std::string rule;                     // the rule that gave it, e.g. "1.origin-law"
  std::vector<Evidence> evidence;
  std::optional<Answer> analyst_answer;  // the analyst's answer; overrides `suggested`
  std::string judgement;                 // the analyst's reasoning
  std::string judged_by;                 // Person::id
  std::string judged_at;                 // RFC 3339
  Answer effective() const { return analyst_answer.value_or(suggested); }
  friend bool operator==(const CriterionResult&, const CriterionResult&) = default;
};

enum class AssessmentStatus {
  kDraft,      // being written; judgements may change
  kSignedOff,  // a second analyst signed it; frozen (a change needs a new revision)
  kStale,      // its inputs changed since it was evaluated (see assessment/fingerprint.h)
};
std::string_view assessment_status_name(AssessmentStatus s);  // "draft", "signed_off", "stale"
core::Result<AssessmentStatus> parse_assessment_status(std::string_view s);

struct SignOff {
  std::string person;  // Person::id
  std::string at;      // RFC 3339
  std::string note;
  friend bool operator==(const SignOff&, const SignOff&) = default;
};

struct Assessment {
  std::string id;
  std::int64_t revision = 1;
  std::string supersedes;  // the id of the assessment this revises; empty for a first one
  std::string supplier;    // Organisation::id
  std::string author;      // Person::id
  std::string created_at;  // RFC 3339
  Date as_of;              // the date the evidence was computed for
  AssessmentStatus status = AssessmentStatus::kDraft;
  std::vector<CriterionResult> criteria;        // exactly one per criterion, in kCriteria order
  std::vector<AccessChannel> exposed_channels;  // from the access evidence (criterion 3a)
  std::vector<MitigationState> mitigations;     // catalogue ids, each at most once
  RiskLevel inherent = RiskLevel::kVeryHigh;
  RiskLevel residual = RiskLevel::kVeryHigh;
  std::vector<SignOff> sign_offs;
  std::string inputs_fingerprint;  // SHA-256 hex of the inputs (assessment/fingerprint.h)

  const CriterionResult* result(Criterion c) const;
  CriterionResult* result(Criterion c);
  const MitigationState* mitigation(std::string_view mitigation_id) const;
  friend bool operator==(const Assessment&, const Assessment&) = default;
};

// ---- JSON ------------------------------------------------------------------------------------
// Complete objects (fields at their default are written too); keys as the C++ members, enums by
// their names above, dates as "YYYY-MM-DD".
nlohmann::json figure_to_json(const Figure& f);
nlohmann::json ownership_path_to_json(const OwnershipPath& p);
nlohmann::json evidence_to_json(const Evidence& e);
core::Result<Evidence> evidence_from_json(const nlohmann::json& j);
nlohmann::json mitigation_state_to_json(const MitigationState& m);
core::Result<MitigationState> mitigation_state_from_json(const nlohmann::json& j);
nlohmann::json criterion_result_to_json(const CriterionResult& r);
core::Result<CriterionResult> criterion_result_from_json(const nlohmann::json& j);
nlohmann::json assessment_to_json(const Assessment& a);
// Also checks the invariants: one result per criterion in order, known and unique mitigation
// ids, a 64-hex fingerprint or an empty one.
core::Result<Assessment> assessment_from_json(const nlohmann::json& j);

}  // namespace pw::domain
