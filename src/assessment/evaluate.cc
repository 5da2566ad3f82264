#include "assessment/evaluate.h"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

namespace pw::assessment {
namespace {

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

Evidence make(EvidenceKind kind, std::string subject, std::string text) {
  Evidence e;
  e.kind = kind;
  e.subject = std::move(subject);
  e.text = std::move(text);
  return e;
}

Figure count(std::string label, std::int64_t n) {
  return Figure{std::move(label), std::to_string(n), "count", n, n};
}

std::vector<SourceRef> sources_of(const domain::StatementBasis& b) {
  std::vector<SourceRef> out;
  for (const domain::ProfileSource& s : b.sources) out.push_back({s.title, s.url, s.as_of});
  return out;
}

std::string join(const std::vector<std::string>& v, std::string_view sep = ", ") {
  std::string out;
  for (const std::string& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::string confidence_note(const domain::StatementBasis& b) {
  return " [confidence: " + std::string(domain::confidence_name(b.confidence)) + "]";
}

// ---- Criterion 1 -----------------------------------------------------------------------------

Evidence law_evidence(const domain::CountryProfile& c) {
  const domain::CooperationLawFact& f = c.cooperation_law;
  std::string text = c.name + " (" + c.code + "): cooperation law " +
                     std::string(domain::cooperation_law_name(f.scope));
  if (!f.law.empty()) text += ": " + f.law;
  if (!f.article.empty()) text += ", " + f.article;
  if (!f.basis.summary.empty()) text += ". " + f.basis.summary;
  text += confidence_note(f.basis);
  Evidence e = make(EvidenceKind::kCooperationLaw, c.code, std::move(text));
  e.sources = sources_of(f.basis);
  return e;
}

int verdict_rank(std::string_view v) {
  return v == "yes" ? 2 : v == "possible" ? 1 : 0;
}

bool lower_threshold_majority(const ControlFinding& f) {
  return std::any_of(f.majority.begin(), f.majority.end(),
                     [](const std::string& m) { return m.ends_with(": yes"); });
}

Evidence control_evidence(const ControlFinding& f, const std::string& supplier_name,
                          const SourceRef& source) {
  std::string who = f.controller_name + (f.country.empty() ? "" : " (" + f.country + ")");
  Evidence e =
      make(EvidenceKind::kControl, f.controller,
           "Control of " + who + " over " + supplier_name + ": " + f.controls + " (" + f.summary +
               ")" + (f.concluded_by.empty() ? "" : "; concluded by " + join(f.concluded_by)) +
               (f.disagreements.empty() ? "" : "; " + join(f.disagreements, "; ")));
  e.figures = {f.economic, f.weakest_link};
  if (!f.weakest_chain.links.empty()) e.paths.push_back(f.weakest_chain);
  e.sources.push_back(source);
  return e;
}

CriterionResult criterion_1(const Inputs& in, const domain::CountryProfiles& countries,
                            const SourceRef& register_source, const SourceRef& ownership_source) {
  CriterionResult r;
  r.criterion = Criterion::k1;
  const domain::CountryProfile* origin =
      in.origin_country.empty() ? nullptr : countries.find(in.origin_country);
  {
    Evidence e = make(EvidenceKind::kOrigin, in.origin_country,
                      in.origin_country.empty()
                          ? "The origin country of " + in.supplier_name + " is not known."
                          : in.supplier_name + " originates from " + in.origin_country +
                                (origin ? " (" + origin->name + ")" : "") + "." +
                                (origin ? "" : " No country profile for it."));
    e.sources.push_back(register_source);
    r.evidence.push_back(std::move(e));
  }
  std::set<std::string> law_shown;
  if (origin) {
    r.evidence.push_back(law_evidence(*origin));
    law_shown.insert(origin->code);
  }
  auto show_law = [&](const std::string& code) {
    const domain::CountryProfile* p = code.empty() ? nullptr : countries.find(code);
    if (p && law_shown.insert(code).second) r.evidence.push_back(law_evidence(*p));
  };
  auto general_law = [&](const std::string& code) {
    const domain::CountryProfile* p = code.empty() ? nullptr : countries.find(code);
    return p && p->cooperation_law.scope == domain::CooperationLaw::kGeneral;
  };

  for (const StateBodyMatch& m : in.state_bodies) {
    Evidence e =
        make(EvidenceKind::kStateBody, m.entity,
             m.name + " is taken as a body of the " + m.country + " state (" + m.pattern +
                 ", matched by " + m.matched + "): " + m.basis.summary + confidence_note(m.basis));
    e.sources = sources_of(m.basis);
    r.evidence.push_back(std::move(e));
  }

  bool state_company = false, control_law = false, possible = false;
  std::string state_company_why, control_law_why, possible_why;
  if (in.ownership) {
    const OwnershipEvidence& o = *in.ownership;
    for (const StateFinding& s : o.states) {
      Evidence e =
          make(EvidenceKind::kStateExposure, s.country,
               s.exposure.label + ": " + s.exposure.text + " of " + o.supplier_name +
                   (s.supplier_is_member ? " (the supplier is itself a body of this state)" : ""));
      e.figures.push_back(s.exposure);
      e.paths = s.paths;
      e.sources.push_back(ownership_source);
      r.evidence.push_back(std::move(e));
      for (const domain::OwnershipPath& p : s.paths) {
        Evidence pe = make(EvidenceKind::kOwnershipPath, s.country, p.text);
        pe.paths.push_back(p);
        pe.sources.push_back(ownership_source);
        r.evidence.push_back(std::move(pe));
      }
      if (s.supplier_is_member && !state_company) {
        state_company = true;
        state_company_why = o.supplier_name + " is a body of the " + s.country + " state";
      }
      if (s.exposure.min > 5000 && !state_company) {
        state_company = true;
        state_company_why = "the " + s.country + " state holds " + s.exposure.text;
      }
      if (s.control) {
        r.evidence.push_back(control_evidence(*s.control, o.supplier_name, ownership_source));
        if (s.control->controls == "yes" && !state_company) {
          state_company = true;
          state_company_why =
              s.control->controller_name + " (" + s.country + " state) controls " + o.supplier_name;
        } else if ((s.control->controls == "possible" || lower_threshold_majority(*s.control)) &&
                   !possible) {
          possible = true;
          possible_why = s.control->controller_name + " (" + s.country +
                         " state): " + s.control->summary + "; " + join(s.control->majority, "; ");
        }
      }
      show_law(s.country);
    }
    for (const ControlFinding& c : o.controllers) {
      r.evidence.push_back(control_evidence(c, o.supplier_name, ownership_source));
      show_law(c.country);
      if (!general_law(c.country)) continue;
      if (c.controls == "yes" && !control_law) {
        control_law = true;
        control_law_why = c.controller_name + " (" + c.country + ") controls " + o.supplier_name +
                          " (" + join(c.concluded_by) + ")";
      } else if (verdict_rank(c.controls) >= 1 || lower_threshold_majority(c)) {
        if (!possible) {
          possible = true;
          possible_why = c.controller_name + " (" + c.country + "): " + c.summary;
        }
      }
    }
    for (const std::string& g : o.gaps) {
      Evidence e = make(EvidenceKind::kOwnershipGap, o.supplier, g);
      e.sources.push_back(ownership_source);
      r.evidence.push_back(std::move(e));
    }
  }

  const bool origin_law =
      origin && origin->cooperation_law.scope == domain::CooperationLaw::kGeneral;
  auto note = [&](std::string text) {
    r.evidence.push_back(make(EvidenceKind::kNote, in.supplier, std::move(text)));
  };
  if (state_company) {
    r.suggested = Answer::kYes;
    r.rule = "1.state-company";
    note("Rule 1.state-company: " + state_company_why + ".");
  } else if (origin_law) {
    r.suggested = Answer::kYes;
    r.rule = "1.origin-law";
    note("Rule 1.origin-law: " + in.supplier_name + " originates from " + origin->code +
         ", whose law obliges organisations to cooperate with its intelligence bodies (" +
         origin->cooperation_law.law + (origin->cooperation_law.article.empty() ? "" : ", ") +
         origin->cooperation_law.article + ").");
  } else if (control_law) {
    r.suggested = Answer::kYes;
    r.rule = "1.control-law";
    note("Rule 1.control-law: " + control_law_why + ".");
  } else if (possible) {
    r.suggested = Answer::kPartly;
    r.rule = "1.possible-control";
    note("Rule 1.possible-control: " + possible_why + ".");
  } else if (!origin || origin->cooperation_law.scope == domain::CooperationLaw::kUnknown) {
    r.suggested = Answer::kUnknown;
    r.rule = "1.no-origin";
    note("Rule 1.no-origin: the origin country or its law is not established.");
  } else if (!in.ownership) {
    r.suggested = Answer::kUnknown;
    r.rule = "1.no-ownership";
    note(
        "Rule 1.no-ownership: no ownership data, so control from another country cannot be "
        "excluded.");
  } else {
    r.suggested = Answer::kNo;
    r.rule = "1.none";
    note("Rule 1.none: no general cooperation law at origin, no state or foreign control found.");
  }
  return r;
}

// ---- Criterion 2 -----------------------------------------------------------------------------

bool named(const domain::CountryProfile& p) {
  return p.offensive_programme.finding == domain::ThreatFinding::kNamed;
}
bool tense(const domain::CountryProfile& p) {
  return p.relations.value == domain::Relations::kTense;
}

void add_threat_evidence(CriterionResult& r, const domain::CountryProfile& p) {
  const auto& f = p.offensive_programme;
  std::string text = p.name + " (" + p.code + "): ";
  switch (f.finding) {
    case domain::ThreatFinding::kNamed:
      text +=
          "named in Dutch public threat assessments as running an offensive intelligence "
          "programme against the Netherlands";
      break;
    case domain::ThreatFinding::kNotNamed:
      text +=
          "not named in Dutch public threat assessments as running an offensive "
          "intelligence programme against the Netherlands";
      break;
    case domain::ThreatFinding::kUnknown:
      text += "not established whether Dutch public threat assessments name it";
      break;
  }
  if (!f.basis.summary.empty()) text += ". " + f.basis.summary;
  Evidence e = make(EvidenceKind::kThreatAssessment, p.code, text + confidence_note(f.basis));
  e.sources = sources_of(f.basis);
  r.evidence.push_back(std::move(e));
  Evidence rel =
      make(EvidenceKind::kRelations, p.code,
           p.name + " (" + p.code + "): relations with the Netherlands " +
               std::string(domain::relations_name(p.relations.value)) +
               (p.relations.basis.summary.empty() ? "" : ". " + p.relations.basis.summary) +
               confidence_note(p.relations.basis));
  rel.sources = sources_of(p.relations.basis);
  r.evidence.push_back(std::move(rel));
}

CriterionResult criterion_2(const Inputs& in, const domain::CountryProfiles& countries) {
  CriterionResult r;
  r.criterion = Criterion::k2;
  const domain::CountryProfile* origin =
      in.origin_country.empty() ? nullptr : countries.find(in.origin_country);
  if (origin) add_threat_evidence(r, *origin);

  // Countries the supplier is tied to other than by origin: exposed states and controllers.
  std::vector<std::string> tied;
  if (in.ownership) {
    for (const StateFinding& s : in.ownership->states) {
      if (s.control && (s.control->controls != "no" || lower_threshold_majority(*s.control))) {
        tied.push_back(s.country);
      } else if (s.exposure.max > 0) {
        tied.push_back(s.country);
      }
    }
    for (const ControlFinding& c : in.ownership->controllers) {
      if (!c.country.empty()) tied.push_back(c.country);
    }
  }
  std::string tied_hit;
  std::set<std::string> shown;
  if (origin) shown.insert(origin->code);
  for (const std::string& code : tied) {
    const domain::CountryProfile* p = countries.find(code);
    if (!p) continue;
    if (shown.insert(code).second) add_threat_evidence(r, *p);
    if (code != in.origin_country && (named(*p) || tense(*p)) && tied_hit.empty()) tied_hit = code;
  }

  auto note = [&](std::string rule, std::string text) {
    r.rule = rule;
    r.evidence.push_back(make(EvidenceKind::kNote, in.supplier, "Rule " + rule + ": " + text));
  };
  if (!origin) {
    r.suggested = Answer::kUnknown;
    note("2.no-origin", in.origin_country.empty()
                            ? "the origin country is not known."
                            : "no country profile for " + in.origin_country + ".");
  } else if (named(*origin) &&
             origin->offensive_programme.basis.confidence != domain::Confidence::kLow) {
    r.suggested = Answer::kYes;
    note("2.named", origin->code + " is named in Dutch public threat assessments.");
  } else if (tense(*origin)) {
    r.suggested = Answer::kYes;
    note("2.tense", "relations with " + origin->code + " are tense.");
  } else if (named(*origin)) {
    r.suggested = Answer::kPartly;
    note("2.weakly-named", origin->code + " is named, with low confidence.");
  } else if (!tied_hit.empty()) {
    r.suggested = Answer::kPartly;
    note("2.controller", "the supplier is tied by ownership or control to " + tied_hit +
                             ", which is named or with which relations are tense; the criterion "
                             "speaks of origin.");
  } else if (origin->offensive_programme.finding == domain::ThreatFinding::kUnknown ||
             origin->relations.value == domain::Relations::kUnknown) {
    r.suggested = Answer::kUnknown;
    note("2.not-established", "the profile of " + origin->code +
                                  " does not establish the threat finding or the relations.");
  } else {
    r.suggested = Answer::kNo;
    note("2.none", origin->code + " is not named and relations are not tense.");
  }
  return r;
}

// ---- Criterion 3a ----------------------------------------------------------------------------

CriterionResult criterion_3a(const Inputs& in, const SourceRef& src) {
  CriterionResult r;
  r.criterion = Criterion::k3a;
  const AccessEvidence& a = in.access;
  auto add = [&](EvidenceKind k, std::string subject, std::string text, std::vector<Figure> f) {
    Evidence e = make(k, std::move(subject), std::move(text));
    e.figures = std::move(f);
    e.sources.push_back(src);
    r.evidence.push_back(std::move(e));
  };
  if (!a.in_register) {
    r.suggested = Answer::kUnknown;
    r.rule = "3a.not-in-register";
    add(EvidenceKind::kNote, in.supplier,
        "Rule 3a.not-in-register: " + in.supplier + " is not in the site register.", {});
    return r;
  }
  const auto n = [](const std::vector<std::string>& v) {
    return static_cast<std::int64_t>(v.size());
  };
  add(EvidenceKind::kAssets, in.supplier,
      std::to_string(a.assets.size()) + " assets of " + in.supplier_name + " (" +
          std::to_string(a.high) + " high, " + std::to_string(a.medium) + " medium, " +
          std::to_string(a.low) + " low criticality), " + std::to_string(a.scanners.size()) +
          " scanners" + (a.assets.empty() ? "" : ": " + join(a.assets)),
      {count("assets", n(a.assets)), count("high criticality", a.high),
       count("medium criticality", a.medium), count("low criticality", a.low),
       count("scanners", n(a.scanners))});
  if (!a.remote_capable.empty()) {
    add(EvidenceKind::kRemoteAccess, in.supplier,
        std::to_string(a.remote_capable.size()) + " assets maintainable remotely (" +
            join(a.remote_capable) + "), " + std::to_string(a.remote_into_closed.size()) +
            " of them on the closed scan network" +
            (a.remote_into_closed.empty() ? "" : " (" + join(a.remote_into_closed) + ")") +
            " (Q10: remote connections fix about a third of the faults)",
        {count("remote capable", n(a.remote_capable)),
         count("remote into closed network", n(a.remote_into_closed))});
  }
  if (!a.vendor_reachable.empty()) {
    add(EvidenceKind::kRemoteAccess, in.supplier,
        "Assets in a zone the vendor reaches without the gateway: " + join(a.vendor_reachable),
        {count("vendor reachable", n(a.vendor_reachable))});
  }
  for (const PolicyView& p : a.policies) {
    add(EvidenceKind::kRemotePolicy, p.id,
        "Remote-access policy " + p.id + ": " + (p.supervised ? "supervised" : "unsupervised") +
            ", " + (p.recorded ? "recorded" : "not recorded") + ", at most " +
            std::to_string(p.max_session_minutes) + " min per session, through " +
            (p.gateway.empty() ? "no gateway" : p.gateway) + "; covers " + join(p.assets),
        {Figure{"max session", std::to_string(p.max_session_minutes) + " min", "minutes",
                p.max_session_minutes, p.max_session_minutes}});
  }
  if (!a.remote_without_policy.empty()) {
    add(EvidenceKind::kRemotePolicy, in.supplier,
        "Remote-capable assets without a remote-access policy: " + join(a.remote_without_policy),
        {count("without policy", n(a.remote_without_policy))});
  }
  if (!a.server_room_assets.empty()) {
    add(EvidenceKind::kServerRoom, in.supplier,
        std::to_string(a.server_room_assets.size()) + " assets in server rooms (" +
            join(a.server_rooms) + "), so technicians need server-room entry (Q12)" +
            (a.shared_server_rooms.empty() ? ""
                                           : "; rooms shared with other vendors' servers: " +
                                                 join(a.shared_server_rooms) + " (Q11)"),
        {count("in server rooms", n(a.server_room_assets)),
         count("shared rooms", n(a.shared_server_rooms))});
  }
  if (!a.on_site_assets.empty()) {
    add(EvidenceKind::kPhysicalAccess, in.supplier,
        std::to_string(a.on_site_assets.size()) +
            " assets maintained on site; the register does not record escorting, so on-site "
            "access is taken as unescorted (Q12: technicians have independent access to the "
            "scanners)" +
            (a.unwatched_scanners.empty()
                 ? ""
                 : "; scanners no camera watches: " + join(a.unwatched_scanners)),
        {count("on site", n(a.on_site_assets)),
         count("unwatched scanners", n(a.unwatched_scanners))});
  }
  if (a.technicians > 0) {
    add(EvidenceKind::kPersonnel, in.supplier,
        std::to_string(a.technicians) + " technicians of " + in.supplier_name + ", " +
            std::to_string(a.technicians_screened) + " with a valid screening (" +
            std::to_string(a.technicians_vgb) + " VGB) on " + domain::format_date(in.as_of),
        {count("technicians", a.technicians), count("screened", a.technicians_screened),
         count("VGB", a.technicians_vgb)});
  }

  std::vector<std::string> why;
  if (!a.remote_into_closed.empty()) why.push_back("remote maintenance into the closed network");
  if (!a.vendor_reachable.empty()) why.push_back("assets the vendor reaches without the gateway");
  if (!a.server_room_assets.empty() && a.high > 0) {
    why.push_back("server-room entry with high-criticality assets");
  }
  if (a.high >= 3) why.push_back(std::to_string(a.high) + " high-criticality assets");
  std::string rule_text;
  if (!why.empty()) {
    r.suggested = Answer::kYes;
    r.rule = "3a.extensive";
    rule_text = join(why, "; ");
  } else if (!a.remote_capable.empty() || !a.server_room_assets.empty() || a.high + a.medium > 0) {
    r.suggested = Answer::kPartly;
    r.rule = "3a.limited";
    rule_text =
        "some access (remote capability, server-room entry or assets of medium or high "
        "criticality), none of it extensive";
  } else {
    r.suggested = Answer::kNo;
    r.rule = "3a.none";
    rule_text = a.assets.empty() ? "no assets in the register" : "low-criticality assets only";
  }
  std::vector<std::string> channels;
  for (AccessChannel c : a.channels) channels.emplace_back(domain::access_channel_name(c));
  add(EvidenceKind::kNote, in.supplier,
      "Rule " + r.rule + ": " + rule_text +
          ". Access channels: " + (channels.empty() ? "none" : join(channels)) + ".",
      {});
  return r;
}

// ---- Criterion 3b and risk -------------------------------------------------------------------

const MitigationState* state_of(std::span<const MitigationState> ms, std::string_view id) {
  for (const MitigationState& m : ms) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

bool at_least(const MitigationState* m, MitigationStatus s) {
  return m && m->feasible && m->status >= s;
}

// A channel's best status among its feasible measures, or nullopt when none is recorded.
bool channel_has(AccessChannel c, std::span<const MitigationState> ms, MitigationStatus s) {
  for (const domain::MitigationDef& d : domain::mitigation_catalogue()) {
    if (d.channel == c && at_least(state_of(ms, d.id), s)) return true;
  }
  return false;
}

bool channel_infeasible(AccessChannel c, std::span<const MitigationState> ms) {
  bool any = false;
  for (const domain::MitigationDef& d : domain::mitigation_catalogue()) {
    if (d.channel != c) continue;
    any = true;
    const MitigationState* m = state_of(ms, d.id);
    if (!m || m->feasible) return false;
  }
  return any;
}

CriterionResult criterion_3b(const Inputs& in, Answer a3a, const SourceRef& src) {
  CriterionResult r;
  r.criterion = Criterion::k3b;
  const auto& channels = in.access.channels;
  for (AccessChannel c : channels) {
    for (const domain::MitigationDef& d : domain::mitigation_catalogue()) {
      if (d.channel != c) continue;
      const MitigationState* m = state_of(in.mitigations, d.id);
      std::string status =
          m ? std::string(domain::mitigation_status_name(m->status)) : "not recorded";
      if (m && !m->feasible) status += ", judged infeasible";
      Evidence e = make(EvidenceKind::kMitigation, std::string(d.id),
                        std::string(domain::access_channel_name(c)) + ": " + std::string(d.title) +
                            " (" + std::string(d.seed) + "): " + status +
                            (m && !m->note.empty() ? " - " + m->note : ""));
      e.sources.push_back(src);
      r.evidence.push_back(std::move(e));
    }
  }
  if (const domain::MitigationDef* audit = domain::find_mitigation("external-audit")) {
    const MitigationState* m = state_of(in.mitigations, audit->id);
    Evidence e = make(
        EvidenceKind::kMitigation, std::string(audit->id),
        "assurance: " + std::string(audit->title) + " (" + std::string(audit->seed) +
            "): " + (m ? std::string(domain::mitigation_status_name(m->status)) : "not recorded"));
    e.sources.push_back(src);
    r.evidence.push_back(std::move(e));
  }

  std::vector<std::string> covered, uncovered, infeasible;
  for (AccessChannel c : channels) {
    const std::string name(domain::access_channel_name(c));
    if (channel_infeasible(c, in.mitigations)) infeasible.push_back(name);
    (channel_has(c, in.mitigations, MitigationStatus::kPlanned) ? covered : uncovered)
        .push_back(name);
  }
  auto note = [&](std::string rule, std::string text) {
    r.rule = rule;
    r.evidence.push_back(make(EvidenceKind::kNote, in.supplier, "Rule " + rule + ": " + text));
  };
  if (a3a == Answer::kUnknown && !in.access.in_register) {
    r.suggested = Answer::kUnknown;
    note("3b.not-in-register", "the access is not known, so neither is what to mitigate.");
  } else if (channels.empty()) {
    r.suggested = Answer::kYes;
    note("3b.no-access", "no access channel to mitigate.");
  } else if (!infeasible.empty()) {
    r.suggested = Answer::kNo;
    note("3b.infeasible", "every measure is judged infeasible for: " + join(infeasible) + ".");
  } else if (uncovered.empty()) {
    r.suggested = Answer::kYes;
    note("3b.covered",
         "every exposed channel has a measure planned or further: " + join(covered) + ".");
  } else if (!covered.empty()) {
    r.suggested = Answer::kPartly;
    note("3b.some-covered",
         "covered: " + join(covered) + "; not covered: " + join(uncovered) + ".");
  } else {
    r.suggested = Answer::kUnknown;
    note("3b.none-committed", "no measure is planned, implemented or verified for: " +
                                  join(uncovered) + "; feasibility not established.");
  }
  return r;
}

int threat_score(Answer a) {
  switch (a) {
    case Answer::kYes:
      return 2;
    case Answer::kNo:
      return 0;
    case Answer::kPartly:
    case Answer::kUnknown:
      return 1;
  }
  return 1;
}

constexpr std::array<std::array<RiskLevel, 3>, 3> kMatrix{{
    {RiskLevel::kLow, RiskLevel::kLow, RiskLevel::kMedium},
    {RiskLevel::kLow, RiskLevel::kMedium, RiskLevel::kHigh},
    {RiskLevel::kMedium, RiskLevel::kHigh, RiskLevel::kVeryHigh},
}};
constexpr std::array<std::string_view, 3> kThreatNames{"none", "moderate", "strong"};
constexpr std::array<std::string_view, 3> kAccessNames{"none", "limited", "extensive"};

}  // namespace

RiskDerivation derive_risk(Answer c1, Answer c2, Answer c3a,
                           std::span<const AccessChannel> channels,
                           std::span<const MitigationState> mitigations) {
  RiskDerivation d;
  const int t = threat_score(c1) + threat_score(c2);
  const int threat = t == 0 ? 0 : t <= 2 ? 1 : 2;
  const int access = c3a == Answer::kYes ? 2 : c3a == Answer::kNo ? 0 : 1;
  d.inherent = kMatrix[threat][access];
  d.reasons.push_back("threat " + std::string(kThreatNames[threat]) + ": criterion 1 " +
                      std::string(domain::answer_name(c1)) + ", criterion 2 " +
                      std::string(domain::answer_name(c2)) + " (score " + std::to_string(t) +
                      " of 4)");
  d.reasons.push_back("access " + std::string(kAccessNames[access]) + ": criterion 3a " +
                      std::string(domain::answer_name(c3a)));
  d.reasons.push_back("inherent " + std::string(domain::risk_level_name(d.inherent)));

  std::vector<std::string> unmitigated, unverified;
  for (AccessChannel c : channels) {
    if (c == AccessChannel::kAssurance) continue;
    const std::string name(domain::access_channel_name(c));
    if (!channel_has(c, mitigations, MitigationStatus::kImplemented)) unmitigated.push_back(name);
    if (!channel_has(c, mitigations, MitigationStatus::kVerified)) unverified.push_back(name);
  }
  const bool audit_verified =
      at_least(state_of(mitigations, "external-audit"), MitigationStatus::kVerified);
  int steps = 0;
  if (channels.empty()) {
    d.reasons.push_back("residual not lowered: no access channel is exposed");
  } else if (!unmitigated.empty()) {
    d.reasons.push_back("residual not lowered: no implemented or verified measure for " +
                        join(unmitigated));
  } else if (!unverified.empty() || !audit_verified) {
    steps = 1;
    d.reasons.push_back(
        "access lowered one step: every exposed channel has an implemented measure" +
        std::string(unverified.empty() ? "" : "; not verified: " + join(unverified)) +
        (audit_verified ? "" : "; external audit not verified"));
  } else {
    steps = 2;
    d.reasons.push_back(
        "access lowered two steps: every exposed channel has a verified measure "
        "and the external audit is verified");
  }
  d.residual = kMatrix[threat][std::max(0, access - steps)];
  d.reasons.push_back("residual " + std::string(domain::risk_level_name(d.residual)));
  return d;
}

RiskDerivation derive_risk(const domain::Assessment& a) {
  auto answer = [&](Criterion c) {
    const CriterionResult* r = a.result(c);
    return r ? r->effective() : Answer::kUnknown;
  };
  return derive_risk(answer(Criterion::k1), answer(Criterion::k2), answer(Criterion::k3a),
                     a.exposed_channels, a.mitigations);
}

Evaluation evaluate(const Inputs& in, const domain::CountryProfiles& countries) {
  const SourceRef register_source{"site register", "organisation " + in.supplier, in.as_of};
  const SourceRef ownership_source{
      "ownership data", in.ownership ? "entity " + in.ownership->supplier : "", in.as_of};
  Evaluation ev;
  ev.criteria.push_back(criterion_1(in, countries, register_source, ownership_source));
  ev.criteria.push_back(criterion_2(in, countries));
  ev.criteria.push_back(criterion_3a(in, register_source));
  const SourceRef mitigation_source{"mitigation statuses", "supplier " + in.supplier, in.as_of};
  ev.criteria.push_back(criterion_3b(in, ev.criteria[2].suggested, mitigation_source));
  ev.exposed_channels = in.access.channels;
  ev.risk = derive_risk(ev.criteria[0].suggested, ev.criteria[1].suggested,
                        ev.criteria[2].suggested, ev.exposed_channels, in.mitigations);
  return ev;
}

core::Result<Inputs> gather_inputs(const domain::Register& reg, std::string_view supplier,
                                   const ownership::Graph* graph,
                                   std::vector<StateBodyMatch> state_bodies,
                                   std::vector<MitigationState> mitigations, domain::Date as_of) {
  const domain::Organisation* org = reg.organisation(supplier);
  if (!org)
    return core::not_found("no organisation '" + std::string(supplier) + "' in the register");
  Inputs in;
  in.supplier = org->id;
  in.supplier_name = org->name.empty() ? org->id : org->name;
  in.origin_country = org->country;
  in.as_of = as_of;
  if (graph) {
    std::optional<ownership::NodeId> node;
    if (!org->ownership_entity.empty()) {
      auto n = graph->find(org->ownership_entity);
      if (!n) {
        return std::unexpected(
            n.error().with_context("organisation " + org->id + " ownership_entity"));
      }
      node = *n;
    } else {
      for (const domain::Identifier& id : org->identifiers) {
        auto n = graph->find_by_identifier(id.scheme, id.value);
        if (n) {
          node = *n;
          break;
        }
      }
    }
    if (node) {
      PW_ASSIGN_OR_RETURN(in.ownership, ownership_evidence(*graph, *node));
      if (in.origin_country.empty()) in.origin_country = in.ownership->supplier_country;
    }
  }
  // Only the matches the evidence mentions: a register may group thousands of bodies.
  std::set<std::string> mentioned;
  if (in.ownership) {
    auto add_path = [&](const domain::OwnershipPath& p) {
      for (const domain::PathLink& l : p.links) {
        mentioned.insert(l.owner);
        mentioned.insert(l.owned);
      }
    };
    mentioned.insert(in.ownership->supplier);
    for (const StateFinding& s : in.ownership->states) {
      for (const auto& p : s.paths) add_path(p);
      if (s.control) {
        mentioned.insert(s.control->controller);
        add_path(s.control->weakest_chain);
      }
    }
    for (const ControlFinding& c : in.ownership->controllers) add_path(c.weakest_chain);
  }
  for (StateBodyMatch& m : state_bodies) {
    if (mentioned.count(m.entity)) in.state_bodies.push_back(std::move(m));
  }
  in.access = access_evidence(reg, org->id, as_of);

  // One status per catalogue id, in catalogue order (so the fingerprint does not depend on the
  // order the app stored them in).
  for (const MitigationState& m : mitigations) {
    if (!domain::find_mitigation(m.id)) {
      return core::invalid_argument("mitigation '" + m.id + "' is not in the catalogue");
    }
  }
  for (const domain::MitigationDef& d : domain::mitigation_catalogue()) {
    const MitigationState* found = nullptr;
    for (const MitigationState& m : mitigations) {
      if (m.id != d.id) continue;
      if (found) return core::invalid_argument("mitigation '" + m.id + "' given twice");
      found = &m;
    }
    if (found) in.mitigations.push_back(*found);
  }
  return in;
}

}  // namespace pw::assessment
