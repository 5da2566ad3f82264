#include "domain/assessment.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "domain/internal/enum_names.h"
#include "domain/internal/json_reader.h"

namespace pw::domain {
namespace {

using internal::name_of;
using internal::parse_of;

using internal::JsonObject;

constexpr std::array<std::pair<Criterion, std::string_view>, 4> kCriterionNames{{
    {Criterion::k1, "1"},
    {Criterion::k2, "2"},
    {Criterion::k3a, "3a"},
    {Criterion::k3b, "3b"},
}};
constexpr std::array<std::pair<Answer, std::string_view>, 4> kAnswerNames{{
    {Answer::kYes, "yes"},
    {Answer::kNo, "no"},
    {Answer::kPartly, "partly"},
    {Answer::kUnknown, "unknown"},
}};
constexpr std::array<std::pair<RiskLevel, std::string_view>, 4> kRiskNames{{
    {RiskLevel::kLow, "low"},
    {RiskLevel::kMedium, "medium"},
    {RiskLevel::kHigh, "high"},
    {RiskLevel::kVeryHigh, "very_high"},
}};
constexpr std::array<std::pair<AccessChannel, std::string_view>, 6> kChannelNames{{
    {AccessChannel::kRemote, "remote"},
    {AccessChannel::kServerRoom, "server_room"},
    {AccessChannel::kOnSite, "on_site"},
    {AccessChannel::kSoftware, "software"},
    {AccessChannel::kPersonnel, "personnel"},
    {AccessChannel::kAssurance, "assurance"},
}};
constexpr std::array<std::pair<MitigationStatus, std::string_view>, 4> kMitigationStatusNames{{
    {MitigationStatus::kProposed, "proposed"},
    {MitigationStatus::kPlanned, "planned"},
    {MitigationStatus::kImplemented, "implemented"},
    {MitigationStatus::kVerified, "verified"},
}};
constexpr std::array<std::pair<EvidenceKind, std::string_view>, 17> kEvidenceKindNames{{
    {EvidenceKind::kOrigin, "origin"},
    {EvidenceKind::kCooperationLaw, "cooperation_law"},
    {EvidenceKind::kStateBody, "state_body"},
    {EvidenceKind::kStateExposure, "state_exposure"},
    {EvidenceKind::kControl, "control"},
    {EvidenceKind::kOwnershipPath, "ownership_path"},
    {EvidenceKind::kOwnershipGap, "ownership_gap"},
    {EvidenceKind::kThreatAssessment, "threat_assessment"},
    {EvidenceKind::kRelations, "relations"},
    {EvidenceKind::kAssets, "assets"},
    {EvidenceKind::kRemoteAccess, "remote_access"},
    {EvidenceKind::kRemotePolicy, "remote_policy"},
    {EvidenceKind::kServerRoom, "server_room"},
    {EvidenceKind::kPhysicalAccess, "physical_access"},
    {EvidenceKind::kPersonnel, "personnel"},
    {EvidenceKind::kMitigation, "mitigation"},
    {EvidenceKind::kNote, "note"},
}};
constexpr std::array<std::pair<AssessmentStatus, std::string_view>, 3> kStatusNames{{
    {AssessmentStatus::kDraft, "draft"},
    {AssessmentStatus::kSignedOff, "signed_off"},
    {AssessmentStatus::kStale, "stale"},
}};

// Q6, verbatim. The seed text is an OCR of the published PDF and spells "commerciële" as
// "commerciéle"; the quote restores the diaeresis, nothing else.
const std::array<CriterionWording, 4> kWording{{
    {"Cooperation law or state ownership",
     "Does the party supplying the service or product originate from, or is it under the control "
     "of a party from, a country with legislation that obliges commercial or private parties to "
     "cooperate with the government of that country, in particular with state bodies charged "
     "with an intelligence or military task, or is the party a state-owned company?",
     "Is de partij die de dienst of product levert afkomstig, of staat hij onder controle van een "
     "partij, uit een land met wetgeving die commerciële of particuliere partijen verplicht samen "
     "te werken met de overheid van dat land, in het bijzonder met staatsorganen die zijn belast "
     "met een inlichtingen- of militaire taak, of is de partij een staatsbedrijf?"},
    {"Offensive intelligence programme or tense relations",
     "Does the party supplying the service or product originate from a country with an active "
     "offensive intelligence programme aimed at the Netherlands and Dutch interests, or from a "
     "country with which the Dutch relationship is so tense that actions harming Dutch interests "
     "are conceivable?",
     "Is de partij die de dienst of product levert afkomstig uit een land met een actief offensief "
     "inlichtingenprogramma gericht op Nederland en Nederlandse belangen of een land waarmee de "
     "Nederlandse relatie dusdanig gespannen is dat acties die Nederlandse belangen aantasten "
     "voorstelbaar zijn?"},
    {"Extensive access",
     "Does the party supplying the service or product get extensive access to sensitive "
     "locations, sensitive ICT systems and vital infrastructural installations or works, where "
     "misuse could pose a national-security risk?",
     "Krijgt de partij die de dienst of product levert uitgebreide toegang tot gevoelige locaties, "
     "gevoelige ICT-systemen en vitale infrastructurele installaties of werken, waarbij misbruik "
     "een nationaal veiligheidsrisico kan vormen?"},
    {"Mitigations possible and feasible",
     "Are there control measures that are possible and feasible and that sufficiently protect "
     "against the national-security risks at stake?",
     "Zijn er beheersmaatregelen mogelijk en realiseerbaar die de nationale veiligheidsrisico’s "
     "die "
     "in het geding zijn voldoende beschermen?"},
}};

const std::array<std::string_view, 4> kRiskMeaning{{
    "No indication of a state threat, or no meaningful access: normal supplier management.",
    "A threat indication with only limited access, or extensive access without a threat "
    "indication: recorded, time-boxed access approved by the operator.",
    "A threat indication with extensive access, or a strong threat with limited access: remote "
    "sessions only supervised and recorded, server room only escorted, two approvals.",
    "A strong threat (criteria 1 and 2 met) with extensive access: remote access suspended "
    "unless decided otherwise case by case, every entry escorted.",
}};

}  // namespace

std::string_view criterion_name(Criterion c) {
  return name_of(kCriterionNames, c);
}
core::Result<Criterion> parse_criterion(std::string_view s) {
  return parse_of(kCriterionNames, s, "criterion");
}
const CriterionWording& criterion_wording(Criterion c) {
  return kWording[static_cast<std::size_t>(c)];
}
std::string_view answer_name(Answer a) {
  return name_of(kAnswerNames, a);
}
core::Result<Answer> parse_answer(std::string_view s) {
  return parse_of(kAnswerNames, s, "answer");
}
std::string_view risk_level_name(RiskLevel r) {
  return name_of(kRiskNames, r);
}
core::Result<RiskLevel> parse_risk_level(std::string_view s) {
  return parse_of(kRiskNames, s, "risk level");
}
std::string_view risk_level_meaning(RiskLevel r) {
  return kRiskMeaning[static_cast<std::size_t>(r)];
}
std::string_view access_channel_name(AccessChannel c) {
  return name_of(kChannelNames, c);
}
core::Result<AccessChannel> parse_access_channel(std::string_view s) {
  return parse_of(kChannelNames, s, "access channel");
}
std::string_view mitigation_status_name(MitigationStatus s) {
  return name_of(kMitigationStatusNames, s);
}
core::Result<MitigationStatus> parse_mitigation_status(std::string_view s) {
  return parse_of(kMitigationStatusNames, s, "mitigation status");
}
std::string_view evidence_kind_name(EvidenceKind k) {
  return name_of(kEvidenceKindNames, k);
}
core::Result<EvidenceKind> parse_evidence_kind(std::string_view s) {
  return parse_of(kEvidenceKindNames, s, "evidence kind");
}
std::string_view assessment_status_name(AssessmentStatus s) {
  return name_of(kStatusNames, s);
}
core::Result<AssessmentStatus> parse_assessment_status(std::string_view s) {
  return parse_of(kStatusNames, s, "assessment status");
}

const std::vector<MitigationDef>& mitigation_catalogue() {
  static const std::vector<MitigationDef> kCatalogue = {
      {"remote-supervised-recorded", "Supervised and recorded remote sessions",
       AccessChannel::kRemote, Criterion::k3a,
       "Every remote session is watched live by a customs operator who can end it, and recorded "
       "for review; misuse is seen and can be stopped.",
       "Q10"},
      {"remote-time-boxed", "Just-in-time, time-boxed remote grants", AccessChannel::kRemote,
       Criterion::k3a,
       "Remote access exists only for an approved fault, for a bounded time; no standing access.",
       "Q10"},
      {"remote-gateway-segmentation", "Network segmentation through the maintenance gateway",
       AccessChannel::kRemote, Criterion::k3a,
       "The closed scan network is reachable from outside only through the gateway (no mobile "
       "data links or direct vendor tunnels); sessions reach only the asset granted.",
       "Q9, Q10"},
      {"remote-kill-switch", "Per-vendor kill switch for remote access", AccessChannel::kRemote,
       Criterion::k3a, "All remote access of one vendor can be cut at once when its risk changes.",
       "Q10"},
      {"server-room-escort", "Escorted server-room entry, granted by the system operator",
       AccessChannel::kServerRoom, Criterion::k3a,
       "A technician enters the server room only when the customs system operator lets them in "
       "and stays with them.",
       "Q12"},
      {"server-separation", "Separation of vendor servers", AccessChannel::kServerRoom,
       Criterion::k3a,
       "Each vendor's servers in their own locked rack or room, so a visit to one vendor's servers "
       "gives no access to another's.",
       "Q11"},
      {"onsite-coordination", "Registered, coordinated on-site maintenance", AccessChannel::kOnSite,
       Criterion::k3a,
       "Every visit registered with customs, preventive visits in contractual windows, corrective "
       "visits under the terminal's work permit, in coordination with customs staff.",
       "Q12"},
      {"onsite-escort", "Escorted on-site maintenance", AccessChannel::kOnSite, Criterion::k3a,
       "A customs employee accompanies the technician at the scanner for the whole visit.", "Q12"},
      {"camera-coverage", "Camera on every scanner, watched by the system operator",
       AccessChannel::kOnSite, Criterion::k3a,
       "Physical work on a scanner is visible to the customs system operator.", "Q12"},
      {"update-validation", "Validation of vendor updates before install", AccessChannel::kSoftware,
       Criterion::k3a,
       "Every software update is recorded by digest, tested and approved before it is installed.",
       "Q15"},
      {"technician-screening", "Screening of technicians", AccessChannel::kPersonnel,
       Criterion::k3a,
       "Technicians hold a valid VOG, or a VGB where the risk calls for it, before they get any "
       "access.",
       "Q13"},
      {"external-audit", "External audit of the scan and detection systems",
       AccessChannel::kAssurance, Criterion::k3a,
       "An outside auditor checks the information security of the scanners and the IT around "
       "them, and whether the other measures work.",
       "Q4, Q9"},
  };
  return kCatalogue;
}

const MitigationDef* find_mitigation(std::string_view id) {
  for (const MitigationDef& m : mitigation_catalogue()) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

std::int64_t basis_points_floor(double fraction) {
  // A tolerance far below 1 bp absorbs the rounding of products such as 0.21 * 0.76.
  return static_cast<std::int64_t>(std::floor(fraction * 10000.0 + 1e-6));
}
std::int64_t basis_points_ceil(double fraction) {
  return static_cast<std::int64_t>(std::ceil(fraction * 10000.0 - 1e-6));
}

const CriterionResult* Assessment::result(Criterion c) const {
  for (const CriterionResult& r : criteria) {
    if (r.criterion == c) return &r;
  }
  return nullptr;
}
CriterionResult* Assessment::result(Criterion c) {
  for (CriterionResult& r : criteria) {
    if (r.criterion == c) return &r;
  }
  return nullptr;
}
const MitigationState* Assessment::mitigation(std::string_view mitigation_id) const {
  for (const MitigationState& m : mitigations) {
    if (m.id == mitigation_id) return &m;
  }
  return nullptr;
}

// ---- JSON ----------------------------------------------------------------------------------

nlohmann::json figure_to_json(const Figure& f) {
  return {{"label", f.label}, {"text", f.text}, {"unit", f.unit}, {"min", f.min}, {"max", f.max}};
}

namespace {

core::Result<Figure> figure_from_json(const nlohmann::json& j, const std::string& path) {
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, path));
  PW_TRY(o.only({"label", "text", "unit", "min", "max"}));
  Figure f;
  PW_TRY(o.string("label", f.label, true));
  PW_TRY(o.string("text", f.text));
  PW_TRY(o.string("unit", f.unit));
  PW_TRY(o.integer("min", f.min));
  PW_TRY(o.integer("max", f.max));
  if (f.min > f.max) return core::invalid_argument(path + ".min: above max");
  return f;
}

nlohmann::json link_to_json(const PathLink& l) {
  return {{"owner", l.owner},           {"owner_name", l.owner_name}, {"owned", l.owned},
          {"owned_name", l.owned_name}, {"share", l.share},           {"min_bp", l.min_bp},
          {"max_bp", l.max_bp}};
}

core::Result<PathLink> link_from_json(const nlohmann::json& j, const std::string& path) {
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, path));
  PW_TRY(o.only({"owner", "owner_name", "owned", "owned_name", "share", "min_bp", "max_bp"}));
  PathLink l;
  PW_TRY(o.string("owner", l.owner, true));
  PW_TRY(o.string("owner_name", l.owner_name));
  PW_TRY(o.string("owned", l.owned, true));
  PW_TRY(o.string("owned_name", l.owned_name));
  PW_TRY(o.string("share", l.share));
  PW_TRY(o.integer("min_bp", l.min_bp));
  PW_TRY(o.integer("max_bp", l.max_bp));
  return l;
}

}  // namespace

nlohmann::json ownership_path_to_json(const OwnershipPath& p) {
  nlohmann::json links = nlohmann::json::array();
  for (const PathLink& l : p.links) links.push_back(link_to_json(l));
  return {{"links", std::move(links)},
          {"product", p.product},
          {"product_min_bp", p.product_min_bp},
          {"product_max_bp", p.product_max_bp},
          {"text", p.text}};
}

namespace {

core::Result<OwnershipPath> path_from_json(const nlohmann::json& j, const std::string& path) {
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, path));
  PW_TRY(o.only({"links", "product", "product_min_bp", "product_max_bp", "text"}));
  OwnershipPath p;
  PW_TRY(o.array("links", [&](const nlohmann::json& e, const std::string& at) -> core::Status {
    PW_ASSIGN_OR_RETURN(PathLink l, link_from_json(e, at));
    p.links.push_back(std::move(l));
    return core::ok();
  }));
  PW_TRY(o.string("product", p.product));
  PW_TRY(o.integer("product_min_bp", p.product_min_bp));
  PW_TRY(o.integer("product_max_bp", p.product_max_bp));
  PW_TRY(o.string("text", p.text));
  return p;
}

nlohmann::json source_to_json(const SourceRef& s) {
  return {{"title", s.title}, {"locator", s.locator}, {"as_of", format_date(s.as_of)}};
}

core::Result<SourceRef> source_from_json(const nlohmann::json& j, const std::string& path) {
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, path));
  PW_TRY(o.only({"title", "locator", "as_of"}));
  SourceRef s;
  PW_TRY(o.string("title", s.title, true));
  PW_TRY(o.string("locator", s.locator));
  std::string as_of;
  PW_TRY(o.string("as_of", as_of, true));
  auto d = parse_date(as_of);
  if (!d || as_of.size() != 10) return core::invalid_argument(path + ".as_of: not YYYY-MM-DD");
  s.as_of = *d;
  return s;
}

template <typename T, typename Parse>
core::Status parse_enum(const JsonObject& o, const char* key, T& out, Parse parse,
                        bool required = true) {
  std::string s;
  PW_TRY(o.string(key, s, required));
  if (s.empty() && !required) return core::ok();
  auto v = parse(s);
  if (!v) return std::unexpected(v.error().with_context(o.path() + "." + key));
  out = *v;
  return core::ok();
}

core::Result<Evidence> evidence_at(const nlohmann::json& j, const std::string& path) {
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, path));
  PW_TRY(o.only({"kind", "subject", "text", "figures", "paths", "sources"}));
  Evidence e;
  PW_TRY(parse_enum(o, "kind", e.kind, parse_evidence_kind));
  PW_TRY(o.string("subject", e.subject));
  PW_TRY(o.string("text", e.text, true));
  PW_TRY(o.array("figures", [&](const nlohmann::json& x, const std::string& at) -> core::Status {
    PW_ASSIGN_OR_RETURN(Figure f, figure_from_json(x, at));
    e.figures.push_back(std::move(f));
    return core::ok();
  }));
  PW_TRY(o.array("paths", [&](const nlohmann::json& x, const std::string& at) -> core::Status {
    PW_ASSIGN_OR_RETURN(OwnershipPath p, path_from_json(x, at));
    e.paths.push_back(std::move(p));
    return core::ok();
  }));
  PW_TRY(o.array("sources", [&](const nlohmann::json& x, const std::string& at) -> core::Status {
    PW_ASSIGN_OR_RETURN(SourceRef s, source_from_json(x, at));
    e.sources.push_back(std::move(s));
    return core::ok();
  }));
  return e;
}

core::Result<MitigationState> mitigation_at(const nlohmann::json& j, const std::string& path) {
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, path));
  PW_TRY(o.only({"id", "status", "feasible", "note", "updated_by", "updated_at"}));
  MitigationState m;
  PW_TRY(o.string("id", m.id, true));
  if (!find_mitigation(m.id)) {
    return core::invalid_argument(path + ".id: '" + m.id + "' is not in the mitigation catalogue");
  }
  PW_TRY(parse_enum(o, "status", m.status, parse_mitigation_status));
  PW_TRY(o.boolean("feasible", m.feasible));
  PW_TRY(o.string("note", m.note));
  PW_TRY(o.string("updated_by", m.updated_by));
  PW_TRY(o.string("updated_at", m.updated_at));
  return m;
}

core::Result<CriterionResult> criterion_at(const nlohmann::json& j, const std::string& path) {
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, path));
  PW_TRY(o.only({"criterion", "suggested", "rule", "evidence", "analyst_answer", "judgement",
                 "judged_by", "judged_at"}));
  CriterionResult r;
  PW_TRY(parse_enum(o, "criterion", r.criterion, parse_criterion));
  PW_TRY(parse_enum(o, "suggested", r.suggested, parse_answer));
  PW_TRY(o.string("rule", r.rule));
  PW_TRY(o.array("evidence", [&](const nlohmann::json& x, const std::string& at) -> core::Status {
    PW_ASSIGN_OR_RETURN(Evidence e, evidence_at(x, at));
    r.evidence.push_back(std::move(e));
    return core::ok();
  }));
  Answer analyst = Answer::kUnknown;
  std::string analyst_name;
  PW_TRY(o.string("analyst_answer", analyst_name));
  if (!analyst_name.empty()) {
    PW_TRY(parse_enum(o, "analyst_answer", analyst, parse_answer));
    r.analyst_answer = analyst;
  }
  PW_TRY(o.string("judgement", r.judgement));
  PW_TRY(o.string("judged_by", r.judged_by));
  PW_TRY(o.string("judged_at", r.judged_at));
  return r;
}

bool is_hex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

nlohmann::json evidence_to_json(const Evidence& e) {
  nlohmann::json figures = nlohmann::json::array();
  for (const Figure& f : e.figures) figures.push_back(figure_to_json(f));
  nlohmann::json paths = nlohmann::json::array();
  for (const OwnershipPath& p : e.paths) paths.push_back(ownership_path_to_json(p));
  nlohmann::json sources = nlohmann::json::array();
  for (const SourceRef& s : e.sources) sources.push_back(source_to_json(s));
  return {{"kind", evidence_kind_name(e.kind)},
          {"subject", e.subject},
          {"text", e.text},
          {"figures", std::move(figures)},
          {"paths", std::move(paths)},
          {"sources", std::move(sources)}};
}

core::Result<Evidence> evidence_from_json(const nlohmann::json& j) {
  return evidence_at(j, "evidence");
}

nlohmann::json mitigation_state_to_json(const MitigationState& m) {
  return {{"id", m.id},
          {"status", mitigation_status_name(m.status)},
          {"feasible", m.feasible},
          {"note", m.note},
          {"updated_by", m.updated_by},
          {"updated_at", m.updated_at}};
}

core::Result<MitigationState> mitigation_state_from_json(const nlohmann::json& j) {
  return mitigation_at(j, "mitigation");
}

nlohmann::json criterion_result_to_json(const CriterionResult& r) {
  nlohmann::json evidence = nlohmann::json::array();
  for (const Evidence& e : r.evidence) evidence.push_back(evidence_to_json(e));
  return {{"criterion", criterion_name(r.criterion)},
          {"suggested", answer_name(r.suggested)},
          {"rule", r.rule},
          {"evidence", std::move(evidence)},
          {"analyst_answer", r.analyst_answer ? answer_name(*r.analyst_answer) : ""},
          {"judgement", r.judgement},
          {"judged_by", r.judged_by},
          {"judged_at", r.judged_at}};
}

core::Result<CriterionResult> criterion_result_from_json(const nlohmann::json& j) {
  return criterion_at(j, "criterion_result");
}

nlohmann::json assessment_to_json(const Assessment& a) {
  nlohmann::json criteria = nlohmann::json::array();
  for (const CriterionResult& r : a.criteria) criteria.push_back(criterion_result_to_json(r));
  nlohmann::json channels = nlohmann::json::array();
  for (AccessChannel c : a.exposed_channels) channels.push_back(access_channel_name(c));
  nlohmann::json mitigations = nlohmann::json::array();
  for (const MitigationState& m : a.mitigations) mitigations.push_back(mitigation_state_to_json(m));
  nlohmann::json sign_offs = nlohmann::json::array();
  for (const SignOff& s : a.sign_offs) {
    sign_offs.push_back({{"person", s.person}, {"at", s.at}, {"note", s.note}});
  }
  return {{"id", a.id},
          {"revision", a.revision},
          {"supersedes", a.supersedes},
          {"supplier", a.supplier},
          {"author", a.author},
          {"created_at", a.created_at},
          {"as_of", format_date(a.as_of)},
          {"status", assessment_status_name(a.status)},
          {"criteria", std::move(criteria)},
          {"exposed_channels", std::move(channels)},
          {"mitigations", std::move(mitigations)},
          {"inherent", risk_level_name(a.inherent)},
          {"residual", risk_level_name(a.residual)},
          {"sign_offs", std::move(sign_offs)},
          {"inputs_fingerprint", a.inputs_fingerprint}};
}

core::Result<Assessment> assessment_from_json(const nlohmann::json& j) {
  PW_ASSIGN_OR_RETURN(JsonObject o, JsonObject::of(j, "assessment"));
  PW_TRY(o.only({"id", "revision", "supersedes", "supplier", "author", "created_at", "as_of",
                 "status", "criteria", "exposed_channels", "mitigations", "inherent", "residual",
                 "sign_offs", "inputs_fingerprint"}));
  Assessment a;
  PW_TRY(o.string("id", a.id, true));
  PW_TRY(o.integer("revision", a.revision));
  if (a.revision < 1) return core::invalid_argument("assessment.revision: must be at least 1");
  PW_TRY(o.string("supersedes", a.supersedes));
  PW_TRY(o.string("supplier", a.supplier, true));
  PW_TRY(o.string("author", a.author, true));
  PW_TRY(o.string("created_at", a.created_at));
  std::string as_of;
  PW_TRY(o.string("as_of", as_of, true));
  auto d = parse_date(as_of);
  if (!d || as_of.size() != 10) return core::invalid_argument("assessment.as_of: not YYYY-MM-DD");
  a.as_of = *d;
  PW_TRY(parse_enum(o, "status", a.status, parse_assessment_status));
  PW_TRY(o.array("criteria", [&](const nlohmann::json& x, const std::string& at) -> core::Status {
    PW_ASSIGN_OR_RETURN(CriterionResult r, criterion_at(x, at));
    a.criteria.push_back(std::move(r));
    return core::ok();
  }));
  if (a.criteria.size() != kCriteria.size()) {
    return core::invalid_argument(
        "assessment.criteria: want one result per criterion (1, 2, 3a, "
        "3b), found " +
        std::to_string(a.criteria.size()));
  }
  for (std::size_t i = 0; i < kCriteria.size(); ++i) {
    if (a.criteria[i].criterion != kCriteria[i]) {
      return core::invalid_argument("assessment.criteria[" + std::to_string(i) +
                                    "].criterion: want " +
                                    std::string(criterion_name(kCriteria[i])));
    }
  }
  PW_TRY(o.array("exposed_channels",
                 [&](const nlohmann::json& x, const std::string& at) -> core::Status {
                   if (!x.is_string()) return core::invalid_argument(at + ": expected a string");
                   auto c = parse_access_channel(x.get_ref<const std::string&>());
                   if (!c) return std::unexpected(c.error().with_context(at));
                   a.exposed_channels.push_back(*c);
                   return core::ok();
                 }));
  PW_TRY(
      o.array("mitigations", [&](const nlohmann::json& x, const std::string& at) -> core::Status {
        PW_ASSIGN_OR_RETURN(MitigationState m, mitigation_at(x, at));
        if (a.mitigation(m.id))
          return core::invalid_argument(at + ".id: '" + m.id + "' listed twice");
        a.mitigations.push_back(std::move(m));
        return core::ok();
      }));
  PW_TRY(parse_enum(o, "inherent", a.inherent, parse_risk_level));
  PW_TRY(parse_enum(o, "residual", a.residual, parse_risk_level));
  PW_TRY(o.array("sign_offs", [&](const nlohmann::json& x, const std::string& at) -> core::Status {
    PW_ASSIGN_OR_RETURN(JsonObject s, JsonObject::of(x, at));
    PW_TRY(s.only({"person", "at", "note"}));
    SignOff so;
    PW_TRY(s.string("person", so.person, true));
    PW_TRY(s.string("at", so.at, true));
    PW_TRY(s.string("note", so.note));
    a.sign_offs.push_back(std::move(so));
    return core::ok();
  }));
  PW_TRY(o.string("inputs_fingerprint", a.inputs_fingerprint));
  if (!a.inputs_fingerprint.empty() && !is_hex64(a.inputs_fingerprint)) {
    return core::invalid_argument("assessment.inputs_fingerprint: want 64 lowercase hex digits");
  }
  return a;
}

}  // namespace pw::domain
