// `portwarden inventory ...` and `portwarden findings ...`: the site register and its topology
// findings (issue 4 items 1 and 2).
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/register_service.h"
#include "cli/commands.h"
#include "domain/ownership.h"

namespace pw::cli {
namespace {

struct RegisterArgs {
  std::string path;
  std::string finding;
  std::string reason;
  std::string today;
  int horizon = 30;
  bool all = false;
};

template <typename Fn>
int with_register(const Globals& g, const core::Clock& clock, Fn fn) {
  auto svc = open_service(g, clock);
  if (!svc) return report_error(g, svc.error());
  app::RegisterService reg(**svc, clock);
  return fn(reg);
}

core::Result<app::FindingsQuery> findings_query(const RegisterArgs& a) {
  app::FindingsQuery q;
  q.screening_horizon_days = a.horizon;
  if (!a.today.empty()) {
    auto d = domain::parse_date(a.today);
    if (!d) return std::unexpected(d.error().with_context("--today"));
    q.today = *d;
  }
  return q;
}

int cmd_import(const Globals& g, const RegisterArgs& a, const core::Clock& clock) {
  auto svc = open_service(g, clock);
  if (!svc) return report_error(g, svc.error());
  app::RegisterService reg(**svc, clock);
  {
    auto r = reg.import(a.path, g.actor);
    if (!r) return report_error(g, r.error());
    if (r->added + r->changed > 0) note_stale_assessments(g, **svc, clock);
    if (g.json) {
      nlohmann::json seqs = nlohmann::json::array();
      for (const auto& e : r->events) seqs.push_back(e.seq);
      std::cout << nlohmann::json{{"added", r->added},
                                  {"changed", r->changed},
                                  {"unchanged", r->unchanged},
                                  {"tables", r->by_table},
                                  {"journal_entries", seqs}}
                       .dump()
                << "\n";
      return kExitOk;
    }
    std::cout << "imported " << a.path << ": " << r->added << " added, " << r->changed
              << " changed, " << r->unchanged << " unchanged";
    if (!r->events.empty()) {
      std::cout << " (journal entries " << r->events.front().seq << ".." << r->events.back().seq
                << ")";
    }
    std::cout << "\n";
    for (const auto& [table, counts] : r->by_table) {
      std::cout << "  " << table << ":";
      for (const auto& [what, n] : counts) std::cout << " " << n << " " << what;
      std::cout << "\n";
    }
    return kExitOk;
  }
}

int cmd_export(const Globals& g, const RegisterArgs& a, const core::Clock& clock) {
  return with_register(g, clock, [&](app::RegisterService& reg) {
    if (auto st = reg.export_to(a.path); !st) return report_error(g, st.error());
    if (g.json) {
      std::cout << nlohmann::json{{"exported", a.path}}.dump() << "\n";
    } else {
      std::cout << "exported the register to " << a.path << "\n";
    }
    return kExitOk;
  });
}

void print_finding_text(const app::FindingRecord& r) {
  const auto& f = r.finding;
  std::cout << "[" << topology::severity_name(f.severity) << "] " << f.id << "  ("
            << app::finding_state_name(r.state) << ")\n";
  std::cout << "    " << f.title << "\n";
  if (!f.detail.empty()) std::cout << "    " << f.detail << "\n";
  if (!f.suggested_mitigation.empty()) {
    std::cout << "    mitigation: " << f.suggested_mitigation << "\n";
  }
  if (!f.seed.empty()) std::cout << "    source document: " << f.seed << "\n";
  if (r.state != app::FindingState::kOpen || !r.reason.empty()) {
    std::cout << "    " << app::finding_state_name(r.state) << " by " << r.decided_by << " at "
              << r.decided_at << ": " << r.reason << "\n";
  }
}

int cmd_findings(const Globals& g, const RegisterArgs& a, const core::Clock& clock) {
  auto q = findings_query(a);
  if (!q) return report_error(g, q.error());
  return with_register(g, clock, [&](app::RegisterService& reg) {
    auto r = reg.findings(*q);
    if (!r) return report_error(g, r.error());
    std::size_t shown = 0, hidden = 0;
    nlohmann::json out = nlohmann::json::array();
    for (const auto& rec : *r) {
      // Accepted and resolved findings are listed with --all only: the list is the work to do.
      if (!a.all && rec.state != app::FindingState::kOpen) {
        ++hidden;
        continue;
      }
      ++shown;
      if (g.json) {
        out.push_back(app::finding_record_to_json(rec));
      } else {
        print_finding_text(rec);
      }
    }
    if (g.json) {
      std::cout << out.dump() << "\n";
    } else {
      std::cout << shown << " finding" << (shown == 1 ? "" : "s");
      if (hidden > 0) std::cout << " (" << hidden << " accepted or resolved not shown: --all)";
      std::cout << "\n";
    }
    return kExitOk;
  });
}

int cmd_decide(const Globals& g, const RegisterArgs& a, app::FindingState state,
               const core::Clock& clock) {
  auto q = findings_query(a);
  if (!q) return report_error(g, q.error());
  return with_register(g, clock, [&](app::RegisterService& reg) {
    auto r = reg.decide(a.finding, state, a.reason, g.actor, *q);
    if (!r) return report_error(g, r.error());
    if (g.json) {
      std::cout << nlohmann::json{{"finding", a.finding},
                                  {"state", std::string(app::finding_state_name(state))},
                                  {"seq", r->seq},
                                  {"time", r->time}}
                       .dump()
                << "\n";
    } else {
      std::cout << "finding " << a.finding << " " << app::finding_state_name(state)
                << " (journal entry " << r->seq << ")\n";
    }
    return kExitOk;
  });
}

}  // namespace

void add_register_commands(CLI::App& app, Globals& g, const core::Clock& clock, int& rc) {
  auto a = std::make_shared<RegisterArgs>();

  auto* inv = app.add_subcommand("inventory",
                                 "The site register: sites, rooms, network zones, "
                                 "assets, people, screenings (TOML files)");
  inv->require_subcommand(1);
  auto* imp =
      inv->add_subcommand("import",
                          "Import a TOML file or a directory of them; one journal event per new or "
                          "changed record, all or nothing");
  imp->add_option("PATH", a->path, "File or directory")->required()->check(CLI::ExistingPath);
  imp->callback([&g, &clock, &rc, a] { rc = cmd_import(g, *a, clock); });
  auto* exp = inv->add_subcommand("export", "Write the register as TOML files (one per table)");
  exp->add_option("DIR", a->path, "Directory (created if missing; its files are replaced)")
      ->required();
  exp->callback([&g, &clock, &rc, a] { rc = cmd_export(g, *a, clock); });

  auto add_query_options = [a](CLI::App* cmd) {
    cmd->add_option("--today", a->today,
                    "Judge screenings on this date (YYYY-MM-DD; default: "
                    "today, UTC)");
    cmd->add_option("--horizon", a->horizon,
                    "Days ahead in which an ending screening is "
                    "reported")
        ->capture_default_str()
        ->check(CLI::Range(0, 3650));
  };
  auto* fnd = app.add_subcommand("findings",
                                 "Weak spots of the register: mixed-vendor server "
                                 "rooms, paths around the gateway, unwatched "
                                 "scanners, remote access without policy, "
                                 "screenings");
  fnd->add_flag("--all", a->all, "Also list accepted and resolved findings");
  add_query_options(fnd);
  fnd->callback([&g, &clock, &rc, a, fnd] {
    if (fnd->get_subcommands().empty()) rc = cmd_findings(g, *a, clock);
  });
  struct Decision {
    const char* name;
    const char* help;
    app::FindingState state;
  };
  for (const Decision& d :
       {Decision{"accept", "Accept a finding's risk, with the reason (journaled)",
                 app::FindingState::kAccepted},
        Decision{"resolve", "Mark a finding resolved, with the reason (journaled)",
                 app::FindingState::kResolved},
        Decision{"reopen", "Withdraw an earlier decision on a finding (journaled)",
                 app::FindingState::kOpen}}) {
    auto* cmd = fnd->add_subcommand(d.name, d.help);
    cmd->add_option("FINDING", a->finding, "The finding's id (as `portwarden findings` prints)")
        ->required();
    cmd->add_option("--reason", a->reason, "Why")->required();
    add_query_options(cmd);
    const app::FindingState state = d.state;
    cmd->callback([&g, &clock, &rc, a, state] { rc = cmd_decide(g, *a, state, clock); });
  }
}

}  // namespace pw::cli
