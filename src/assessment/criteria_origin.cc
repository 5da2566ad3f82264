#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "assessment/internal/criteria.h"

// Criteria 1 (origin, state ownership and control) and 2 (the origin country's offensive
// intelligence programme) of the cabinet's assessment framework.

namespace pw::assessment::internal {
namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

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

}  // namespace pw::assessment::internal
