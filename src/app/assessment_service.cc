#include "app/assessment_service.h"

#include <algorithm>
#include <sstream>

#include "assessment/evaluate.h"
#include "assessment/evidence.h"
#include "assessment/fingerprint.h"
#include "assessment/state_bodies.h"
#include "assessment/workflow.h"
#include "core/bytes.h"
#include "core/canonical_json.h"
#include "domain/event_types.h"
#include "formats/countries.h"
#include "formats/report.h"
#include "ownership/graph.h"

namespace pw::app {

// The inputs of an assessment as they stand now.
struct AssessmentService::Current {
  domain::Register reg;
  domain::CountryProfiles countries;
  assessment::Inputs inputs;
  assessment::Evaluation evaluation;
  std::string fingerprint;
};

namespace {

std::string actor_of(const std::string& person) {
  return "person:" + person;
}

core::Result<domain::Assessment> parse_assessment(std::string_view doc) {
  PW_ASSIGN_OR_RETURN(nlohmann::json j, core::parse_json_strict(doc));
  return domain::assessment_from_json(j);
}

std::string status_label(domain::AssessmentStatus s) {
  switch (s) {
    case domain::AssessmentStatus::kDraft:
      return "draft";
    case domain::AssessmentStatus::kSignedOff:
      return "signed off";
    case domain::AssessmentStatus::kStale:
      return "stale";
  }
  return "draft";
}

std::string risk_label(domain::RiskLevel r) {
  std::string s(domain::risk_level_name(r));
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

std::string source_text(const std::vector<domain::SourceRef>& sources) {
  std::string out;
  for (const auto& s : sources) {
    if (!out.empty()) out += "; ";
    out += s.title;
    if (!s.locator.empty()) out += ", " + s.locator;
    out += " (as of " + domain::format_date(s.as_of) + ")";
  }
  return out;
}

}  // namespace

AssessmentService::AssessmentService(JournalService& journal, OwnershipService& ownership,
                                     RegisterService& reg, const core::Clock& clock,
                                     AssessmentConfig config)
    : journal_(journal),
      ownership_(ownership),
      register_(reg),
      clock_(clock),
      config_(std::move(config)) {}

core::Result<std::vector<domain::MitigationState>> AssessmentService::mitigations(
    const std::string& supplier) {
  PW_ASSIGN_OR_RETURN(auto rows, journal_.list_views("mitigation"));
  std::vector<domain::MitigationState> out;
  const std::string prefix = supplier + "/";
  for (const auto& [id, doc] : rows) {
    if (id.compare(0, prefix.size(), prefix) != 0) continue;
    PW_ASSIGN_OR_RETURN(nlohmann::json j, core::parse_json_strict(doc));
    PW_ASSIGN_OR_RETURN(domain::MitigationState m, domain::mitigation_state_from_json(
                                                       j.value("mitigation", nlohmann::json())));
    out.push_back(std::move(m));
  }
  return out;
}

core::Result<AssessmentService::Current> AssessmentService::current(const std::string& supplier) {
  Current c;
  PW_ASSIGN_OR_RETURN(c.reg, register_.load());
  if (!c.reg.organisation(supplier)) {
    return core::not_found("no organisation '" + supplier +
                           "' in the register (portwarden inventory import ...)");
  }
  auto countries = formats::read_country_profiles(config_.countries_path);
  if (!countries) {
    return std::unexpected(countries.error().with_context("country profiles (--countries)"));
  }
  c.countries = std::move(*countries);
  const domain::Date as_of = register_.today();
  std::vector<assessment::StateBodyMatch> matches;
  std::optional<ownership::Graph> graph;
  auto data = ownership_.dataset();
  if (data) {
    matches = assessment::group_state_bodies(*data, c.countries);
    PW_ASSIGN_OR_RETURN(ownership::Graph g, ownership::Graph::build(std::move(*data), as_of));
    graph.emplace(std::move(g));
  } else if (data.error().code() != core::Code::kFailedPrecondition) {
    return std::unexpected(data.error());  // no imports at all is fine; a broken blob is not
  }
  PW_ASSIGN_OR_RETURN(std::vector<domain::MitigationState> mits, mitigations(supplier));
  PW_ASSIGN_OR_RETURN(c.inputs,
                      assessment::gather_inputs(c.reg, supplier, graph ? &*graph : nullptr,
                                                std::move(matches), std::move(mits), as_of));
  c.evaluation = assessment::evaluate(c.inputs, c.countries);
  PW_ASSIGN_OR_RETURN(c.fingerprint, assessment::inputs_fingerprint(c.inputs, c.countries));
  return c;
}

core::Result<std::optional<domain::Assessment>> AssessmentService::latest(
    const std::string& supplier) {
  PW_ASSIGN_OR_RETURN(std::optional<std::string> ref, journal_.get_view("assessment_of", supplier));
  if (!ref) return std::optional<domain::Assessment>();
  PW_ASSIGN_OR_RETURN(nlohmann::json j, core::parse_json_strict(*ref));
  PW_ASSIGN_OR_RETURN(std::optional<std::string> doc,
                      journal_.get_view("assessment", j.value("latest", "")));
  if (!doc) return core::data_loss("assessment view of supplier '" + supplier + "' is missing");
  PW_ASSIGN_OR_RETURN(domain::Assessment a, parse_assessment(*doc));
  return std::optional<domain::Assessment>(std::move(a));
}

core::Result<Appended> AssessmentService::write(std::string_view type, const domain::Assessment& a,
                                                const std::string& expected_doc,
                                                const std::string& actor, nlohmann::json extra) {
  nlohmann::json payload = std::move(extra);
  payload["assessment"] = domain::assessment_to_json(a);
  PW_ASSIGN_OR_RETURN(
      std::vector<Appended> out,
      journal_.execute([&](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
        PW_ASSIGN_OR_RETURN(std::optional<std::string> stored, views.get_view("assessment", a.id));
        if (stored.value_or("") != expected_doc) {
          return core::failed_precondition("assessment " + a.id +
                                           " changed while this change was prepared; try again");
        }
        return std::vector<EventDraft>{EventDraft{std::string(type), actor, payload}};
      }));
  return out.front();
}

core::Result<domain::Assessment> AssessmentService::start(const std::string& supplier,
                                                          const std::string& person) {
  PW_ASSIGN_OR_RETURN(Current c, current(supplier));
  PW_ASSIGN_OR_RETURN(std::optional<domain::Assessment> prev, latest(supplier));
  const std::string now = core::format_rfc3339(clock_.now());
  assessment::NewAssessment n;
  n.author = person;
  n.created_at = now;
  n.id = supplier + "-r" + std::to_string(prev ? prev->revision + 1 : 1);
  if (prev && prev->status == domain::AssessmentStatus::kDraft) {
    return core::already_exists("assessment " + prev->id + " of '" + supplier +
                                "' is a draft still open: judge it, refresh it or sign it off");
  }
  if (prev && prev->status == domain::AssessmentStatus::kStale && prev->sign_offs.empty()) {
    return core::already_exists("assessment " + prev->id + " of '" + supplier +
                                "' is a stale draft: refresh it (portwarden assess refresh)");
  }
  domain::Assessment a;
  if (prev) {
    PW_ASSIGN_OR_RETURN(a,
                        assessment::revise(*prev, c.reg, n, c.inputs, c.evaluation, c.fingerprint));
  } else {
    PW_TRY(assessment::may_author(c.reg, person, supplier));
    PW_ASSIGN_OR_RETURN(
        a, assessment::start_assessment(c.reg, n, c.inputs, c.evaluation, c.fingerprint));
  }
  PW_TRY(write(prev ? domain::kAssessmentRevised : domain::kAssessmentCreated, a, "",
               actor_of(person),
               prev ? nlohmann::json{{"supersedes", prev->id}} : nlohmann::json::object()));
  return a;
}

core::Result<domain::Assessment> AssessmentService::judge(const std::string& supplier,
                                                          const std::string& person,
                                                          domain::Criterion criterion,
                                                          domain::Answer answer,
                                                          const std::string& judgement) {
  PW_ASSIGN_OR_RETURN(domain::Register reg, register_.load());
  PW_ASSIGN_OR_RETURN(std::optional<domain::Assessment> a, latest(supplier));
  if (!a) return core::not_found("no assessment of '" + supplier + "' (portwarden assess start)");
  const std::string before = core::canonical_dump(domain::assessment_to_json(*a)).value_or("");
  PW_TRY(assessment::judge(*a, reg, person, criterion, answer, judgement,
                           core::format_rfc3339(clock_.now())));
  PW_TRY(write(domain::kAssessmentJudged, *a, before, actor_of(person),
               {{"criterion", std::string(domain::criterion_name(criterion))},
                {"answer", std::string(domain::answer_name(answer))}}));
  return *a;
}

core::Result<domain::Assessment> AssessmentService::sign_off(const std::string& supplier,
                                                             const std::string& person,
                                                             const std::string& note) {
  PW_ASSIGN_OR_RETURN(Current c, current(supplier));
  PW_ASSIGN_OR_RETURN(std::optional<domain::Assessment> a, latest(supplier));
  if (!a) return core::not_found("no assessment of '" + supplier + "' (portwarden assess start)");
  const std::string before = core::canonical_dump(domain::assessment_to_json(*a)).value_or("");
  PW_TRY(assessment::sign_off(*a, c.reg, person, c.fingerprint, core::format_rfc3339(clock_.now()),
                              note));
  PW_TRY(write(domain::kAssessmentSignedOff, *a, before, actor_of(person)));
  return *a;
}

core::Result<domain::Assessment> AssessmentService::refresh(const std::string& supplier,
                                                            const std::string& person) {
  PW_ASSIGN_OR_RETURN(Current c, current(supplier));
  PW_ASSIGN_OR_RETURN(std::optional<domain::Assessment> a, latest(supplier));
  if (!a) return core::not_found("no assessment of '" + supplier + "' (portwarden assess start)");
  // Who may write an assessment of this supplier may renew its evidence; refresh_draft itself
  // refuses a signed-off assessment (that needs a revision).
  PW_TRY(assessment::may_author(c.reg, person, supplier));
  const std::string before = core::canonical_dump(domain::assessment_to_json(*a)).value_or("");
  PW_TRY(assessment::refresh_draft(*a, c.inputs, c.evaluation, c.fingerprint));
  PW_TRY(write(domain::kAssessmentRefreshed, *a, before, actor_of(person)));
  return *a;
}

core::Result<Appended> AssessmentService::set_mitigation(const std::string& supplier,
                                                         const std::string& person,
                                                         const std::string& mitigation_id,
                                                         domain::MitigationStatus status,
                                                         bool feasible, const std::string& note) {
  PW_ASSIGN_OR_RETURN(domain::Register reg, register_.load());
  if (!reg.organisation(supplier)) {
    return core::not_found("no organisation '" + supplier + "' in the register");
  }
  if (!domain::find_mitigation(mitigation_id)) {
    std::string known;
    for (const auto& m : domain::mitigation_catalogue()) {
      known += (known.empty() ? "" : ", ") + std::string(m.id);
    }
    return core::invalid_argument("unknown mitigation '" + mitigation_id + "' (known: " + known +
                                  ")");
  }
  // Only analysts record mitigation statuses: they are inputs to the assessment.
  PW_TRY(assessment::may_author(reg, person, supplier));
  domain::MitigationState m;
  m.id = mitigation_id;
  m.status = status;
  m.feasible = feasible;
  m.note = note;
  m.updated_by = person;
  m.updated_at = core::format_rfc3339(clock_.now());
  return journal_.append(
      EventDraft{std::string(domain::kMitigationStatus),
                 actor_of(person),
                 {{"supplier", supplier}, {"mitigation", domain::mitigation_state_to_json(m)}}});
}

core::Result<int> AssessmentService::mark_stale() {
  PW_ASSIGN_OR_RETURN(auto refs, journal_.list_views("assessment_of"));
  int n = 0;
  for (const auto& [supplier, doc] : refs) {
    PW_ASSIGN_OR_RETURN(std::optional<domain::Assessment> a, latest(supplier));
    if (!a || a->status == domain::AssessmentStatus::kStale) continue;
    PW_ASSIGN_OR_RETURN(Current c, current(supplier));
    const std::string before = core::canonical_dump(domain::assessment_to_json(*a)).value_or("");
    const std::string was = a->inputs_fingerprint;
    if (assessment::mark_stale_if_changed(*a, c.fingerprint)) {
      PW_TRY(write(domain::kAssessmentStale, *a, before, "portwarden",
                   {{"was", was}, {"current_fingerprint", c.fingerprint}}));
      ++n;
    }
  }
  return n;
}

core::Result<AssessmentReport> AssessmentService::report(const std::string& supplier) {
  PW_ASSIGN_OR_RETURN(Current c, current(supplier));
  PW_ASSIGN_OR_RETURN(std::optional<domain::Assessment> a, latest(supplier));
  if (!a) return core::not_found("no assessment of '" + supplier + "' (portwarden assess start)");
  AssessmentReport out;
  if (a->status != domain::AssessmentStatus::kStale && a->inputs_fingerprint != c.fingerprint) {
    const std::string before = core::canonical_dump(domain::assessment_to_json(*a)).value_or("");
    const std::string was = a->inputs_fingerprint;
    if (assessment::mark_stale_if_changed(*a, c.fingerprint)) {
      PW_TRY(write(domain::kAssessmentStale, *a, before, "portwarden",
                   {{"was", was}, {"current_fingerprint", c.fingerprint}}));
      out.stale_now = true;
    }
  }
  PW_ASSIGN_OR_RETURN(CheckpointInfo cp, journal_.checkpoint());
  const domain::Organisation* org = c.reg.organisation(supplier);

  formats::ReportModel m;
  m.supplier_id = supplier;
  m.supplier_name = org ? org->name : supplier;
  m.supplier_country = org ? org->country : "";
  m.title = "Supplier assessment: " + m.supplier_name;
  m.generated_at = core::format_rfc3339(clock_.now());
  m.status = status_label(a->status);
  m.assessment_id = a->id + " (revision " + std::to_string(a->revision) + ")";
  m.author = a->author;
  m.inherent_risk = risk_label(a->inherent);
  m.residual_risk = risk_label(a->residual);
  m.risk_scale_note =
      "Risk is ordinal: low < medium < high < very high. Inherent risk follows from criteria 1, 2 "
      "and 3a; residual risk is lowered only by mitigations implemented or verified, never by "
      "planned ones (docs/ASSESSMENT.md).";
  if (org && !org->ownership_entity.empty()) {
    OwnershipQuery q;
    if (auto svg = ownership_.graph_svg(org->ownership_entity, q)) m.ownership_svg = *svg;
  }
  if (c.inputs.ownership) {
    for (const auto& s : c.inputs.ownership->states) {
      formats::ReportModel::ExposureRow row;
      row.state = s.country;
      const domain::CountryProfile* p = c.countries.find(s.country);
      row.state_name = p ? p->name : s.country;
      row.kind = !s.known ? "unknown" : s.exact ? "exact" : "range";
      row.lower = s.exposure.text;
      row.control = s.control ? s.control->summary : "";
      for (const auto& path : s.paths) row.paths.push_back(path.text);
      m.exposure.push_back(std::move(row));
    }
  }
  for (const auto& r : a->criteria) {
    formats::ReportModel::Criterion cr;
    cr.code = std::string(domain::criterion_name(r.criterion));
    const auto& w = domain::criterion_wording(r.criterion);
    cr.wording = std::string(w.english);
    cr.wording_nl = std::string(w.dutch);
    cr.suggested_answer = std::string(domain::answer_name(r.suggested));
    cr.suggested_rule = r.rule;
    cr.answer = r.analyst_answer ? std::string(domain::answer_name(*r.analyst_answer)) : "";
    cr.judgement = r.judgement;
    cr.judged_by = r.judged_by;
    for (const auto& e : r.evidence) {
      std::string text = e.text;
      for (const auto& path : e.paths) text += " [" + path.text + "]";
      cr.evidence.push_back(
          {std::string(domain::evidence_kind_name(e.kind)), text, source_text(e.sources)});
    }
    m.criteria.push_back(std::move(cr));
  }
  for (const auto& ms : a->mitigations) {
    const domain::MitigationDef* def = domain::find_mitigation(ms.id);
    m.mitigations.push_back({ms.id, def ? std::string(def->title) : ms.id,
                             std::string(domain::mitigation_status_name(ms.status)) +
                                 (ms.feasible ? "" : ", infeasible"),
                             def ? std::string(domain::access_channel_name(def->channel)) : "",
                             ms.note});
  }
  for (const auto& s : a->sign_offs) m.signoffs.push_back({s.person, s.at, "analyst", s.note});
  FindingsQuery fq;
  PW_ASSIGN_OR_RETURN(std::vector<FindingRecord> findings, register_.findings(fq));
  for (const auto& f : findings) {
    if (std::find(f.finding.vendors.begin(), f.finding.vendors.end(), supplier) ==
        f.finding.vendors.end()) {
      continue;
    }
    m.findings.push_back({f.finding.id, std::string(topology::severity_name(f.finding.severity)),
                          f.finding.title, f.finding.detail, f.finding.suggested_mitigation,
                          std::string(finding_state_name(f.state))});
  }
  m.checkpoint = {journal_.origin(), cp.size, core::to_hex(cp.root), cp.note};
  m.notes.push_back(
      "Facts about the scanners and Nuctech's ownership come from the answers of 19 April 2021 to "
      "parliamentary questions on the customs scanners in the port of Rotterdam; records marked "
      "fictional in the register are demo data.");
  m.notes.push_back(
      "Check this report against the journal: portwarden journal proof and "
      "portwarden verify inclusion, at the checkpoint above.");
  out.html = formats::render_report_html(m);

  std::ostringstream t;
  t << m.title << "\n  assessment " << m.assessment_id << ", " << m.status << ", by " << a->author
    << "\n  inherent risk " << m.inherent_risk << ", residual risk " << m.residual_risk << "\n";
  for (const auto& row : m.exposure) {
    t << "  state exposure " << row.state << ": " << row.lower;
    if (!row.control.empty()) t << "; " << row.control;
    t << "\n";
    for (const auto& p : row.paths) t << "    " << p << "\n";
  }
  for (const auto& cr : m.criteria) {
    t << "  criterion " << cr.code << ": "
      << (cr.answer.empty() ? "suggested " + cr.suggested_answer : cr.answer) << " (rule "
      << cr.suggested_rule << ")\n";
    for (const auto& e : cr.evidence) t << "    - " << e.text << "\n";
  }
  for (const auto& f : m.findings) t << "  finding [" << f.severity << "] " << f.id << "\n";
  t << "  made at checkpoint " << cp.size << " (root " << core::to_hex(cp.root) << ")\n";
  out.text = t.str();
  out.json = {{"assessment", domain::assessment_to_json(*a)},
              {"stale_now", out.stale_now},
              {"checkpoint", {{"size", cp.size}, {"root", core::to_hex(cp.root)}}},
              {"findings", nlohmann::json::array()}};
  for (const auto& f : m.findings) out.json["findings"].push_back(f.id);
  out.assessment = std::move(*a);
  return out;
}

}  // namespace pw::app
