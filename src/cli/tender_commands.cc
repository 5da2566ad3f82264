// `portwarden tender ...`: the buyer's procurement workflow (issue 8; docs/PROCUREMENT.md,
// "Workflow"): import OCDS procedures into the journal, choose the screens, analyse, handle the
// art. 2.116 explanation requests, the Foreign Subsidies Regulation check and review, and award.
#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/ownership_service.h"
#include "app/procurement_service.h"
#include "app/register_service.h"
#include "cli/commands.h"

namespace pw::cli {
namespace {

struct TenderArgs {
  std::string file, procedure, lot, bid, bidder, request, text, evidence, reason, date, outcome;
  std::string entity, country, eur, from, to, source;
  bool strict = false, all = false, accept = false, open_in_depth = false;
  bool extend_preliminary = false, extend_in_depth = false;
  std::vector<std::string> methods, vendors, subcontractors, lots;
  // configure: "on"/"off" switches and numbers, empty/unset when not given
  std::string estimate_ratio, below_mean, spain, italy, market, security;
  std::optional<double> estimate_ratio_percent, below_mean_percent;
  std::optional<int> below_mean_min_bids, explanation_days;
  std::optional<std::string> security_text;
};

template <typename Fn>
int with_procurement(const Globals& g, const core::Clock& clock, Fn fn) {
  auto svc = open_service(g, clock);
  if (!svc) return report_error(g, svc.error());
  app::OwnershipService own(**svc, clock, app::OwnershipService::blob_dir_for(g.db));
  app::RegisterService reg(**svc, clock);
  app::ProcurementService ps(**svc, own, reg, clock);
  return fn(ps);
}

int usage(const std::string& message) {
  std::cerr << "portwarden: " << message << "\n";
  return kExitUsage;
}

std::string money(std::int64_t minor, const std::string& currency) {
  const bool neg = minor < 0;
  const std::uint64_t v = neg ? -static_cast<std::uint64_t>(minor) : minor;
  std::string cents = std::to_string(v % 100);
  if (cents.size() < 2) cents = "0" + cents;
  return (neg ? "-" : "") + std::to_string(v / 100) + "." + cents + " " + currency;
}

// "4000000" or "4000000.5" or "4000000.50" euro -> cents, exactly; nullopt when malformed.
std::optional<std::int64_t> parse_eur(const std::string& s) {
  const auto dot = s.find('.');
  const std::string whole = s.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  auto digits = [](const std::string& x) {
    return !x.empty() && x.size() <= 15 &&
           std::all_of(x.begin(), x.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(whole) || (dot != std::string::npos && (!digits(frac) || frac.size() > 2))) {
    return std::nullopt;
  }
  while (frac.size() < 2) frac += '0';
  return std::stoll(whole) * 100 + std::stoll(frac);
}

std::optional<bool> on_off(const std::string& s) {
  if (s == "on") return true;
  if (s == "off") return false;
  return std::nullopt;
}

void print_request(const domain::ExplanationRequest& q) {
  std::cout << q.id << "  " << domain::explanation_state_name(q.state) << "  bidder " << q.bidder
            << "  deadline " << domain::format_date(q.deadline) << "\n";
  for (const auto& f : q.flags) std::cout << "    flag " << f.rule << ": " << f.explanation << "\n";
  if (!q.explanation.empty()) {
    std::cout << "    explanation: " << q.explanation
              << (q.evidence.empty() ? "" : " (evidence " + q.evidence + ")") << "\n";
  }
  if (!q.labour_law_finding.empty()) {
    std::cout << "    labour-law finding: " << q.labour_law_finding << "\n";
  }
  if (!q.decided_at.empty()) {
    std::cout << "    decided " << q.decided_at << " by " << q.decided_by
              << (q.reason ? " (" + std::string(domain::reject_reason_name(*q.reason)) + ")" : "")
              << (q.decision_text.empty() ? "" : ": " + q.decision_text) << "\n";
  }
}

int request_out(const Globals& g, const core::Result<domain::ExplanationRequest>& r) {
  if (!r) return report_error(g, r.error());
  if (g.json) {
    std::cout << domain::explanation_request_to_json(*r).dump() << "\n";
  } else {
    print_request(*r);
  }
  return kExitOk;
}

int case_out(const Globals& g, const core::Result<domain::FsrCase>& r, domain::Date today) {
  if (!r) return report_error(g, r.error());
  const auto status = std::string(domain::fsr_status_name(r->status(today)));
  if (g.json) {
    nlohmann::json j = domain::fsr_case_to_json(*r);
    j["status"] = status;
    std::cout << j.dump() << "\n";
    return kExitOk;
  }
  std::cout << "FSR " << r->procedure << " bidder " << r->bidder << ": "
            << (r->notify ? "must notify (art. 28)" : "declaration (art. 29)") << ", status "
            << status << "\n";
  for (const auto& m : r->group) {
    std::cout << "  group " << m.role << " " << m.entity << " (" << m.name << "): " << m.why
              << "\n";
  }
  for (const auto& reason : r->result.value("reasons", nlohmann::json::array())) {
    std::cout << "  " << reason.get<std::string>() << "\n";
  }
  for (const auto& p : r->result.value("possible_members", nlohmann::json::array())) {
    std::cout << "  possibly in the group (not counted): " << p.value("entity", "") << " ("
              << p.value("role", "") << "): " << p.value("why", "") << "\n";
  }
  auto d = [](const std::optional<domain::Date>& x) {
    return x ? domain::format_date(*x) : std::string("-");
  };
  if (r->notified) {
    std::cout << "  notified " << d(r->notified) << "; preliminary review until "
              << d(r->preliminary_deadline) << (r->preliminary_extended ? " (extended)" : "")
              << "\n";
  }
  if (r->in_depth_opened) {
    std::cout << "  in-depth investigation opened " << d(r->in_depth_opened) << ", until "
              << d(r->in_depth_deadline) << (r->in_depth_extended ? " (extended)" : "") << "\n";
  }
  if (r->outcome != domain::FsrOutcome::kNone) {
    std::cout << "  outcome " << domain::fsr_outcome_name(r->outcome) << " on "
              << d(r->outcome_date) << (r->outcome_text.empty() ? "" : ": " + r->outcome_text)
              << "\n";
  }
  return kExitOk;
}

domain::Date today_of(const core::Clock& clock) {
  return *domain::parse_date(core::format_rfc3339(clock.now()).substr(0, 10));
}

int cmd_import(const Globals& g, const TenderArgs& a, const core::Clock& clock) {
  return with_procurement(g, clock, [&](app::ProcurementService& ps) {
    auto r = ps.import_file(g.actor, a.file, a.strict);
    if (!r) return report_error(g, r.error());
    const bool bad = !r->complete();
    if (g.json) {
      nlohmann::json rows = nlohmann::json::array(), issues = nlohmann::json::array();
      for (const auto& p : r->import.procedures) {
        rows.push_back(
            {{"id", p.id}, {"version", p.version}, {"unchanged", p.unchanged}, {"error", p.error}});
      }
      for (const auto& i : r->issues) issues.push_back(i.to_string());
      std::cout << nlohmann::json{{"stored", r->import.stored},
                                  {"unchanged", r->import.unchanged},
                                  {"refused", r->import.refused},
                                  {"releases_skipped", r->summary.releases_skipped},
                                  {"procedures", rows},
                                  {"issues", issues}}
                       .dump()
                << "\n";
    } else {
      for (const auto& i : r->issues) std::cout << "  " << i.to_string() << "\n";
      for (const auto& p : r->import.procedures) {
        if (!p.error.empty()) {
          std::cout << "  refused " << p.id << ": " << p.error << "\n";
        } else {
          std::cout << "  " << p.id << " version " << p.version
                    << (p.unchanged ? " (unchanged)" : "") << "\n";
        }
      }
      std::cout << "stored " << r->import.stored << ", unchanged " << r->import.unchanged
                << ", refused " << r->import.refused << ", releases skipped by the reader "
                << r->summary.releases_skipped << "\n";
    }
    return bad ? kExitUsage : kExitOk;
  });
}

int cmd_list(const Globals& g, const core::Clock& clock) {
  return with_procurement(g, clock, [&](app::ProcurementService& ps) {
    auto r = ps.list();
    if (!r) return report_error(g, r.error());
    if (g.json) {
      nlohmann::json rows = nlohmann::json::array();
      for (const auto& s : *r) {
        rows.push_back({{"id", s.id},
                        {"title", s.title},
                        {"buyer", s.buyer},
                        {"version", s.version},
                        {"lots", s.lots},
                        {"bids", s.bids},
                        {"flags", s.flags},
                        {"open_requests", s.open_requests},
                        {"awards", s.awards}});
      }
      std::cout << rows.dump() << "\n";
      return kExitOk;
    }
    if (r->empty()) std::cout << "no procedures (portwarden tender import FILE)\n";
    for (const auto& s : *r) {
      std::cout << s.id << "  v" << s.version << "  " << s.title << "  lots " << s.lots << ", bids "
                << s.bids << ", flags " << s.flags << ", open requests " << s.open_requests
                << ", awards " << s.awards << "\n";
    }
    return kExitOk;
  });
}

int cmd_show(const Globals& g, const TenderArgs& a, const core::Clock& clock) {
  return with_procurement(g, clock, [&](app::ProcurementService& ps) {
    auto d = ps.show(a.procedure);
    if (!d) return report_error(g, d.error());
    if (g.json) {
      std::cout << d->to_json().dump() << "\n";
      return kExitOk;
    }
    const auto& p = d->stored.procedure;
    const auto& s = d->stored.settings;
    std::cout << p.id << " (version " << d->stored.version << "): " << p.title << "\n  buyer "
              << p.buyer << "; estimated value "
              << (p.estimated_value ? money(p.estimated_value->minor, p.estimated_value->currency)
                                    : "none")
              << "\n  screens:" << (s.screens.estimate_ratio ? " estimate_ratio" : "")
              << (s.screens.below_mean ? " below_mean" : "") << (s.screens.spain ? " spain" : "")
              << (s.screens.italy ? " italy" : "") << (s.screens.market ? " market" : "")
              << "; explanation deadline " << s.explanation_working_days << " working days\n";
    if (s.security_requirements)
      std::cout << "  security requirements: " << s.security_text << "\n";
    for (const auto& lot : p.lots) {
      std::cout << "  lot '" << lot.id << "'"
                << (lot.estimate ? " estimate " + money(lot.estimate->minor, lot.estimate->currency)
                                 : "")
                << "\n";
      for (const auto& b : lot.bids) {
        std::cout << "    bid " << b.id << " " << b.bidder << " "
                  << (b.amount ? money(b.amount->minor, b.amount->currency) : "no amount")
                  << (b.valid ? "" : " (not valid)") << "\n";
      }
    }
    for (const auto& f : d->flags) {
      std::cout << "  flag lot '" << f.lot << "' bid " << f.bid << " [" << f.method << "] "
                << f.rule << ": " << f.explanation << "\n";
    }
    for (const auto& q : d->requests) {
      std::cout << "  request ";
      print_request(q);
    }
    for (const auto& c : d->fsr) {
      std::cout << "  FSR " << c.bidder << ": " << (c.notify ? "must notify" : "declaration")
                << ", status " << domain::fsr_status_name(c.status(today_of(clock))) << "\n";
    }
    for (const auto& aw : d->awards) {
      std::cout << "  awarded lot '" << aw.lot << "' to bid " << aw.bid << " (" << aw.bidder
                << ") on " << aw.awarded_at << " by " << aw.awarded_by << "\n";
    }
    return kExitOk;
  });
}

int cmd_configure(const Globals& g, const TenderArgs& a, const core::Clock& clock) {
  app::SettingsChange c;
  for (auto [text, field, name] :
       {std::tuple{&a.estimate_ratio, &c.estimate_ratio, "--estimate-ratio"},
        std::tuple{&a.below_mean, &c.below_mean, "--below-mean"},
        std::tuple{&a.spain, &c.spain, "--spain"}, std::tuple{&a.italy, &c.italy, "--italy"},
        std::tuple{&a.market, &c.market, "--market"},
        std::tuple{&a.security, &c.security_requirements, "--security-requirements"}}) {
    if (text->empty()) continue;
    auto v = on_off(*text);
    if (!v) return usage(std::string(name) + " takes on or off, not '" + *text + "'");
    *field = *v;
  }
  auto bp = [](double percent) { return static_cast<int>(std::lround(percent * 100)); };
  if (a.estimate_ratio_percent) c.estimate_ratio_bp = bp(*a.estimate_ratio_percent);
  if (a.below_mean_percent) c.below_mean_bp = bp(*a.below_mean_percent);
  c.below_mean_min_bids = a.below_mean_min_bids;
  c.explanation_working_days = a.explanation_days;
  c.security_text = a.security_text;
  for (const auto& v : a.vendors) {
    const auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0) {
      return usage("--vendor takes BIDDER=ORGANISATION (empty ORGANISATION removes), not '" + v +
                   "'");
    }
    c.bidder_vendors[v.substr(0, eq)] = v.substr(eq + 1);
  }
  return with_procurement(g, clock, [&](app::ProcurementService& ps) {
    auto r = ps.configure(g.actor, a.procedure, c);
    if (!r) return report_error(g, r.error());
    if (g.json) {
      std::cout << domain::settings_to_json(*r).dump() << "\n";
    } else {
      std::cout << "configured " << a.procedure << ": " << domain::settings_to_json(*r).dump()
                << "\n";
    }
    return kExitOk;
  });
}

int cmd_analyse(const Globals& g, const TenderArgs& a, const core::Clock& clock) {
  if (a.all == !a.procedure.empty()) return usage("analyse takes a PROCEDURE or --all");
  return with_procurement(g, clock, [&](app::ProcurementService& ps) {
    app::AnalyseOptions o;
    o.methods = a.methods;
    auto r = ps.analyse(g.actor, a.procedure, o);
    if (!r) return report_error(g, r.error());
    if (g.json) {
      std::cout << r->to_json().dump() << "\n";
      return kExitOk;
    }
    for (const auto& run : r->runs) {
      std::cout << (run.procedure.empty() ? "all procedures"
                                          : run.procedure + " lot '" + run.lot + "'")
                << " [" << run.method << "] "
                << (run.applicable ? std::to_string(run.flags.size()) + " flag(s)"
                                   : std::string("not applicable"))
                << (run.note.empty() ? "" : ": " + run.note) << "\n";
      for (const auto& f : run.flags) {
        std::cout << "  FLAG " << f.procedure << " lot '" << f.lot << "' bid " << f.bid << " ("
                  << f.bidder << ") " << f.rule << ": " << f.explanation << "\n";
      }
    }
    for (const auto& e : r->errors) std::cout << "  not screened: " << e << "\n";
    std::cout << r->new_flags << " new flag(s); " << r->opened_requests.size()
              << " explanation request(s) opened";
    for (const auto& id : r->opened_requests) std::cout << " " << id;
    std::cout << "\n";
    return kExitOk;
  });
}

}  // namespace

void add_tender_commands(CLI::App& tender, Globals& g, const core::Clock& clock, int& rc) {
  auto a = std::make_shared<TenderArgs>();
  auto json = [&g](CLI::App* c) { c->add_flag("--json", g.json, "Print JSON for scripts"); };

  auto* imp = tender.add_subcommand(
      "import",
      "Store the procedures of an OCDS file in the journal (a changed ocid = new version)");
  imp->add_option("FILE", a->file, "OCDS releases: a release package, JSON array or JSON lines")
      ->required();
  imp->add_flag("--strict", a->strict, "Stop at the first bad release");
  json(imp);
  imp->callback([&g, &clock, &rc, a] { rc = cmd_import(g, *a, clock); });

  auto* ls = tender.add_subcommand("list", "The stored procedures with their flags and awards");
  json(ls);
  ls->callback([&g, &clock, &rc] { rc = cmd_list(g, clock); });

  auto* show = tender.add_subcommand("show", "Everything stored about one procedure");
  show->add_option("PROCEDURE", a->procedure, "The procedure's ocid")->required();
  json(show);
  show->callback([&g, &clock, &rc, a] { rc = cmd_show(g, *a, clock); });

  auto* conf = tender.add_subcommand(
      "configure",
      "Choose the screens and their parameters, security requirements (Q5/Q14), "
      "the explanation deadline and bidder-to-supplier mappings");
  conf->add_option("PROCEDURE", a->procedure, "The procedure's ocid")->required();
  conf->add_option("--estimate-ratio", a->estimate_ratio, "on|off: bids far below the estimate");
  conf->add_option("--estimate-ratio-percent", a->estimate_ratio_percent,
                   "Flag bids below this % of the buyer's estimate (default 70)");
  conf->add_option("--below-mean", a->below_mean, "on|off: bids far below the other bids' mean");
  conf->add_option("--below-mean-percent", a->below_mean_percent,
                   "Flag bids more than this % below the mean of the others (default 20)");
  conf->add_option("--below-mean-min-bids", a->below_mean_min_bids,
                   "Only with at least this many bids (default 3)");
  conf->add_option("--spain", a->spain, "on|off: Spain's RGLCAP art. 85 rules");
  conf->add_option("--italy", a->italy, "on|off: Italy's method A (D.Lgs 36/2023 annex II.2)");
  conf->add_option("--market", a->market, "on|off: market-wide Tukey screen over all procedures");
  conf->add_option("--security-requirements", a->security,
                   "on|off: an award then needs the supplier's signed-off assessment");
  conf->add_option("--security-text", a->security_text, "What the security requirements are");
  conf->add_option("--explanation-days", a->explanation_days,
                   "Working days a bidder has to explain its price (default 10)");
  conf->add_option("--vendor", a->vendors,
                   "BIDDER=ORGANISATION: the register supplier a bidder is (repeat)");
  json(conf);
  conf->callback([&g, &clock, &rc, a] { rc = cmd_configure(g, *a, clock); });

  auto* an = tender.add_subcommand(
      "analyse", "Run the screens; each newly flagged bid gets an art. 2.116 explanation request");
  an->add_option("PROCEDURE", a->procedure, "The procedure's ocid");
  an->add_flag("--all", a->all, "Every stored procedure");
  an->add_option("--method", a->methods,
                 "Only these screens (repeat): estimate_ratio, below_mean, spain, italy, market")
      ->check(CLI::IsMember({"estimate_ratio", "below_mean", "spain", "italy", "market"}));
  json(an);
  an->callback([&g, &clock, &rc, a] { rc = cmd_analyse(g, *a, clock); });

  auto* ex = tender.add_subcommand("explanation",
                                   "The bidders' explanations of abnormally low prices "
                                   "(art. 2.116 Aanbestedingswet) and the buyer's decisions");
  ex->require_subcommand(1);
  auto* exl = ex->add_subcommand("list", "Requests with their state and deadline");
  exl->add_option("PROCEDURE", a->procedure, "Only this procedure");
  json(exl);
  exl->callback([&g, &clock, &rc, a] {
    rc = with_procurement(g, clock, [&](app::ProcurementService& ps) {
      auto r = ps.requests(g.actor, a->procedure);
      if (!r) return report_error(g, r.error());
      if (g.json) {
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& q : *r) rows.push_back(domain::explanation_request_to_json(q));
        std::cout << rows.dump() << "\n";
      } else {
        if (r->empty()) std::cout << "no explanation requests\n";
        for (const auto& q : *r) print_request(q);
      }
      return kExitOk;
    });
  });
  auto req_arg = [a](CLI::App* c) {
    c->add_option("REQUEST", a->request, "The request id: PROCEDURE/LOT/BID")->required();
  };
  auto* exr = ex->add_subcommand("receive", "Record the bidder's explanation");
  req_arg(exr);
  exr->add_option("--text", a->text, "The explanation")->required();
  exr->add_option("--evidence", a->evidence, "A reference to the evidence (document id, URL)");
  json(exr);
  exr->callback([&g, &clock, &rc, a] {
    rc = with_procurement(g, clock, [&](app::ProcurementService& ps) {
      return request_out(g, ps.receive_explanation(g.actor, a->request, a->text, a->evidence));
    });
  });
  auto* exf = ex->add_subcommand(
      "finding", "Record a breach of environmental, social or labour law (rejection mandatory)");
  req_arg(exf);
  exf->add_option("--text", a->text, "What the breach is")->required();
  json(exf);
  exf->callback([&g, &clock, &rc, a] {
    rc = with_procurement(g, clock, [&](app::ProcurementService& ps) {
      return request_out(g, ps.record_labour_law_finding(g.actor, a->request, a->text));
    });
  });
  auto* exd =
      ex->add_subcommand("decide", "Accept the explanation, or reject the bid with a reason");
  req_arg(exd);
  auto* acc = exd->add_flag("--accept", a->accept, "Accept the explanation");
  auto* rej = exd->add_option("--reject", a->reason,
                              "Reject: labour_law_breach, state_aid_not_proven or other")
                  ->check(CLI::IsMember({"labour_law_breach", "state_aid_not_proven", "other"}));
  acc->excludes(rej);
  exd->add_option("--text", a->text, "Why (required for other and labour_law_breach)");
  json(exd);
  exd->callback([&g, &clock, &rc, a] {
    if (a->accept == !a->reason.empty()) {
      rc = usage("decide takes --accept or --reject REASON");
      return;
    }
    app::DecisionInput d;
    d.decision = a->accept ? app::Decision::kAccept : app::Decision::kReject;
    if (!a->accept) d.reason = *domain::parse_reject_reason(a->reason);
    d.text = a->text;
    rc = with_procurement(g, clock, [&](app::ProcurementService& ps) {
      return request_out(g, ps.decide(g.actor, a->request, d));
    });
  });

  auto* fsr = tender.add_subcommand(
      "fsr",
      "Foreign Subsidies Regulation (EU) 2022/2560: contributions, the notification check "
      "and the Commission's review");
  fsr->require_subcommand(1);
  auto* contrib = fsr->add_subcommand("contribution", "Foreign financial contributions");
  contrib->require_subcommand(1);
  auto* cadd = contrib->add_subcommand("add", "Record a contribution a group member received");
  cadd->add_option("--entity", a->entity, "The ownership entity (e.g. bods:nuctech)")->required();
  cadd->add_option("--country", a->country, "Third country, ISO 3166-1 alpha-2 (e.g. CN)")
      ->required();
  cadd->add_option("--eur", a->eur, "Amount in euro, e.g. 4000000 or 1250.50")->required();
  cadd->add_option("--from", a->from, "Period start, YYYY-MM-DD")->required();
  cadd->add_option("--to", a->to, "Period end, YYYY-MM-DD")->required();
  cadd->add_option("--source", a->source, "Where the figure comes from")->required();
  json(cadd);
  cadd->callback([&g, &clock, &rc, a] {
    auto cents = parse_eur(a->eur);
    if (!cents) {
      rc = usage("--eur takes an amount in euro with at most 2 decimals, not '" + a->eur + "'");
      return;
    }
    rc = with_procurement(g, clock, [&](app::ProcurementService& ps) {
      auto c =
          ps.add_contribution(g.actor, {a->entity, a->country, *cents, a->from, a->to, a->source});
      if (!c) return report_error(g, c.error());
      if (g.json) {
        std::cout << domain::contribution_to_json(*c).dump() << "\n";
      } else {
        std::cout << "recorded " << c->id << ": " << c->entity << " " << c->country << " "
                  << money(c->eur_cents, "EUR") << "\n";
      }
      return kExitOk;
    });
  });
  auto* clist = contrib->add_subcommand("list", "The recorded contributions");
  json(clist);
  clist->callback([&g, &clock, &rc] {
    rc = with_procurement(g, clock, [&](app::ProcurementService& ps) {
      auto r = ps.contributions();
      if (!r) return report_error(g, r.error());
      nlohmann::json rows = nlohmann::json::array();
      for (const auto& c : *r) {
        rows.push_back(domain::contribution_to_json(c));
        if (!g.json) {
          std::cout << c.id << " " << c.entity << " " << c.country << " "
                    << money(c.eur_cents, "EUR") << " " << domain::format_date(c.period_start)
                    << ".." << domain::format_date(c.period_end) << " (" << c.source << ")\n";
        }
      }
      if (g.json) std::cout << rows.dump() << "\n";
      return kExitOk;
    });
  });
  auto proc_bidder = [a](CLI::App* c) {
    c->add_option("PROCEDURE", a->procedure, "The procedure's ocid")->required();
    c->add_option("BIDDER", a->bidder, "The bidder's id as in the bids")->required();
  };
  auto* chk = fsr->add_subcommand("check",
                                  "Build the bidder's group from the ownership data, "
                                  "sum its contributions and test the notification duty");
  proc_bidder(chk);
  chk->add_option("--subcontractor", a->subcontractors,
                  "A main subcontractor or supplier of the bid (entity id or name; repeat)");
  chk->add_option("--lot", a->lots, "A lot the bidder applied for (default: those it bid on)");
  json(chk);
  chk->callback([&g, &clock, &rc, a] {
    rc = with_procurement(g, clock, [&](app::ProcurementService& ps) {
      return case_out(g,
                      ps.fsr_check(g.actor, a->procedure, a->bidder, {a->subcontractors, a->lots}),
                      today_of(clock));
    });
  });
  auto* notified = fsr->add_subcommand(
      "notified", "The Commission received the complete notification: the review clock starts");
  proc_bidder(notified);
  notified->add_option("--date", a->date, "YYYY-MM-DD (default today)");
  json(notified);
  notified->callback([&g, &clock, &rc, a] {
    rc = with_procurement(g, clock, [&](app::ProcurementService& ps) {
      return case_out(g, ps.fsr_notified(g.actor, a->procedure, a->bidder, a->date),
                      today_of(clock));
    });
  });
  auto* rev = fsr->add_subcommand("review", "A step of the Commission's review");
  proc_bidder(rev);
  auto* o1 = rev->add_flag("--open-in-depth", a->open_in_depth, "In-depth investigation opened");
  auto* o2 = rev->add_flag("--extend-preliminary", a->extend_preliminary,
                           "Preliminary review extended (once, +10 working days)");
  auto* o3 = rev->add_flag("--extend-in-depth", a->extend_in_depth,
                           "In-depth investigation extended (once, +20 working days)");
  auto* o4 = rev->add_option("--outcome", a->outcome, "no_objection, commitments or prohibition")
                 ->check(CLI::IsMember({"no_objection", "commitments", "prohibition"}));
  rev->add_option("--date", a->date, "YYYY-MM-DD (default today)");
  rev->add_option("--text", a->text, "A note (the decision's reference)");
  json(rev);
  rev->callback([&g, &clock, &rc, a, o1, o2, o3, o4] {
    const int steps = static_cast<int>(o1->count() > 0) + static_cast<int>(o2->count() > 0) +
                      static_cast<int>(o3->count() > 0) + static_cast<int>(o4->count() > 0);
    if (steps != 1) {
      rc = usage(
          "review takes exactly one of --open-in-depth, --extend-preliminary, "
          "--extend-in-depth, --outcome");
      return;
    }
    app::ReviewInput in;
    in.step = a->open_in_depth        ? app::ReviewStep::kOpenInDepth
              : a->extend_preliminary ? app::ReviewStep::kExtendPreliminary
              : a->extend_in_depth    ? app::ReviewStep::kExtendInDepth
                                      : app::ReviewStep::kOutcome;
    if (!a->outcome.empty()) in.outcome = *domain::parse_fsr_outcome(a->outcome);
    in.date = a->date;
    in.text = a->text;
    rc = with_procurement(g, clock, [&](app::ProcurementService& ps) {
      return case_out(g, ps.fsr_review(g.actor, a->procedure, a->bidder, in), today_of(clock));
    });
  });
  auto* fshow = fsr->add_subcommand("show", "The bidder's FSR case");
  proc_bidder(fshow);
  json(fshow);
  fshow->callback([&g, &clock, &rc, a] {
    rc = with_procurement(g, clock, [&](app::ProcurementService& ps) {
      auto c = ps.fsr_case(a->procedure, a->bidder);
      if (!c) return report_error(g, c.error());
      if (!*c) {
        return report_error(g, core::Error(core::Code::kNotFound, "no FSR check of '" + a->bidder +
                                                                      "' in " + a->procedure));
      }
      return case_out(g, **c, today_of(clock));
    });
  });

  auto* aw = tender.add_subcommand(
      "award", "Award a lot to a bid, or list every reason it may not be awarded yet (exit 3)");
  aw->add_option("PROCEDURE", a->procedure, "The procedure's ocid")->required();
  aw->add_option("LOT", a->lot, "The lot id; '-' for a procedure without lots")->required();
  aw->add_option("BID", a->bid, "The bid id")->required();
  json(aw);
  aw->callback([&g, &clock, &rc, a] {
    rc = with_procurement(g, clock, [&](app::ProcurementService& ps) {
      auto r = ps.award(g.actor, a->procedure, a->lot == "-" ? "" : a->lot, a->bid);
      if (!r) return report_error(g, r.error());
      if (g.json) {
        std::cout << r->to_json().dump() << "\n";
      } else if (r->awarded) {
        std::cout << "awarded lot '" << r->award->lot << "' of " << r->award->procedure
                  << " to bid " << r->award->bid << " (" << r->award->bidder << ")\n";
      } else {
        std::cout << "not awarded:\n";
        for (const auto& b : r->blocks) std::cout << "  [" << b.code << "] " << b.message << "\n";
      }
      return r->awarded ? kExitOk : kExitState;
    });
  });
}

}  // namespace pw::cli
