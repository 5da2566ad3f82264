#include "app/procurement_service.h"

#include <algorithm>
#include <set>

#include "app/internal/procurement_state.h"
#include "core/canonical_json.h"
#include "domain/event_types.h"
#include "procurement/market.h"
#include "procurement/model.h"
#include "procurement/screens.h"

namespace pw::app {

namespace internal {

// The checks an import applies to one procedure: the engine's lot check on every lot, plus
// the ids the workflow keys on.
core::Status check_procedure(const domain::Procedure& p) {
  if (p.id.empty()) return core::invalid_argument("procedure without an id (ocid)");
  if (p.estimated_value && p.estimated_value->minor < 0) {
    return core::invalid_argument("estimated value is negative");
  }
  std::set<std::string> lots;
  for (const auto& lot : p.lots) {
    if (!lots.insert(lot.id).second) {
      return core::invalid_argument("lot '" + lot.id + "' appears twice");
    }
    std::set<std::string> bids;
    for (const auto& b : lot.bids) {
      if (b.id.empty()) return core::invalid_argument("lot '" + lot.id + "': a bid without an id");
      if (!bids.insert(b.id).second) {
        return core::invalid_argument("lot '" + lot.id + "': bid '" + b.id + "' appears twice");
      }
    }
    auto checked = procurement::check_lot(lot);
    if (!checked) return std::unexpected(checked.error());
  }
  return core::ok();
}

}  // namespace internal

namespace {

using internal::JournalReader;
using internal::ViewsReader;

constexpr std::string_view kMethods[] = {"estimate_ratio", "below_mean", "spain", "italy",
                                         "market"};

core::Status check_actor(const std::string& actor) {
  if (actor.empty()) return core::invalid_argument("the actor (who acts) is required");
  return core::ok();
}

core::Result<domain::StoredProcedure> require_procedure(internal::ProcurementReader& r,
                                                        const std::string& id, int days) {
  PW_ASSIGN_OR_RETURN(std::optional<domain::StoredProcedure> p,
                      internal::load_procedure(r, id, days));
  if (!p) {
    return core::not_found("no procedure '" + id + "' in the store (portwarden tender import)");
  }
  return std::move(*p);
}

bool method_enabled(const domain::ScreenSettings& s, std::string_view m) {
  if (m == "estimate_ratio") return s.estimate_ratio;
  if (m == "below_mean") return s.below_mean;
  if (m == "spain") return s.spain;
  if (m == "italy") return s.italy;
  return s.market;
}

core::Result<procurement::ScreenResult> run_screen(std::string_view m, const domain::Lot& lot,
                                                   const domain::ScreenSettings& s) {
  if (m == "estimate_ratio") return procurement::screen_estimate_ratio(lot, s.estimate_ratio_bp);
  if (m == "below_mean") {
    return procurement::screen_below_mean_of_others(lot, s.below_mean_bp, s.below_mean_min_bids);
  }
  if (m == "spain") return procurement::screen_spain_art85(lot);
  return procurement::screen_italy_method_a(lot);
}

// Journals `tender.explanation_expired` for every open request (of `procedure`, or all)
// whose deadline has passed.
// A fact of the calendar, not the caller's act: journaled with the actor "portwarden".
core::Status expire_due(JournalService& journal, const core::Clock& clock,
                        const std::string& procedure) {
  const domain::Date today = internal::day_of(clock.now());
  PW_TRY(journal.execute([&](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
    ViewsReader r(views);
    PW_ASSIGN_OR_RETURN(auto reqs, internal::load_requests(r, procedure));
    std::vector<EventDraft> out;
    for (auto& q : reqs) {
      if (q.state != domain::ExplanationState::kOpen || today <= q.deadline) continue;
      q.state = domain::ExplanationState::kExpired;
      out.push_back(EventDraft{std::string(domain::kTenderExplanationExpired),
                               "portwarden",
                               {{"request", domain::explanation_request_to_json(q)}}});
    }
    return out;
  }));
  return core::ok();
}

}  // namespace

nlohmann::json ProcedureDetail::to_json() const {
  nlohmann::json flags_j = nlohmann::json::array(), req_j = nlohmann::json::array(),
                 fsr_j = nlohmann::json::array(), awards_j = nlohmann::json::array();
  for (const auto& f : flags) flags_j.push_back(domain::flag_to_json(f));
  for (const auto& r : requests) req_j.push_back(domain::explanation_request_to_json(r));
  for (const auto& c : fsr) fsr_j.push_back(domain::fsr_case_to_json(c));
  for (const auto& a : awards) awards_j.push_back(domain::award_to_json(a));
  return {{"procedure", domain::procedure_to_json(stored.procedure)},
          {"version", version},
          {"import_version", stored.version},
          {"imported_at", stored.imported_at},
          {"settings", domain::settings_to_json(stored.settings)},
          {"flags", flags_j},
          {"requests", req_j},
          {"fsr", fsr_j},
          {"awards", awards_j}};
}

nlohmann::json AnalysisReport::to_json() const {
  nlohmann::json runs_j = nlohmann::json::array();
  for (const auto& r : runs) {
    nlohmann::json flags = nlohmann::json::array();
    for (const auto& f : r.flags) flags.push_back(domain::flag_to_json(f));
    runs_j.push_back({{"procedure", r.procedure},
                      {"lot", r.lot},
                      {"method", r.method},
                      {"applicable", r.applicable},
                      {"note", r.note},
                      {"flags", flags}});
  }
  return {{"runs", runs_j},
          {"errors", errors},
          {"new_flags", new_flags},
          {"opened_requests", opened_requests}};
}

nlohmann::json AwardResult::to_json() const {
  nlohmann::json blocks_j = nlohmann::json::array();
  for (const auto& b : blocks) blocks_j.push_back({{"code", b.code}, {"message", b.message}});
  return {{"awarded", awarded},
          {"blocks", blocks_j},
          {"award", award ? domain::award_to_json(*award) : nlohmann::json(nullptr)}};
}

ProcurementService::ProcurementService(JournalService& journal, OwnershipService& ownership,
                                       RegisterService& reg, const core::Clock& clock,
                                       ProcurementConfig config)
    : journal_(journal), ownership_(ownership), register_(reg), clock_(clock), config_(config) {}

core::Result<ImportReport> ProcurementService::import_procedures(
    const std::string& actor, const std::vector<domain::Procedure>& procedures) {
  PW_TRY(check_actor(actor));
  ImportReport report;
  std::vector<const domain::Procedure*> good;
  std::set<std::string> seen;
  for (const auto& p : procedures) {
    ImportedProcedure row;
    row.id = p.id;
    if (auto st = internal::check_procedure(p); !st) {
      row.error = st.error().message();
    } else if (!seen.insert(p.id).second) {
      row.error = "procedure '" + p.id + "' appears twice in this import";
    } else {
      good.push_back(&p);
    }
    report.procedures.push_back(std::move(row));
  }
  PW_TRY(journal_.execute([&](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
    ViewsReader r(views);
    std::vector<EventDraft> out;
    for (const domain::Procedure* p : good) {
      auto row = std::find_if(report.procedures.begin(), report.procedures.end(),
                              [&](const auto& x) { return x.id == p->id; });
      PW_ASSIGN_OR_RETURN(auto prev, internal::load_procedure(r, p->id, 10));
      const nlohmann::json doc = domain::procedure_to_json(*p);
      if (prev && domain::procedure_to_json(prev->procedure) == doc) {
        row->version = prev->version;
        row->unchanged = true;
        continue;
      }
      row->version = prev ? prev->version + 1 : 1;
      out.push_back(EventDraft{std::string(domain::kTenderImported),
                               actor,
                               {{"procedure", doc}, {"version", row->version}}});
    }
    return out;
  }));
  for (const auto& row : report.procedures) {
    if (!row.error.empty()) {
      ++report.refused;
    } else if (row.unchanged) {
      ++report.unchanged;
    } else {
      ++report.stored;
    }
  }
  return report;
}

core::Result<std::vector<ProcedureSummary>> ProcurementService::list() {
  JournalReader r(journal_);
  PW_ASSIGN_OR_RETURN(auto procs, internal::load_procedures(r, config_.explanation_working_days));
  std::vector<ProcedureSummary> out;
  for (const auto& s : procs) {
    ProcedureSummary row;
    row.id = s.procedure.id;
    row.title = s.procedure.title;
    row.buyer = s.procedure.buyer;
    row.version = s.version;
    PW_ASSIGN_OR_RETURN(row.record_version, internal::procedure_version(r, row.id));
    row.lots = static_cast<int>(s.procedure.lots.size());
    for (const auto& l : s.procedure.lots) row.bids += static_cast<int>(l.bids.size());
    PW_ASSIGN_OR_RETURN(auto flags, internal::load_flags(r, row.id));
    row.flags = static_cast<int>(flags.size());
    PW_ASSIGN_OR_RETURN(auto reqs, internal::load_requests(r, row.id));
    for (const auto& q : reqs) row.open_requests += q.undecided() ? 1 : 0;
    PW_ASSIGN_OR_RETURN(auto awards, internal::load_awards(r, row.id));
    row.awards = static_cast<int>(awards.size());
    out.push_back(std::move(row));
  }
  return out;
}

core::Result<ProcedureDetail> ProcurementService::show(const std::string& procedure) {
  JournalReader r(journal_);
  ProcedureDetail d;
  PW_ASSIGN_OR_RETURN(d.stored, require_procedure(r, procedure, config_.explanation_working_days));
  PW_ASSIGN_OR_RETURN(d.version, internal::procedure_version(r, procedure));
  PW_ASSIGN_OR_RETURN(d.flags, internal::load_flags(r, procedure));
  PW_ASSIGN_OR_RETURN(d.requests, internal::load_requests(r, procedure));
  PW_ASSIGN_OR_RETURN(d.fsr, internal::load_cases(r, procedure));
  PW_ASSIGN_OR_RETURN(d.awards, internal::load_awards(r, procedure));
  return d;
}

core::Result<domain::ProcedureSettings> ProcurementService::configure(
    const std::string& actor, const std::string& procedure, const SettingsChange& change,
    std::optional<std::uint64_t> expected_version) {
  PW_TRY(check_actor(actor));
  domain::ProcedureSettings result;
  PW_TRY(journal_.execute([&](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
    ViewsReader r(views);
    PW_ASSIGN_OR_RETURN(domain::StoredProcedure p,
                        require_procedure(r, procedure, config_.explanation_working_days));
    PW_TRY(internal::check_version(r, procedure, expected_version));
    domain::ProcedureSettings s = p.settings;
    auto set = [](auto& field, const auto& v) {
      if (v) field = *v;
    };
    set(s.screens.estimate_ratio, change.estimate_ratio);
    set(s.screens.estimate_ratio_bp, change.estimate_ratio_bp);
    set(s.screens.below_mean, change.below_mean);
    set(s.screens.below_mean_bp, change.below_mean_bp);
    set(s.screens.below_mean_min_bids, change.below_mean_min_bids);
    set(s.screens.spain, change.spain);
    set(s.screens.italy, change.italy);
    set(s.screens.market, change.market);
    set(s.security_requirements, change.security_requirements);
    set(s.security_text, change.security_text);
    set(s.explanation_working_days, change.explanation_working_days);
    for (const auto& [bidder, vendor] : change.bidder_vendors) {
      if (vendor.empty()) {
        s.bidder_vendors.erase(bidder);
      } else {
        s.bidder_vendors[bidder] = vendor;
      }
    }
    PW_TRY(domain::validate_settings(s));
    result = s;
    return std::vector<EventDraft>{
        EventDraft{std::string(domain::kTenderConfigured),
                   actor,
                   {{"procedure", procedure}, {"settings", domain::settings_to_json(s)}}}};
  }));
  return result;
}

core::Result<AnalysisReport> ProcurementService::analyse(
    const std::string& actor, const std::string& procedure, const AnalyseOptions& options,
    std::optional<std::uint64_t> expected_version) {
  PW_TRY(check_actor(actor));
  if (expected_version && procedure.empty()) {
    return core::invalid_argument("a version applies to one procedure, not to all of them");
  }
  for (const auto& m : options.methods) {
    if (std::find(std::begin(kMethods), std::end(kMethods), m) == std::end(kMethods)) {
      return core::invalid_argument("unknown method '" + m +
                                    "' (known: estimate_ratio, below_mean, spain, italy, market)");
    }
  }
  JournalReader jr(journal_);
  PW_ASSIGN_OR_RETURN(auto all, internal::load_procedures(jr, config_.explanation_working_days));
  std::vector<const domain::StoredProcedure*> targets;
  for (const auto& s : all) {
    if (procedure.empty() || s.procedure.id == procedure) targets.push_back(&s);
  }
  if (!procedure.empty() && targets.empty()) {
    return core::not_found("no procedure '" + procedure +
                           "' in the store (portwarden tender import)");
  }
  auto wants = [&](const domain::StoredProcedure& s, std::string_view m) {
    if (!options.methods.empty()) {
      return std::find(options.methods.begin(), options.methods.end(), m) != options.methods.end();
    }
    return method_enabled(s.settings.screens, m);
  };

  AnalysisReport report;
  std::vector<domain::FlagRecord> found;
  for (const auto* s : targets) {
    const auto& p = s->procedure;
    for (const auto& lot : p.lots) {
      auto checked = procurement::check_lot(lot);
      const std::string currency = checked ? checked->currency : "";
      for (std::string_view m : kMethods) {
        if (m == "market" || !wants(*s, m)) continue;
        auto res = run_screen(m, lot, s->settings.screens);
        if (!res) {
          report.errors.push_back("procedure " + p.id + " lot '" + lot.id + "' " + std::string(m) +
                                  ": " + res.error().message());
          continue;
        }
        ScreenRun run{p.id, lot.id, std::string(m), res->applicable, res->note, {}};
        for (const auto& f : res->flags) {
          run.flags.push_back(domain::FlagRecord{p.id, lot.id, f.bid_id, f.bidder, std::string(m),
                                                 f.rule, f.explanation, f.amount, currency});
        }
        found.insert(found.end(), run.flags.begin(), run.flags.end());
        report.runs.push_back(std::move(run));
      }
    }
  }
  // The market-wide screen: fences over every stored procedure, flags on the analysed ones.
  std::set<std::string> market_targets;
  for (const auto* s : targets) {
    if (wants(*s, "market")) market_targets.insert(s->procedure.id);
  }
  if (!market_targets.empty()) {
    std::vector<domain::Procedure> procs;
    for (const auto& s : all) procs.push_back(s.procedure);
    auto m = procurement::screen_market_tukey(procs);
    if (!m) {
      report.errors.push_back("market: " + m.error().message());
    } else {
      ScreenRun run{"", "", "market", m->applicable, m->note, {}};
      for (const auto& f : m->flags) {
        if (!market_targets.count(f.point.procedure_id)) continue;
        run.flags.push_back(domain::FlagRecord{
            f.point.procedure_id, f.point.lot_id, f.point.winner_bid_id, f.point.winner, "market",
            f.side == procurement::FenceSide::kLow ? "Tukey fence on d, low side (Q1 - 1.5 IQR)"
                                                   : "Tukey fence on d, high side (Q3 + 1.5 IQR)",
            f.explanation, f.point.winning, f.point.currency});
      }
      found.insert(found.end(), run.flags.begin(), run.flags.end());
      report.runs.push_back(std::move(run));
    }
  }

  const core::Timestamp now = clock_.now();
  const domain::Date today = internal::day_of(now);
  std::map<std::string, int> days;
  for (const auto* s : targets) days[s->procedure.id] = s->settings.explanation_working_days;
  PW_TRY(journal_.execute([&](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
    ViewsReader r(views);
    // The screens ran on what was read before; a change in between makes the version stale.
    if (!procedure.empty()) PW_TRY(internal::check_version(r, procedure, expected_version));
    std::vector<EventDraft> out;
    report.new_flags = 0;
    report.opened_requests.clear();
    std::map<std::string, domain::ExplanationRequest> opening;
    for (const auto& f : found) {
      PW_ASSIGN_OR_RETURN(auto stored, r.get("tender_flag", internal::flag_key(f)));
      const nlohmann::json fj = domain::flag_to_json(f);
      if (stored && core::parse_json_strict(*stored).value_or(nlohmann::json()) == fj) {
        continue;  // already journaled as it stands
      }
      out.push_back(EventDraft{std::string(domain::kTenderFlagged), actor, {{"flag", fj}}});
      ++report.new_flags;
      const std::string id = internal::request_id(f.procedure, f.lot, f.bid);
      PW_ASSIGN_OR_RETURN(auto existing, internal::load_request(r, id));
      if (existing) continue;  // one request per bid: re-analysis never duplicates it
      auto [it, fresh] = opening.try_emplace(id);
      if (fresh) {
        auto& q = it->second;
        q.id = id;
        q.procedure = f.procedure;
        q.lot = f.lot;
        q.bid = f.bid;
        q.bidder = f.bidder;
        q.requested_at = core::format_rfc3339(now);
        q.deadline = domain::add_working_days(today, days[f.procedure]);
      }
      it->second.flags.push_back(f);
    }
    for (const auto& [id, q] : opening) {
      out.push_back(EventDraft{std::string(domain::kTenderExplanationRequested),
                               actor,
                               {{"request", domain::explanation_request_to_json(q)}}});
      report.opened_requests.push_back(id);
    }
    return out;
  }));
  return report;
}

core::Result<std::vector<domain::ExplanationRequest>> ProcurementService::requests(
    const std::string& actor, const std::string& procedure) {
  PW_TRY(check_actor(actor));
  PW_TRY(expire_due(journal_, clock_, procedure));
  JournalReader r(journal_);
  return internal::load_requests(r, procedure);
}

core::Result<domain::ExplanationRequest> ProcurementService::request(
    const std::string& actor, const std::string& request_id) {
  PW_TRY(check_actor(actor));
  PW_TRY(expire_due(journal_, clock_, ""));
  JournalReader r(journal_);
  PW_ASSIGN_OR_RETURN(auto q, internal::load_request(r, request_id));
  if (!q) return core::not_found("no explanation request '" + request_id + "'");
  return std::move(*q);
}

namespace {

// Runs `change` on the stored request inside a write transaction and journals `type` with the
// request after the change.
template <typename Fn>
core::Result<domain::ExplanationRequest> change_request(
    JournalService& journal, const std::string& actor, const std::string& id, std::string_view type,
    std::optional<std::uint64_t> expected, Fn change) {
  domain::ExplanationRequest result;
  PW_TRY(journal.execute([&](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
    ViewsReader r(views);
    PW_ASSIGN_OR_RETURN(auto q, internal::load_request(r, id));
    if (!q) return core::not_found("no explanation request '" + id + "'");
    PW_TRY(internal::check_version(r, q->procedure, expected));
    if (!q->undecided()) {
      return core::failed_precondition("explanation request " + id + " was decided (" +
                                       std::string(domain::explanation_state_name(q->state)) +
                                       " on " + q->decided_at + "): decisions are final");
    }
    PW_TRY(change(*q));
    result = *q;
    return std::vector<EventDraft>{EventDraft{
        std::string(type), actor, {{"request", domain::explanation_request_to_json(*q)}}}};
  }));
  return result;
}

}  // namespace

core::Result<domain::ExplanationRequest> ProcurementService::receive_explanation(
    const std::string& actor, const std::string& request_id, const std::string& text,
    const std::string& evidence, std::optional<std::uint64_t> expected_version) {
  PW_TRY(check_actor(actor));
  if (text.empty()) return core::invalid_argument("the explanation text is required");
  PW_TRY(expire_due(journal_, clock_, ""));
  const std::string now = core::format_rfc3339(clock_.now());
  return change_request(
      journal_, actor, request_id, domain::kTenderExplanationReceived, expected_version,
      [&](domain::ExplanationRequest& q) -> core::Status {
        if (q.state == domain::ExplanationState::kExpired) {
          return core::failed_precondition("the deadline of " + domain::format_date(q.deadline) +
                                           " passed: request " + q.id +
                                           " expired; the buyer may decide without it");
        }
        if (q.state == domain::ExplanationState::kReceived) {
          return core::failed_precondition("an explanation for " + q.id + " was received on " +
                                           q.received_at + "; the buyer decides next");
        }
        q.state = domain::ExplanationState::kReceived;
        q.explanation = text;
        q.evidence = evidence;
        q.received_at = now;
        return core::ok();
      });
}

core::Result<domain::ExplanationRequest> ProcurementService::record_labour_law_finding(
    const std::string& actor, const std::string& request_id, const std::string& text,
    std::optional<std::uint64_t> expected_version) {
  PW_TRY(check_actor(actor));
  if (text.empty()) return core::invalid_argument("the finding needs a text saying what breach");
  PW_TRY(expire_due(journal_, clock_, ""));
  return change_request(
      journal_, actor, request_id, domain::kTenderFindingRecorded, expected_version,
      [&](domain::ExplanationRequest& q) -> core::Status {
        if (!q.labour_law_finding.empty()) {
          return core::failed_precondition("a labour-law finding is already recorded on " + q.id);
        }
        q.labour_law_finding = text;
        return core::ok();
      });
}

core::Result<domain::ExplanationRequest> ProcurementService::decide(
    const std::string& actor, const std::string& request_id, const DecisionInput& d,
    std::optional<std::uint64_t> expected_version) {
  PW_TRY(check_actor(actor));
  if (d.decision == Decision::kReject && !d.reason) {
    return core::invalid_argument(
        "a rejection needs a reason: labour_law_breach, state_aid_not_proven or other");
  }
  if (d.decision == Decision::kReject && d.text.empty() &&
      (*d.reason == domain::RejectReason::kOther ||
       *d.reason == domain::RejectReason::kLabourLawBreach)) {
    return core::invalid_argument("a rejection for '" +
                                  std::string(domain::reject_reason_name(*d.reason)) +
                                  "' needs a text saying why");
  }
  PW_TRY(expire_due(journal_, clock_, ""));
  const core::Timestamp now = clock_.now();
  const domain::Date today = internal::day_of(now);
  return change_request(
      journal_, actor, request_id, domain::kTenderDecided, expected_version,
      [&](domain::ExplanationRequest& q) -> core::Status {
        if (q.state == domain::ExplanationState::kOpen) {
          return core::failed_precondition(
              "no explanation from the bidder yet and the deadline of " +
              domain::format_date(q.deadline) +
              " has not passed: art. 2.116 Aanbestedingswet requires hearing the bidder before "
              "a decision");
        }
        if (d.decision == Decision::kAccept) {
          if (!q.labour_law_finding.empty()) {
            return core::failed_precondition(
                "a breach of environmental, social or labour law obligations was found on " + q.id +
                ": rejection is mandatory (art. 69(3) Directive 2014/24/EU), accepting is refused");
          }
          q.state = domain::ExplanationState::kAccepted;
        } else {
          const auto reason = *d.reason;
          if (!q.labour_law_finding.empty() && reason != domain::RejectReason::kLabourLawBreach) {
            return core::failed_precondition("a labour-law finding is recorded on " + q.id +
                                             ": reject with reason labour_law_breach");
          }
          if (reason == domain::RejectReason::kStateAidNotProven && today <= q.deadline) {
            return core::failed_precondition(
                "the bidder may prove the State aid compatible until " +
                domain::format_date(q.deadline) +
                " (art. 69(4) Directive 2014/24/EU): rejection on this ground is possible only "
                "after that deadline");
          }
          if (reason == domain::RejectReason::kLabourLawBreach && q.labour_law_finding.empty()) {
            q.labour_law_finding = d.text;
          }
          q.state = domain::ExplanationState::kRejected;
          q.reason = reason;
        }
        q.decision_text = d.text;
        q.decided_at = core::format_rfc3339(now);
        q.decided_by = actor;
        return core::ok();
      });
}

}  // namespace pw::app
