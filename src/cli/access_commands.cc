// Maintenance access for operators without a browser (issue 5 item 7): `request`, `approve`,
// `deny`, `permit`, `checkin`, `checkout`, `suspend`, `resume`, `access check`, `access status`.
// Every command acts as a person of the register (`--as`) and prints every rule the engine
// checked; a refusal exits 4 with the rules that failed.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "access/engine.h"
#include "app/access_service.h"
#include "app/register_service.h"
#include "cli/commands.h"
#include "core/ids.h"
#include "core/random.h"

#ifndef PW_DEFAULT_DATA_DIR
#define PW_DEFAULT_DATA_DIR "data"
#endif

namespace pw::cli {
namespace {

struct AccessArgs {
  std::string person, kind, asset, room, fault, permit, from, to, reason, note, id, target,
      mode = "remote", at, until, grant, scope_person, scope_grant, vendor;
  std::vector<std::string> technicians, people, modes;
  bool yes = false;
  std::string policy = std::string(PW_DEFAULT_DATA_DIR) + "/access-policy.toml";
};

std::string new_id(std::string_view prefix) {
  auto random = core::make_secure_random();
  return std::string(prefix) + "-" +
         core::new_uuid_v7(core::SystemClock().now(), *random).substr(0, 23);
}

core::Result<domain::Window> window_of(const AccessArgs& a) {
  if (a.from.empty() || a.to.empty()) return core::invalid_argument("--from and --to are required");
  auto from = core::parse_rfc3339(a.from);
  if (!from) return std::unexpected(from.error().with_context("--from"));
  auto to = core::parse_rfc3339(a.to);
  if (!to) return std::unexpected(to.error().with_context("--to"));
  return domain::Window{*from, *to};
}

void print_decision(const access::Decision& d) {
  for (const auto& c : d.checks) {
    std::cout << "  [" << (c.pass ? "pass" : "FAIL") << "] " << c.rule;
    if (!c.subject.empty()) std::cout << " (" << c.subject << ")";
    std::cout << ": " << c.reason << "\n";
  }
}

template <typename Fn>
int with_access(const Globals& g, const AccessArgs& a, const core::Clock& clock, Fn fn) {
  auto svc = open_access(g, a.policy, clock);
  if (!svc) return report_error(g, svc.error());
  return fn(*svc->access);
}

// Runs an engine command and reports: the records it changed, or every rule with the failures.
int run_command(const Globals& g, const AccessArgs& a, const core::Clock& clock,
                const std::string& what, const app::AccessService::EngineCommand& command) {
  if (a.person.empty()) {
    return report_error(g, core::Error(core::Code::kInvalidArgument,
                                       "--as PERSON is required (a person id in the register)"));
  }
  return with_access(g, a, clock, [&](app::AccessService& access) {
    auto r = access.run(a.person, command);
    if (!r) return report_error(g, r.error());
    if (g.json) {
      nlohmann::json events = nlohmann::json::array();
      for (const auto& e : r->events) events.push_back({{"type", e.type}, {"payload", e.payload}});
      std::cout << nlohmann::json{{"allowed", r->allowed()},
                                  {"decision", access::decision_to_json(r->decision)},
                                  {"events", events}}
                       .dump()
                << "\n";
    } else {
      std::cout << what << ": " << (r->allowed() ? "done" : "REFUSED") << "\n";
      print_decision(r->decision);
      for (std::size_t i = 0; i < r->events.size(); ++i) {
        std::cout << "  journal entry " << r->appended[i].seq << ": " << r->events[i].type << "\n";
      }
    }
    if (!r->allowed()) {
      std::cerr << "portwarden: " << r->decision.summary() << "\n";
      return kExitPermission;
    }
    return kExitOk;
  });
}

bool confirm(const std::string& question) {
  if (!::isatty(0)) return false;
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

}  // namespace

void add_access_commands(CLI::App& app, Globals& g, const core::Clock& clock, int& rc) {
  auto a = std::make_shared<AccessArgs>();
  auto person = [a](CLI::App* c) {
    c->add_option("--as", a->person, "Who acts: a person id in the register")->required();
    c->add_option("--policy", a->policy, "Access conditions per risk level (TOML)")
        ->capture_default_str();
  };
  auto window = [a](CLI::App* c) {
    c->add_option("--from", a->from, "Window start (RFC 3339, e.g. 2026-12-01T08:00:00Z)")
        ->required();
    c->add_option("--to", a->to, "Window end (RFC 3339)")->required();
  };

  // request
  auto* req = app.add_subcommand("request",
                                 "Request maintenance access: a preventive or "
                                 "corrective visit, server-room entry or a remote "
                                 "session");
  req->add_option("KIND", a->kind, "preventive, corrective, server_room or remote")
      ->required()
      ->check(CLI::IsMember({"preventive", "corrective", "server_room", "remote"}));
  person(req);
  window(req);
  req->add_option("--asset", a->asset, "The asset (all kinds but server_room)");
  req->add_option("--room", a->room, "The server room (server_room)");
  req->add_option("--fault", a->fault, "The fault (remote: required; corrective: optional)");
  req->add_option("--permit", a->permit, "The terminal's work permit (corrective)");
  req->add_option("--technician", a->technicians,
                  "Technicians (default: the requester); repeat for several");
  req->add_option("--reason", a->reason, "Why");
  req->add_option("--id", a->id, "Request id (default: generated)");
  req->callback([&g, &clock, &rc, a] {
    auto w = window_of(*a);
    if (!w) {
      rc = report_error(g, w.error());
      return;
    }
    access::VisitDraft d;
    d.id = a->id.empty() ? new_id("req") : a->id;
    d.kind = *domain::parse_request_kind(a->kind);
    d.technicians = a->technicians.empty() ? std::vector<std::string>{a->person} : a->technicians;
    d.asset = a->asset;
    d.room = a->room;
    d.fault = a->fault;
    d.permit = a->permit;
    d.window = *w;
    d.reason = a->reason;
    rc = run_command(
        g, *a, clock, "request " + d.id,
        [d](const auto& s, const auto& ctx, std::string_view actor, core::Timestamp now) {
          return access::request_visit(s, ctx, actor, now, d);
        });
  });

  // approve / deny
  auto* appr = app.add_subcommand("approve",
                                  "Approve an access request (a customs operator or "
                                  "security officer; the quorum depends on the "
                                  "vendor's risk)");
  appr->add_option("REQUEST", a->id, "Request id")->required();
  person(appr);
  appr->add_option("--note", a->note, "A note");
  appr->callback([&g, &clock, &rc, a] {
    rc = run_command(
        g, *a, clock, "approve " + a->id,
        [a](const auto& s, const auto& ctx, std::string_view actor, core::Timestamp now) {
          return access::approve(s, ctx, actor, now, a->id, a->note);
        });
  });
  auto* den = app.add_subcommand("deny", "Deny an access request");
  den->add_option("REQUEST", a->id, "Request id")->required();
  person(den);
  den->add_option("--note", a->note, "Why")->required();
  den->callback([&g, &clock, &rc, a] {
    rc = run_command(
        g, *a, clock, "deny " + a->id,
        [a](const auto& s, const auto& ctx, std::string_view actor, core::Timestamp now) {
          return access::deny(s, ctx, actor, now, a->id, a->note);
        });
  });

  // permit
  auto* permit = app.add_subcommand("permit",
                                    "The terminal's work permits for corrective "
                                    "maintenance (Q12)");
  permit->require_subcommand(1);
  auto* preq = permit->add_subcommand("request", "Request a work permit for an asset");
  person(preq);
  window(preq);
  preq->add_option("--asset", a->asset, "The asset")->required();
  preq->add_option("--person", a->people, "People the permit names; repeat")->required();
  preq->add_option("--fault", a->fault, "The fault");
  preq->add_option("--reason", a->reason, "Why");
  preq->add_option("--id", a->id, "Permit id (default: generated)");
  preq->callback([&g, &clock, &rc, a] {
    auto w = window_of(*a);
    if (!w) {
      rc = report_error(g, w.error());
      return;
    }
    access::PermitDraft d{
        a->id.empty() ? new_id("permit") : a->id, a->asset, a->fault, a->people, *w, a->reason};
    rc = run_command(
        g, *a, clock, "permit " + d.id,
        [d](const auto& s, const auto& ctx, std::string_view actor, core::Timestamp now) {
          return access::request_permit(s, ctx, actor, now, d);
        });
  });
  for (const char* step : {"approve", "issue"}) {
    auto* c = permit->add_subcommand(step, std::string(step) == "approve"
                                               ? "Approve a work permit (terminal staff)"
                                               : "Issue an approved work permit (terminal staff)");
    c->add_option("PERMIT", a->permit, "Permit id")->required();
    person(c);
    const bool approve = std::string(step) == "approve";
    c->callback([&g, &clock, &rc, a, approve] {
      rc = run_command(g, *a, clock, (approve ? "approve permit " : "issue permit ") + a->permit,
                       [a, approve](const auto& s, const auto& ctx, std::string_view actor,
                                    core::Timestamp now) {
                         return approve ? access::approve_permit(s, ctx, actor, now, a->permit)
                                        : access::issue_permit(s, ctx, actor, now, a->permit);
                       });
    });
  }
  auto* pclose = permit->add_subcommand("close", "Close a work permit (its grants end)");
  pclose->add_option("PERMIT", a->permit, "Permit id")->required();
  person(pclose);
  pclose->add_option("--reason", a->reason, "Why")->required();
  pclose->callback([&g, &clock, &rc, a] {
    rc = run_command(
        g, *a, clock, "close permit " + a->permit,
        [a](const auto& s, const auto& ctx, std::string_view actor, core::Timestamp now) {
          return access::close_permit(s, ctx, actor, now, a->permit, a->reason);
        });
  });

  // checkin / checkout
  auto* in = app.add_subcommand("checkin",
                                "Server-room entry: the system operator checks a "
                                "technician in under an approved request (Q12)");
  in->add_option("REQUEST", a->id, "The approved request")->required();
  in->add_option("--person", a->scope_person, "The technician")->required();
  person(in);
  in->callback([&g, &clock, &rc, a] {
    rc = run_command(
        g, *a, clock, "check in " + a->scope_person,
        [a](const auto& s, const auto& ctx, std::string_view actor, core::Timestamp now) {
          return access::check_in(s, ctx, actor, now, a->id, a->scope_person);
        });
  });
  auto* out = app.add_subcommand("checkout", "End a server-room grant");
  out->add_option("GRANT", a->grant, "The server-room grant")->required();
  person(out);
  out->callback([&g, &clock, &rc, a] {
    rc = run_command(
        g, *a, clock, "check out " + a->grant,
        [a](const auto& s, const auto& ctx, std::string_view actor, core::Timestamp now) {
          return access::check_out(s, ctx, actor, now, a->grant);
        });
  });

  // suspend / resume (the kill switch)
  auto* sus = app.add_subcommand(
      "suspend",
      "The kill switch: suspend a vendor's (or a person's, or one grant's) access; "
      "shows the downtime cost first and asks for confirmation unless --yes");
  sus->add_option("VENDOR", a->vendor, "The vendor (organisation id)");
  sus->add_option("--person", a->scope_person, "Suspend one person instead");
  sus->add_option("--grant", a->scope_grant, "Suspend one grant instead");
  sus->add_option("--mode", a->modes, "Only these modes (onsite, server_room, remote); repeat");
  sus->add_option("--reason", a->reason, "Why")->required();
  sus->add_option("--until", a->until, "End (RFC 3339); default: until resumed");
  sus->add_flag("--yes", a->yes, "Do not ask for confirmation");
  person(sus);
  sus->callback([&g, &clock, &rc, a] {
    access::SuspensionDraft d;
    d.id = new_id("susp");
    const int given = !a->vendor.empty() + !a->scope_person.empty() + !a->scope_grant.empty();
    if (given != 1) {
      rc = report_error(g, core::Error(core::Code::kInvalidArgument,
                                       "name exactly one of VENDOR, --person or --grant"));
      return;
    }
    d.scope = !a->vendor.empty()         ? domain::SuspensionScope::kVendor
              : !a->scope_person.empty() ? domain::SuspensionScope::kPerson
                                         : domain::SuspensionScope::kGrant;
    d.subject = !a->vendor.empty()         ? a->vendor
                : !a->scope_person.empty() ? a->scope_person
                                           : a->scope_grant;
    for (const auto& m : a->modes) {
      auto mode = domain::parse_grant_mode(m);
      if (!mode) {
        rc = report_error(g, mode.error().with_context("--mode"));
        return;
      }
      d.modes.push_back(*mode);
    }
    d.reason = a->reason;
    if (!a->until.empty()) {
      auto u = core::parse_rfc3339(a->until);
      if (!u) {
        rc = report_error(g, u.error().with_context("--until"));
        return;
      }
      d.until = *u;
    }
    if (d.scope == domain::SuspensionScope::kVendor) {
      // Q10: the cost of switching remote maintenance off, before it is switched off.
      const int shown = with_access(g, *a, clock, [&](app::AccessService& access) {
        auto cost = access.downtime_cost(a->vendor);
        if (!cost) return report_error(g, cost.error());
        const auto& c = *cost;
        std::cerr << "Downtime cost of suspending " << a->vendor << " (fault history, last "
                  << c.period_days << " days): " << c.remote_faults << " of " << c.faults
                  << " faults fixed remotely (" << c.remote_share_bp / 100 << "."
                  << (c.remote_share_bp % 100) / 10 << "%); mean repair " << c.mttr_remote_minutes
                  << " min remotely against " << c.mttr_onsite_basis_minutes << " min on site ("
                  << c.onsite_basis << "); about " << c.extra_downtime_minutes_per_month
                  << " extra minutes of scanner downtime per month while remote access is off.\n";
        return kExitOk;
      });
      if (shown != kExitOk) {
        rc = shown;
        return;
      }
    }
    if (!a->yes && !confirm("Suspend " + d.subject + "?")) {
      rc = report_error(g, core::Error(core::Code::kFailedPrecondition,
                                       "not confirmed (pass --yes when not on a terminal)"));
      return;
    }
    rc = run_command(g, *a, clock, "suspend " + d.subject,
                     [d](const auto& s, const auto& ctx, std::string_view actor,
                         core::Timestamp now) { return access::suspend(s, ctx, actor, now, d); });
  });
  auto* res = app.add_subcommand("resume", "End a suspension");
  res->add_option("SUSPENSION", a->id, "Suspension id")->required();
  res->add_option("--reason", a->reason, "Why")->required();
  person(res);
  res->callback([&g, &clock, &rc, a] {
    rc = run_command(
        g, *a, clock, "resume " + a->id,
        [a](const auto& s, const auto& ctx, std::string_view actor, core::Timestamp now) {
          return access::resume(s, ctx, actor, now, a->id, a->reason);
        });
  });

  // access check / status
  auto* acc = app.add_subcommand("access", "The access check and the current access records");
  acc->require_subcommand(1);
  auto* chk = acc->add_subcommand("check",
                                  "May this person reach this asset or room now (or "
                                  "--at)? Deny by default; exit 4 when denied");
  chk->add_option("--person", a->scope_person, "The person")->required();
  chk->add_option("--target", a->target, "Asset (onsite, remote) or room (server_room)")
      ->required();
  chk->add_option("--mode", a->mode, "onsite, server_room or remote")
      ->capture_default_str()
      ->check(CLI::IsMember({"onsite", "server_room", "remote"}));
  chk->add_option("--at", a->at, "Instant (RFC 3339; default now)");
  chk->callback([&g, &clock, &rc, a] {
    rc = with_access(g, *a, clock, [&](app::AccessService& access) {
      core::Timestamp at = clock.now();
      if (!a->at.empty()) {
        auto t = core::parse_rfc3339(a->at);
        if (!t) return report_error(g, t.error().with_context("--at"));
        at = *t;
      }
      auto r = access.check(a->scope_person, a->target, *domain::parse_grant_mode(a->mode), at);
      if (!r) return report_error(g, r.error());
      if (g.json) {
        std::cout << access::check_result_to_json(*r).dump() << "\n";
      } else {
        std::cout << (r->allow ? "ALLOW" : "DENY");
        if (r->allow) std::cout << " under grant " << r->grant;
        std::cout << "\n";
        for (const auto& reason : r->reasons) std::cout << "  " << reason << "\n";
      }
      return r->allow ? kExitOk : kExitPermission;
    });
  });
  auto* st = acc->add_subcommand("status", "Requests, grants and suspensions");
  st->callback([&g, &clock, &rc, a] {
    rc = with_access(g, *a, clock, [&](app::AccessService& access) {
      auto s = access.state();
      if (!s) return report_error(g, s.error());
      nlohmann::json j = {{"requests", nlohmann::json::array()},
                          {"grants", nlohmann::json::array()},
                          {"suspensions", nlohmann::json::array()}};
      for (const auto& [id, r] : s->requests) j["requests"].push_back(domain::request_to_json(r));
      for (const auto& [id, gr] : s->grants) j["grants"].push_back(domain::grant_to_json(gr));
      for (const auto& [id, su] : s->suspensions) {
        j["suspensions"].push_back(domain::suspension_to_json(su));
      }
      if (g.json) {
        std::cout << j.dump() << "\n";
      } else {
        std::cout << j.dump(2) << "\n";
      }
      return kExitOk;
    });
  });
}

}  // namespace pw::cli
