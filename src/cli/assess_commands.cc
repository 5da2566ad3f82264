// `portwarden assess ...`: the supplier assessment on the cabinet's criteria (issue 4 items 4
// and 5).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "app/assessment_service.h"
#include "app/ownership_service.h"
#include "app/register_service.h"
#include "cli/commands.h"

#ifndef PW_DEFAULT_DATA_DIR
#define PW_DEFAULT_DATA_DIR "data"
#endif

namespace pw::cli {
namespace {

struct AssessArgs {
  std::string supplier, person, criterion, answer, judgement, note, mitigation, status, html;
  std::string countries = std::string(PW_DEFAULT_DATA_DIR) + "/countries.toml";
  bool infeasible = false;
};

template <typename Fn>
int with_assessments(const Globals& g, const AssessArgs& a, const core::Clock& clock, Fn fn) {
  auto svc = open_service(g, clock);
  if (!svc) return report_error(g, svc.error());
  app::OwnershipService own(**svc, clock, app::OwnershipService::blob_dir_for(g.db));
  app::RegisterService reg(**svc, clock);
  app::AssessmentConfig config;
  config.countries_path = a.countries;
  app::AssessmentService as(**svc, own, reg, clock, config);
  return fn(as);
}

int print_assessment(const Globals& g, const core::Result<domain::Assessment>& r,
                     const std::string& what) {
  if (!r) return report_error(g, r.error());
  if (g.json) {
    std::cout << domain::assessment_to_json(*r).dump() << "\n";
    return kExitOk;
  }
  std::cout << what << " assessment " << r->id << " of " << r->supplier << " ("
            << domain::assessment_status_name(r->status) << "); inherent risk "
            << domain::risk_level_name(r->inherent) << ", residual risk "
            << domain::risk_level_name(r->residual) << "\n";
  for (const auto& c : r->criteria) {
    std::cout << "  criterion " << domain::criterion_name(c.criterion) << ": suggested "
              << domain::answer_name(c.suggested) << " (" << c.rule << ")";
    if (c.analyst_answer) {
      std::cout << "; judged " << domain::answer_name(*c.analyst_answer) << " by " << c.judged_by;
    }
    std::cout << "\n";
  }
  return kExitOk;
}

int cmd_report(const Globals& g, const AssessArgs& a, const core::Clock& clock) {
  return with_assessments(g, a, clock, [&](app::AssessmentService& as) {
    auto r = as.report(a.supplier);
    if (!r) return report_error(g, r.error());
    if (!a.html.empty()) {
      const std::filesystem::path out(a.html);
      const std::filesystem::path tmp = out.string() + ".tmp";
      {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        f << r->html;
        if (!f.flush()) {
          return report_error(g, core::Error(core::Code::kUnavailable, "cannot write " + a.html));
        }
      }
      std::error_code ec;
      std::filesystem::rename(tmp, out, ec);
      if (ec)
        return report_error(g, core::Error(core::Code::kUnavailable, "cannot write " + a.html));
    }
    if (g.json) {
      nlohmann::json j = r->json;
      if (!a.html.empty()) j["html"] = a.html;
      std::cout << j.dump() << "\n";
    } else {
      if (r->stale_now) std::cout << "inputs changed since the evaluation: marked stale\n";
      std::cout << r->text;
      if (!a.html.empty()) std::cout << "report written to " << a.html << "\n";
    }
    return kExitOk;
  });
}

}  // namespace

void note_stale_assessments(const Globals& g, app::JournalService& journal,
                            const core::Clock& clock) {
  app::OwnershipService own(journal, clock, app::OwnershipService::blob_dir_for(g.db));
  app::RegisterService reg(journal, clock);
  app::AssessmentConfig config;
  config.countries_path = AssessArgs{}.countries;
  app::AssessmentService as(journal, own, reg, clock, config);
  auto n = as.mark_stale();
  if (!n) {
    std::cerr << "portwarden: warning: could not check the assessments for staleness: "
              << n.error().message() << "\n";
  } else if (*n > 0) {
    std::cerr << "portwarden: " << *n << " assessment" << (*n == 1 ? "" : "s")
              << " marked stale: the inputs changed (portwarden assess SUPPLIER)\n";
  }
}

void add_assess_commands(CLI::App& app, Globals& g, const core::Clock& clock, int& rc) {
  auto a = std::make_shared<AssessArgs>();
  auto* as = app.add_subcommand(
      "assess",
      "Supplier national-security assessment on the cabinet's criteria 1, 2, 3a, 3b "
      "(Q6). `assess SUPPLIER` prints the latest assessment's report.");
  as->add_option("--countries", a->countries, "Country profiles (TOML)")->capture_default_str();
  as->add_option("SUPPLIER", a->supplier, "The supplier's organisation id in the register");
  as->add_option("--html", a->html, "Also write the report as a self-contained HTML page");
  as->callback([&g, &clock, &rc, a, as] {
    if (!as->get_subcommands().empty()) return;
    if (a->supplier.empty()) {
      std::cerr << "portwarden: assess needs a SUPPLIER or a subcommand (see --help)\n";
      rc = kExitUsage;
      return;
    }
    rc = cmd_report(g, *a, clock);
  });

  auto person_option = [a](CLI::App* cmd) {
    cmd->add_option("--as", a->person, "Who acts: a person id in the register (an analyst)")
        ->required();
  };
  auto supplier_arg = [a](CLI::App* cmd) {
    cmd->add_option("SUPPLIER", a->supplier, "The supplier's organisation id")->required();
  };

  auto* start = as->add_subcommand("start", "Draft an assessment (or revise a signed-off one)");
  supplier_arg(start);
  person_option(start);
  start->callback([&g, &clock, &rc, a] {
    rc = with_assessments(g, *a, clock, [&](app::AssessmentService& s) {
      return print_assessment(g, s.start(a->supplier, a->person), "drafted");
    });
  });

  auto* judge = as->add_subcommand("judge",
                                   "Record an analyst's answer and reasoning on one "
                                   "criterion");
  supplier_arg(judge);
  person_option(judge);
  judge->add_option("--criterion", a->criterion, "1, 2, 3a or 3b")
      ->required()
      ->check(CLI::IsMember({"1", "2", "3a", "3b"}));
  judge->add_option("--answer", a->answer, "yes, no, partly or unknown")
      ->required()
      ->check(CLI::IsMember({"yes", "no", "partly", "unknown"}));
  judge->add_option("--judgement", a->judgement, "The reasoning")->required();
  judge->callback([&g, &clock, &rc, a] {
    rc = with_assessments(g, *a, clock, [&](app::AssessmentService& s) {
      auto c = domain::parse_criterion(a->criterion);
      auto ans = domain::parse_answer(a->answer);
      if (!c) return report_error(g, c.error());
      if (!ans) return report_error(g, ans.error());
      return print_assessment(g, s.judge(a->supplier, a->person, *c, *ans, a->judgement), "judged");
    });
  });

  auto* sign = as->add_subcommand("sign",
                                  "Sign off an assessment (a second analyst: the author "
                                  "and those who judged cannot)");
  supplier_arg(sign);
  person_option(sign);
  sign->add_option("--note", a->note, "A note with the sign-off");
  sign->callback([&g, &clock, &rc, a] {
    rc = with_assessments(g, *a, clock, [&](app::AssessmentService& s) {
      return print_assessment(g, s.sign_off(a->supplier, a->person, a->note), "signed off");
    });
  });

  auto* refresh = as->add_subcommand("refresh",
                                     "Renew a draft's evidence from the current "
                                     "register, ownership data and mitigations");
  supplier_arg(refresh);
  person_option(refresh);
  refresh->callback([&g, &clock, &rc, a] {
    rc = with_assessments(g, *a, clock, [&](app::AssessmentService& s) {
      return print_assessment(g, s.refresh(a->supplier, a->person), "refreshed");
    });
  });

  auto* mit = as->add_subcommand("mitigation",
                                 "Record a mitigation's status for a supplier "
                                 "(the assessment becomes stale)");
  supplier_arg(mit);
  mit->add_option("MITIGATION", a->mitigation, "Catalogue id (docs/ASSESSMENT.md)")->required();
  person_option(mit);
  mit->add_option("--status", a->status, "proposed, planned, implemented or verified")
      ->required()
      ->check(CLI::IsMember({"proposed", "planned", "implemented", "verified"}));
  mit->add_flag("--infeasible", a->infeasible, "Judged not realisable here");
  mit->add_option("--note", a->note, "A note");
  mit->callback([&g, &clock, &rc, a] {
    rc = with_assessments(g, *a, clock, [&](app::AssessmentService& s) {
      auto st = domain::parse_mitigation_status(a->status);
      if (!st) return report_error(g, st.error());
      auto r =
          s.set_mitigation(a->supplier, a->person, a->mitigation, *st, !a->infeasible, a->note);
      if (!r) return report_error(g, r.error());
      // A mitigation status is an input of the supplier's assessment.
      if (auto n = s.mark_stale(); !n) {
        std::cerr << "portwarden: warning: could not check the assessments for staleness: "
                  << n.error().message() << "\n";
      } else if (*n > 0) {
        std::cerr << "portwarden: " << *n << " assessment" << (*n == 1 ? "" : "s")
                  << " marked stale: the inputs changed (portwarden assess SUPPLIER)\n";
      }
      if (g.json) {
        std::cout << nlohmann::json{{"seq", r->seq}, {"time", r->time}}.dump() << "\n";
      } else {
        std::cout << "mitigation " << a->mitigation << " of " << a->supplier << ": " << a->status
                  << " (journal entry " << r->seq << ")\n";
      }
      return kExitOk;
    });
  });
}

}  // namespace pw::cli
