// The Foreign Subsidies Regulation part of ProcurementService (contributions, the group from the
// ownership engine, notification and review tracking) and the award with its blocking reasons.
#include <algorithm>
#include <set>

#include "app/internal/procurement_state.h"
#include "app/procurement_service.h"
#include "core/canonical_json.h"
#include "domain/assessment.h"
#include "domain/event_types.h"
#include "ownership/control.h"
#include "ownership/graph.h"
#include "procurement/fsr.h"

namespace pw::app {
namespace {

using internal::JournalReader;
using internal::ViewsReader;

constexpr int kPreliminaryDays = 20;       // art. 30(2)
constexpr int kPreliminaryExtension = 10;  // art. 30(2), once
constexpr int kInDepthDays = 110;          // art. 30
constexpr int kInDepthExtension = 20;      // art. 30, once

core::Result<domain::Date> date_or_today(const std::string& text, domain::Date today,
                                         const char* what) {
  if (text.empty()) return today;
  auto d = domain::parse_date(text);
  if (!d || text.size() != 10) {
    return core::invalid_argument(std::string(what) + " must be a date YYYY-MM-DD, not '" + text +
                                  "'");
  }
  return *d;
}

// The same calendar day three years earlier (29 February becomes 28 February).
domain::Date three_years_before(domain::Date d) {
  std::string s = domain::format_date(d);
  const int year = std::stoi(s.substr(0, 4)) - 3;
  std::string y = std::to_string(year);
  while (y.size() < 4) y = "0" + y;
  auto back = domain::parse_date(y + s.substr(4));
  if (back) return *back;
  return domain::parse_date(y + s.substr(4, 4) + "28").value_or(domain::Date{d.days - 1095});
}

// Bidder id -> register organisation (ProcedureSettings::bidder_vendors documents the order).
std::optional<std::string> resolve_vendor(const domain::ProcedureSettings& s,
                                          const domain::Register& reg, const std::string& bidder) {
  if (auto it = s.bidder_vendors.find(bidder); it != s.bidder_vendors.end()) return it->second;
  if (reg.organisation(bidder)) return bidder;
  for (const auto& o : reg.organisations) {
    if (!o.ownership_entity.empty() && o.ownership_entity == bidder) return o.id;
  }
  for (const auto& o : reg.organisations) {
    for (const auto& i : o.identifiers) {
      if (i.scheme + ":" + i.value == bidder) return o.id;
    }
  }
  return std::nullopt;
}

bool bids_in(const domain::Procedure& p, const std::string& bidder) {
  for (const auto& l : p.lots) {
    for (const auto& b : l.bids) {
      if (b.bidder == bidder ||
          std::find(b.tenderers.begin(), b.tenderers.end(), bidder) != b.tenderers.end()) {
        return true;
      }
    }
  }
  return false;
}

core::Result<domain::StoredProcedure> need_procedure(internal::ProcurementReader& r,
                                                     const std::string& id, int days) {
  PW_ASSIGN_OR_RETURN(auto p, internal::load_procedure(r, id, days));
  if (!p)
    return core::not_found("no procedure '" + id + "' in the store (portwarden tender import)");
  return std::move(*p);
}

core::Result<std::int64_t> eur(const std::optional<domain::Money>& m, const std::string& what) {
  if (!m) return core::failed_precondition(what + " is missing: the FSR thresholds need it");
  if (m->currency != "EUR") {
    return core::failed_precondition(what + " is in " + m->currency +
                                     ", not EUR: the FSR thresholds are in euro and nothing "
                                     "here converts currencies");
  }
  return m->minor;
}

// Writes `type` with the case after `change`, re-reading the case inside the transaction.
template <typename Fn>
core::Result<domain::FsrCase> change_case(JournalService& journal, const std::string& actor,
                                          const std::string& procedure, const std::string& bidder,
                                          std::string_view type,
                                          std::optional<std::uint64_t> expected, Fn change) {
  domain::FsrCase out;
  PW_TRY(journal.execute([&](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
    ViewsReader r(views);
    PW_ASSIGN_OR_RETURN(auto c, internal::load_case(r, procedure, bidder));
    PW_TRY(internal::check_version(r, procedure, expected));
    if (!c || !c->checked) {
      return core::failed_precondition("no FSR check of bidder '" + bidder + "' in procedure " +
                                       procedure + " (portwarden tender fsr check)");
    }
    PW_TRY(change(*c));
    out = *c;
    return std::vector<EventDraft>{
        EventDraft{std::string(type), actor, {{"case", domain::fsr_case_to_json(*c)}}}};
  }));
  return out;
}

}  // namespace

core::Result<domain::FsrContribution> ProcurementService::add_contribution(
    const std::string& actor, const ContributionInput& in) {
  if (actor.empty()) return core::invalid_argument("the actor (who acts) is required");
  if (in.entity.empty()) return core::invalid_argument("the entity is required");
  if (in.country.size() != 2 || !std::all_of(in.country.begin(), in.country.end(),
                                             [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return core::invalid_argument("country must be an ISO 3166-1 alpha-2 code in capitals, not '" +
                                  in.country + "'");
  }
  if (procurement::is_eu_member_state(in.country)) {
    return core::invalid_argument(in.country +
                                  " is an EU member state: the FSR counts contributions from "
                                  "third countries only");
  }
  if (in.eur_cents <= 0) return core::invalid_argument("the amount must be > 0 euro cents");
  if (in.source.empty()) return core::invalid_argument("the source of the figure is required");
  const domain::Date today = internal::day_of(clock_.now());
  PW_ASSIGN_OR_RETURN(domain::Date start, date_or_today(in.period_start, today, "period start"));
  PW_ASSIGN_OR_RETURN(domain::Date end, date_or_today(in.period_end, today, "period end"));
  if (in.period_start.empty() || in.period_end.empty()) {
    return core::invalid_argument("the period (start and end dates) is required");
  }
  if (end < start) return core::invalid_argument("the period ends before it starts");
  domain::FsrContribution c;
  c.entity = in.entity;
  c.country = in.country;
  c.eur_cents = in.eur_cents;
  c.period_start = start;
  c.period_end = end;
  c.source = in.source;
  c.recorded_at = core::format_rfc3339(clock_.now());
  PW_TRY(journal_.execute([&](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
    ViewsReader r(views);
    PW_ASSIGN_OR_RETURN(auto rows, r.list("fsr_contribution", ""));
    char id[16];
    std::snprintf(id, sizeof id, "c%06zu", rows.size() + 1);
    c.id = id;
    return std::vector<EventDraft>{EventDraft{std::string(domain::kTenderFsrContribution),
                                              actor,
                                              {{"contribution", domain::contribution_to_json(c)}}}};
  }));
  return c;
}

core::Result<std::vector<domain::FsrContribution>> ProcurementService::contributions() {
  JournalReader r(journal_);
  return internal::load_contributions(r);
}

core::Result<domain::FsrCase> ProcurementService::fsr_check(
    const std::string& actor, const std::string& procedure, const std::string& bidder,
    const FsrCheckInput& input, std::optional<std::uint64_t> expected_version) {
  if (actor.empty()) return core::invalid_argument("the actor (who acts) is required");
  JournalReader jr(journal_);
  PW_ASSIGN_OR_RETURN(domain::StoredProcedure sp,
                      need_procedure(jr, procedure, config_.explanation_working_days));
  const domain::Procedure& p = sp.procedure;
  if (!bids_in(p, bidder)) {
    return core::not_found("bidder '" + bidder + "' has no bid in procedure " + procedure);
  }
  procurement::FsrInput fin;
  PW_ASSIGN_OR_RETURN(fin.estimated_value_eur_cents,
                      eur(p.estimated_value, "the procedure's estimated value"));
  if (p.lots.size() > 1) {
    std::int64_t sum = 0;
    for (const auto& l : p.lots) {
      const bool applied =
          input.lots.empty()
              ? std::any_of(l.bids.begin(), l.bids.end(),
                            [&](const auto& b) { return b.bidder == bidder; })
              : std::find(input.lots.begin(), input.lots.end(), l.id) != input.lots.end();
      if (!applied) continue;
      PW_ASSIGN_OR_RETURN(std::int64_t v, eur(l.estimate, "the estimate of lot '" + l.id + "'"));
      sum += v;
    }
    fin.lots_applied_eur_cents = sum;
  }
  for (const auto& l : input.lots) {
    if (!std::any_of(p.lots.begin(), p.lots.end(), [&](const auto& x) { return x.id == l; })) {
      return core::not_found("procedure " + procedure + " has no lot '" + l + "'");
    }
  }

  // The group (art. 28(1)(b)): the bidder, the companies that control it (holding companies)
  // and those it controls (subsidiaries without commercial autonomy), by the ownership engine's
  // control verdict "yes"; "possible" ones are listed, not counted. Then the named main
  // subcontractors and suppliers.
  const domain::Date today = internal::day_of(clock_.now());
  PW_ASSIGN_OR_RETURN(domain::Register reg, register_.load());
  const auto vendor = resolve_vendor(sp.settings, reg, bidder);
  std::vector<domain::FsrGroupMember> group;
  nlohmann::json possible = nlohmann::json::array();
  std::vector<std::string> notes;
  std::set<std::string> ids;
  auto add = [&](domain::FsrGroupMember m) {
    if (ids.insert(m.entity).second) group.push_back(std::move(m));
  };
  std::optional<ownership::Graph> graph;
  auto data = ownership_.dataset();
  if (data) {
    PW_ASSIGN_OR_RETURN(ownership::Graph g, ownership::Graph::build(std::move(*data), today));
    graph.emplace(std::move(g));
  } else if (data.error().code() != core::Code::kFailedPrecondition) {
    return std::unexpected(data.error());
  }
  std::optional<ownership::NodeId> node;
  if (graph) {
    if (auto n = graph->find(bidder)) {
      node = *n;
    } else if (vendor) {
      const domain::Organisation* org = reg.organisation(*vendor);
      if (org && !org->ownership_entity.empty()) {
        if (auto m = graph->find(org->ownership_entity)) node = *m;
      }
    }
  }
  if (!node) {
    add({bidder, bidder, "bidder",
         "not found in the ownership data: the group is the bidder only"});
    notes.push_back("bidder '" + bidder +
                    "' is not in the ownership data; holding companies and subsidiaries are "
                    "unknown (import the ownership registers first)");
  } else {
    const auto& self = graph->entity(*node);
    add({self.id, self.name, "bidder", "the bidder"});
    if (self.id != bidder) add({bidder, self.name, "bidder", "the bidder's id in the bids"});
    for (ownership::NodeId n = 0; n < graph->size(); ++n) {
      if (n == *node || graph->entity(n).kind != domain::EntityKind::kCompany) continue;
      const auto& e = graph->entity(n);
      for (const bool holding : {true, false}) {
        auto c =
            holding ? ownership::control(*graph, n, *node) : ownership::control(*graph, *node, n);
        if (!c || c->controls == ownership::Verdict::kNo) continue;
        const std::string role = holding ? "holding" : "subsidiary";
        if (c->controls == ownership::Verdict::kYes) {
          add({e.id, e.name, role, c->summary});
        } else {
          possible.push_back(
              {{"entity", e.id}, {"name", e.name}, {"role", role}, {"why", c->summary}});
        }
      }
    }
  }
  for (const auto& s : input.subcontractors) {
    if (s.empty()) return core::invalid_argument("an empty subcontractor name");
    std::string id = s, name = s;
    if (graph) {
      if (auto n = graph->find(s)) {
        id = graph->entity(*n).id;
        name = graph->entity(*n).name;
      }
    }
    add({id, name, "subcontractor", "main subcontractor or supplier named by the buyer"});
  }

  // The group's contributions whose period overlaps the three years before today.
  const domain::Date from = three_years_before(today);
  PW_ASSIGN_OR_RETURN(auto contribs, internal::load_contributions(jr));
  nlohmann::json used = nlohmann::json::array();
  for (const auto& c : contribs) {
    if (!ids.count(c.entity) || c.period_end < from || c.period_start > today) continue;
    fin.contributions.push_back({c.country, c.eur_cents, c.entity});
    used.push_back(domain::contribution_to_json(c));
  }
  PW_ASSIGN_OR_RETURN(procurement::FsrResult res, procurement::fsr_notification_test(fin));

  domain::FsrCase fresh;
  fresh.procedure = procedure;
  fresh.bidder = bidder;
  fresh.checked = true;
  fresh.notify = res.duty == procurement::FsrDuty::kNotify;
  fresh.checked_at = core::format_rfc3339(clock_.now());
  fresh.group = group;
  fresh.subcontractors = input.subcontractors;
  nlohmann::json totals = nlohmann::json::array();
  for (const auto& t : res.third_countries) {
    totals.push_back({{"country", t.country}, {"eur_cents", t.eur_cents}});
  }
  fresh.result = {
      {"duty", fresh.notify ? "notify" : "declare"},
      {"value_test_met", res.value_test_met},
      {"estimated_value_eur_cents", fin.estimated_value_eur_cents},
      {"lots_applied_eur_cents", fin.lots_applied_eur_cents
                                     ? nlohmann::json(*fin.lots_applied_eur_cents)
                                     : nlohmann::json(nullptr)},
      {"third_countries", totals},
      {"countries_over", res.countries_over},
      {"reasons", res.reasons},
      {"contributions", used},
      {"window", {{"from", domain::format_date(from)}, {"to", domain::format_date(today)}}},
      {"possible_members", possible},
      {"notes", notes}};
  PW_TRY(journal_.execute([&](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
    ViewsReader r(views);
    PW_TRY(internal::check_version(r, procedure, expected_version));
    PW_ASSIGN_OR_RETURN(auto prev, internal::load_case(r, procedure, bidder));
    if (prev) {  // a new check keeps the notification and review already tracked
      fresh.notified = prev->notified;
      fresh.preliminary_deadline = prev->preliminary_deadline;
      fresh.preliminary_extended = prev->preliminary_extended;
      fresh.in_depth_opened = prev->in_depth_opened;
      fresh.in_depth_deadline = prev->in_depth_deadline;
      fresh.in_depth_extended = prev->in_depth_extended;
      fresh.outcome = prev->outcome;
      fresh.outcome_date = prev->outcome_date;
      fresh.outcome_text = prev->outcome_text;
    }
    return std::vector<EventDraft>{EventDraft{std::string(domain::kTenderFsrChecked),
                                              actor,
                                              {{"case", domain::fsr_case_to_json(fresh)}}}};
  }));
  return fresh;
}

core::Result<domain::FsrCase> ProcurementService::fsr_notified(
    const std::string& actor, const std::string& procedure, const std::string& bidder,
    const std::string& date, std::optional<std::uint64_t> expected_version) {
  if (actor.empty()) return core::invalid_argument("the actor (who acts) is required");
  PW_ASSIGN_OR_RETURN(domain::Date d,
                      date_or_today(date, internal::day_of(clock_.now()), "the notification date"));
  return change_case(
      journal_, actor, procedure, bidder, domain::kTenderFsrNotified, expected_version,
      [&](domain::FsrCase& c) -> core::Status {
        if (!c.notify) {
          return core::failed_precondition(
              "the FSR check found no notification duty for '" + bidder +
              "' (a declaration suffices, art. 29); check again if the facts "
              "changed");
        }
        if (c.notified) {
          return core::failed_precondition("the notification was already recorded (" +
                                           domain::format_date(*c.notified) + ")");
        }
        c.notified = d;
        c.preliminary_deadline = domain::add_working_days(d, kPreliminaryDays);
        return core::ok();
      });
}

core::Result<domain::FsrCase> ProcurementService::fsr_review(
    const std::string& actor, const std::string& procedure, const std::string& bidder,
    const ReviewInput& in, std::optional<std::uint64_t> expected_version) {
  if (actor.empty()) return core::invalid_argument("the actor (who acts) is required");
  const domain::Date today = internal::day_of(clock_.now());
  PW_ASSIGN_OR_RETURN(domain::Date d, date_or_today(in.date, today, "the date"));
  if (in.step == ReviewStep::kOutcome && in.outcome == domain::FsrOutcome::kNone) {
    return core::invalid_argument(
        "an outcome is required: no_objection, commitments or prohibition");
  }
  return change_case(
      journal_, actor, procedure, bidder, domain::kTenderFsrReview, expected_version,
      [&](domain::FsrCase& c) -> core::Status {
        if (!c.notified) {
          return core::failed_precondition("no notification recorded for '" + bidder +
                                           "' (portwarden tender fsr notified)");
        }
        if (c.outcome != domain::FsrOutcome::kNone) {
          return core::failed_precondition("the review already ended: " +
                                           std::string(domain::fsr_outcome_name(c.outcome)));
        }
        switch (in.step) {
          case ReviewStep::kExtendPreliminary:
            if (c.in_depth_opened) {
              return core::failed_precondition("an in-depth investigation is open already");
            }
            if (c.preliminary_extended) {
              return core::failed_precondition(
                  "the preliminary review was extended once already (art. 30(2) allows once)");
            }
            c.preliminary_extended = true;
            c.preliminary_deadline =
                domain::add_working_days(*c.preliminary_deadline, kPreliminaryExtension);
            break;
          case ReviewStep::kOpenInDepth:
            if (c.in_depth_opened) {
              return core::failed_precondition("the in-depth investigation is open already");
            }
            if (d < *c.notified || d > *c.preliminary_deadline) {
              return core::failed_precondition(
                  "an in-depth investigation is opened within the preliminary review (" +
                  domain::format_date(*c.notified) + " to " +
                  domain::format_date(*c.preliminary_deadline) + ", art. 30(3))");
            }
            c.in_depth_opened = d;
            c.in_depth_deadline = domain::add_working_days(d, kInDepthDays);
            break;
          case ReviewStep::kExtendInDepth:
            if (!c.in_depth_opened) {
              return core::failed_precondition("no in-depth investigation is open");
            }
            if (c.in_depth_extended) {
              return core::failed_precondition(
                  "the in-depth investigation was extended once already (art. 30 allows once)");
            }
            c.in_depth_extended = true;
            c.in_depth_deadline = domain::add_working_days(*c.in_depth_deadline, kInDepthExtension);
            break;
          case ReviewStep::kOutcome:
            if (in.outcome != domain::FsrOutcome::kNoObjection && !c.in_depth_opened) {
              return core::failed_precondition(
                  "commitments or a prohibition are decisions closing an in-depth "
                  "investigation (art. 31); none is open");
            }
            if (d < *c.notified) {
              return core::failed_precondition("the decision date is before the notification");
            }
            c.outcome = in.outcome;
            c.outcome_date = d;
            c.outcome_text = in.text;
            break;
        }
        return core::ok();
      });
}

core::Result<std::optional<domain::FsrCase>> ProcurementService::fsr_case(
    const std::string& procedure, const std::string& bidder) {
  JournalReader r(journal_);
  return internal::load_case(r, procedure, bidder);
}

core::Result<std::optional<std::string>> ProcurementService::vendor_of(const std::string& procedure,
                                                                       const std::string& bidder) {
  JournalReader r(journal_);
  PW_ASSIGN_OR_RETURN(domain::StoredProcedure sp,
                      need_procedure(r, procedure, config_.explanation_working_days));
  PW_ASSIGN_OR_RETURN(domain::Register reg, register_.load());
  return resolve_vendor(sp.settings, reg, bidder);
}

namespace {

struct BlockCheck {
  std::vector<AwardBlock> blocks;
  domain::AwardRecord record;
};

core::Result<BlockCheck> check_award(internal::ProcurementReader& r, const domain::Register& reg,
                                     const std::string& procedure, const std::string& lot_id,
                                     const std::string& bid_id, domain::Date today, int days) {
  PW_ASSIGN_OR_RETURN(domain::StoredProcedure sp, need_procedure(r, procedure, days));
  const domain::Lot* lot = nullptr;
  for (const auto& l : sp.procedure.lots) {
    if (l.id == lot_id) lot = &l;
  }
  if (!lot) return core::not_found("procedure " + procedure + " has no lot '" + lot_id + "'");
  const domain::Bid* bid = nullptr;
  for (const auto& b : lot->bids) {
    if (b.id == bid_id) bid = &b;
  }
  if (!bid) return core::not_found("lot '" + lot_id + "' has no bid '" + bid_id + "'");
  BlockCheck out;
  out.record = {procedure, lot_id, bid_id, bid->bidder, "", "", ""};
  auto block = [&](std::string code, std::string message) {
    out.blocks.push_back({std::move(code), std::move(message)});
  };
  PW_ASSIGN_OR_RETURN(std::optional<std::string> awarded,
                      r.get("tender_award", internal::award_key(procedure, lot_id)));
  if (awarded) block("lot_awarded", "lot '" + lot_id + "' was awarded already");
  if (!bid->valid) block("bid_invalid", "bid " + bid_id + " is not valid (" + bid->status + ")");

  // Art. 2.116: a flagged bid is awarded only after the explanation and the buyer's acceptance.
  PW_ASSIGN_OR_RETURN(auto req,
                      internal::load_request(r, internal::request_id(procedure, lot_id, bid_id)));
  if (req) {
    using S = domain::ExplanationState;
    if (req->state == S::kOpen && today <= req->deadline) {
      block("explanation_open", "the explanation request " + req->id +
                                    " is open (the bidder may answer until " +
                                    domain::format_date(req->deadline) + ")");
    } else if (req->undecided()) {
      block("explanation_undecided",
            "the explanation request " + req->id + " awaits the buyer's decision");
    } else if (req->state == S::kRejected) {
      block("bid_rejected", "bid " + bid_id + " was rejected as abnormally low (" +
                                std::string(domain::reject_reason_name(*req->reason)) + ")");
    }
  }

  // FSR art. 32: no award to a notifying bidder before the review ends; a prohibition bars it.
  PW_ASSIGN_OR_RETURN(auto c, internal::load_case(r, procedure, bid->bidder));
  if (!c) {
    const auto& v = sp.procedure.estimated_value;
    if (!v || v->currency != "EUR") {
      block("fsr_not_checked",
            "the procedure has no estimated value in EUR, so the FSR value test (EUR 250 million) "
            "cannot be ruled out: run portwarden tender fsr check");
    } else if (v->minor >= procurement::kFsrContractThreshold) {
      block("fsr_not_checked",
            "the estimated value reaches EUR 250 million: run the FSR check "
            "for bidder '" +
                bid->bidder + "' (portwarden tender fsr check)");
    }
  } else {
    switch (c->status(today)) {
      case domain::FsrStatus::kMustNotify:
        block("fsr_not_notified", "bidder '" + bid->bidder +
                                      "' must notify its foreign financial contributions (FSR "
                                      "art. 28) and has not");
        break;
      case domain::FsrStatus::kPreliminary:
        block("fsr_review_pending", "the Commission's preliminary review runs until " +
                                        domain::format_date(*c->preliminary_deadline) +
                                        " (FSR art. 30(2), art. 32)");
        break;
      case domain::FsrStatus::kInDepth:
        block("fsr_review_pending", "the Commission's in-depth investigation runs until " +
                                        domain::format_date(*c->in_depth_deadline) +
                                        " (FSR art. 30, art. 32)");
        break;
      case domain::FsrStatus::kClosed:
        if (c->outcome == domain::FsrOutcome::kProhibition) {
          block("fsr_prohibited",
                "the Commission prohibited the award to '" + bid->bidder + "' (FSR art. 31)");
        }
        break;
      default:
        break;
    }
  }

  // Q5/Q14: security requirements need the supplier's signed-off assessment.
  const auto vendor = resolve_vendor(sp.settings, reg, bid->bidder);
  if (vendor) out.record.vendor = *vendor;
  if (sp.settings.security_requirements) {
    if (!vendor) {
      block("security_no_vendor",
            "the procedure carries security requirements and bidder '" + bid->bidder +
                "' is not a supplier in the register (map it: tender configure --vendor)");
    } else {
      std::string status = "none";
      PW_ASSIGN_OR_RETURN(std::optional<std::string> ref, r.get("assessment_of", *vendor));
      if (ref) {
        auto j = core::parse_json_strict(*ref);
        if (j && j->is_object()) {
          PW_ASSIGN_OR_RETURN(std::optional<std::string> doc,
                              r.get("assessment", j->value("latest", "")));
          if (doc) {
            PW_ASSIGN_OR_RETURN(nlohmann::json aj, core::parse_json_strict(*doc));
            PW_ASSIGN_OR_RETURN(domain::Assessment a, domain::assessment_from_json(aj));
            status = a.status == domain::AssessmentStatus::kSignedOff ? "signed_off"
                     : a.status == domain::AssessmentStatus::kStale   ? "stale"
                                                                      : "draft";
          }
        }
      }
      if (status != "signed_off") {
        block("security_no_signed_assessment",
              "the procedure carries security requirements and supplier '" + *vendor +
                  "' has no signed-off assessment (latest: " + status + ")");
      }
    }
  }
  return out;
}

}  // namespace

core::Result<std::vector<AwardBlock>> ProcurementService::award_blocks(const std::string& procedure,
                                                                       const std::string& lot,
                                                                       const std::string& bid) {
  JournalReader r(journal_);
  PW_ASSIGN_OR_RETURN(domain::Register reg, register_.load());
  PW_ASSIGN_OR_RETURN(BlockCheck c,
                      check_award(r, reg, procedure, lot, bid, internal::day_of(clock_.now()),
                                  config_.explanation_working_days));
  return c.blocks;
}

core::Result<AwardResult> ProcurementService::award(const std::string& actor,
                                                    const std::string& procedure,
                                                    const std::string& lot, const std::string& bid,
                                                    std::optional<std::uint64_t> expected_version) {
  if (actor.empty()) return core::invalid_argument("the actor (who acts) is required");
  // Expire what is due first, so the journal says why an expired request blocks.
  PW_TRY(requests(actor, procedure));
  PW_ASSIGN_OR_RETURN(domain::Register reg, register_.load());
  const core::Timestamp now = clock_.now();
  AwardResult out;
  PW_TRY(journal_.execute([&](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
    ViewsReader r(views);
    PW_TRY(internal::check_version(r, procedure, expected_version));
    PW_ASSIGN_OR_RETURN(BlockCheck c,
                        check_award(r, reg, procedure, lot, bid, internal::day_of(now),
                                    config_.explanation_working_days));
    out.blocks = c.blocks;
    if (!c.blocks.empty()) return std::vector<EventDraft>{};
    c.record.awarded_at = core::format_rfc3339(now);
    c.record.awarded_by = actor;
    out.awarded = true;
    out.award = c.record;
    return std::vector<EventDraft>{EventDraft{
        std::string(domain::kTenderAwarded), actor, {{"award", domain::award_to_json(c.record)}}}};
  }));
  return out;
}

}  // namespace pw::app
