// `portwarden account ...`: local accounts for the API and the console (issue 5 item 5). The
// password is read from stdin (one line) or generated and printed once; it is never an argument
// (arguments show in process lists and shell history).
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/auth_service.h"
#include "cli/commands.h"
#include "core/bytes.h"
#include "core/random.h"

namespace pw::cli {
namespace {

struct AccountArgs {
  std::string username, person;
  std::vector<std::string> roles, scopes;
  bool password_stdin = false;
  int days = 30;
};

std::string generated_password(core::Random& random) {
  core::Bytes raw(18);
  random.fill(raw);
  std::string p = core::to_base64(raw);  // 24 characters, 144 bits
  for (char& c : p) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return p;
}

// Runs fn(auth, random) on the database; returns fn's exit code or the error's.
template <typename Fn>
int with_auth(const Globals& g, const core::Clock& clock, Fn fn) {
  auto svc = open_service(g, clock);
  if (!svc) return report_error(g, svc.error());
  auto random = core::make_secure_random();
  app::AuthService auth(**svc, clock, *random);
  return fn(auth, *random);
}

}  // namespace

void add_account_commands(CLI::App& app, Globals& g, const core::Clock& clock, int& rc) {
  auto a = std::make_shared<AccountArgs>();
  auto* acc = app.add_subcommand("account", "Local accounts for the API and the console");
  acc->require_subcommand(1);

  auto* create = acc->add_subcommand(
      "create",
      "Create an account; the password is read from stdin (--password-stdin) or "
      "generated and printed once");
  create->add_option("USERNAME", a->username, "a-z, 0-9, '-', '_', '.'")->required();
  create->add_option("--person", a->person, "The person in the register (empty: none)");
  create
      ->add_option("--role", a->roles,
                   "admin, operator, security_officer, analyst, terminal, "
                   "technician or auditor; repeat")
      ->required();
  create->add_flag("--password-stdin", a->password_stdin, "Read the password from stdin");
  create->callback([&g, &clock, &rc, a] {
    rc = with_auth(g, clock, [&](app::AuthService& auth, core::Random& random) {
      std::vector<app::Role> roles;
      for (const auto& r : a->roles) {
        auto role = app::parse_role(r);
        if (!role) return report_error(g, role.error().with_context("--role"));
        roles.push_back(*role);
      }
      std::string password;
      if (a->password_stdin) {
        std::getline(std::cin, password);
      } else {
        password = generated_password(random);
      }
      auto r = auth.create_account(a->username, password, a->person, roles, g.actor);
      if (!r) return report_error(g, r.error());
      if (g.json) {
        nlohmann::json j = {{"username", a->username}, {"person", a->person}, {"roles", a->roles}};
        if (!a->password_stdin) j["password"] = password;
        std::cout << j.dump() << "\n";
      } else {
        std::cout << "account " << a->username << " created";
        if (!a->password_stdin) std::cout << "; password (shown once): " << password;
        std::cout << "\n";
      }
      return kExitOk;
    });
  });

  auto* disable = acc->add_subcommand("disable", "Disable an account (its sessions stop)");
  disable->add_option("USERNAME", a->username, "The account")->required();
  disable->callback([&g, &clock, &rc, a] {
    rc = with_auth(g, clock, [&](app::AuthService& auth, core::Random&) {
      auto st = auth.disable_account(a->username, g.actor);
      if (!st) return report_error(g, st.error());
      std::cout << "account " << a->username << " disabled\n";
      return kExitOk;
    });
  });

  auto* token = acc->add_subcommand("token", "Issue an API token for an account (shown once)");
  token->add_option("USERNAME", a->username, "The account")->required();
  token->add_option("--scope", a->scopes, "Limit to these scopes (e.g. access:check); repeat");
  token->add_option("--days", a->days, "Lifetime in days")
      ->capture_default_str()
      ->check(CLI::Range(1, 366));
  token->callback([&g, &clock, &rc, a] {
    rc = with_auth(g, clock, [&](app::AuthService& auth, core::Random&) {
      auto t = auth.issue_token(a->username, a->scopes, std::chrono::hours(24 * a->days), g.actor);
      if (!t) return report_error(g, t.error());
      if (g.json) {
        std::cout << nlohmann::json{{"token", t->token},
                                    {"id", t->id},
                                    {"expires", core::format_rfc3339(t->expires)}}
                         .dump()
                  << "\n";
      } else {
        std::cout << "token " << t->id << " (shown once): " << t->token << "\n";
      }
      return kExitOk;
    });
  });
}

}  // namespace pw::cli
