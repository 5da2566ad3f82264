// `portwarden serve`: the REST API (issue 5 item 6) until SIGINT or SIGTERM.
#include <signal.h>
#include <toml++/toml.h>

#include <iostream>
#include <memory>
#include <mutex>
#include <string>

#include "app/access_service.h"
#include "app/assessment_service.h"
#include "app/auth_service.h"
#include "app/gateway_service.h"
#include "app/grant_ca.h"
#include "app/ownership_service.h"
#include "app/procurement_service.h"
#include "app/register_service.h"
#include "cli/commands.h"
#include "core/random.h"
#include "http/api/api.h"
#include "http/server.h"

#ifndef PW_DEFAULT_DATA_DIR
#define PW_DEFAULT_DATA_DIR "data"
#endif
#ifndef PW_DEFAULT_WEB_DIR
#define PW_DEFAULT_WEB_DIR "web"
#endif

namespace pw::cli {
namespace {

struct ServeArgs {
  std::string config;
  std::string listen = "127.0.0.1:8443";
  std::string tls_cert, tls_key;
  int threads = 0;
  bool quiet = false;
  std::string countries = std::string(PW_DEFAULT_DATA_DIR) + "/countries.toml";
  std::string policy = std::string(PW_DEFAULT_DATA_DIR) + "/access-policy.toml";
  // The browser console's files (web/ of the source tree); "" serves no console.
  std::string web = PW_DEFAULT_WEB_DIR;
  // The control plane's side of the gateway protocol (docs/GATEWAY.md): the [gateway] table.
  app::GatewayConfig gateway;
};

// The [gateway] table: lease_ms (1,000..600,000), lost_after_ms (1,000..600,000) and
// warn_before_minutes (0..1,440). Errors name the key and the range.
core::Status read_gateway_table(const std::string& path, const toml::table& t,
                                app::GatewayConfig& out) {
  for (const auto& [key, node] : t) {
    const std::string k(key.str());
    auto number = [&](std::int64_t lo, std::int64_t hi) -> core::Result<std::int64_t> {
      const auto v = node.value<std::int64_t>();
      if (!node.is_integer() || !v || *v < lo || *v > hi) {
        return core::invalid_argument(path + ": gateway." + k + " must be an integer from " +
                                      std::to_string(lo) + " to " + std::to_string(hi));
      }
      return *v;
    };
    if (k == "lease_ms") {
      PW_ASSIGN_OR_RETURN(auto v, number(1'000, 600'000));
      out.lease = std::chrono::milliseconds(v);
    } else if (k == "lost_after_ms") {
      PW_ASSIGN_OR_RETURN(auto v, number(1'000, 600'000));
      out.lost_after = std::chrono::milliseconds(v);
    } else if (k == "warn_before_minutes") {
      PW_ASSIGN_OR_RETURN(auto v, number(0, 1'440));
      out.warn_before = std::chrono::minutes(v);
    } else {
      return core::invalid_argument(path + ": unknown key 'gateway." + k +
                                    "' (lease_ms, lost_after_ms, warn_before_minutes)");
    }
  }
  return core::ok();
}

// Reads the TOML configuration (docs/CLI.md): keys listen, tls_cert, tls_key, threads,
// countries, policy, quiet, web and the [gateway] table. Options given on the command line win over
// the file; unknown keys and wrong types are errors naming the key.
core::Status read_config(const std::string& path, ServeArgs& a, const CLI::App& cmd) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return core::invalid_argument(path + ":" + std::to_string(e.source().begin.line) + ": " +
                                  std::string(e.description()));
  }
  for (const auto& [key, node] : t) {
    const std::string k(key.str());
    auto given = [&](const char* opt) { return cmd.count(opt) > 0; };
    auto str = [&](std::string& out, const char* opt) -> core::Status {
      if (!node.is_string()) return core::invalid_argument(path + ": " + k + " must be a string");
      if (!given(opt)) out = *node.value<std::string>();
      return core::ok();
    };
    if (k == "listen") {
      PW_TRY(str(a.listen, "--listen"));
    } else if (k == "tls_cert") {
      PW_TRY(str(a.tls_cert, "--tls-cert"));
    } else if (k == "tls_key") {
      PW_TRY(str(a.tls_key, "--tls-key"));
    } else if (k == "countries") {
      PW_TRY(str(a.countries, "--countries"));
    } else if (k == "policy") {
      PW_TRY(str(a.policy, "--policy"));
    } else if (k == "web") {
      PW_TRY(str(a.web, "--web"));
    } else if (k == "threads") {
      if (!node.is_integer()) return core::invalid_argument(path + ": threads must be an integer");
      if (!given("--threads")) a.threads = static_cast<int>(*node.value<std::int64_t>());
    } else if (k == "gateway") {
      if (!node.is_table()) return core::invalid_argument(path + ": gateway must be a table");
      PW_TRY(read_gateway_table(path, *node.as_table(), a.gateway));
    } else if (k == "quiet") {
      if (!node.is_boolean()) return core::invalid_argument(path + ": quiet must be true or false");
      if (!given("--quiet")) a.quiet = *node.value<bool>();
    } else {
      return core::invalid_argument(path + ": unknown key '" + k +
                                    "' (listen, tls_cert, tls_key, threads, countries, policy, "
                                    "quiet, web, [gateway])");
    }
  }
  return core::ok();
}

int serve(const Globals& g, const ServeArgs& a, const core::Clock& clock) {
  const std::size_t colon = a.listen.rfind(':');
  if (colon == std::string::npos) {
    return report_error(g, core::Error(core::Code::kInvalidArgument,
                                       "--listen must be ADDRESS:PORT, e.g. 127.0.0.1:8443"));
  }
  http::ServerOptions options;
  options.listen_address = a.listen.substr(0, colon);
  if (!options.listen_address.empty() && options.listen_address.front() == '[') {
    options.listen_address = options.listen_address.substr(1, options.listen_address.size() - 2);
  }
  try {
    const int port = std::stoi(a.listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    options.port = static_cast<std::uint16_t>(port);
  } catch (const std::exception&) {
    return report_error(g, core::Error(core::Code::kInvalidArgument, "--listen: bad port"));
  }
  options.threads = a.threads;
  if (!a.tls_cert.empty() || !a.tls_key.empty()) {
    if (a.tls_cert.empty() || a.tls_key.empty()) {
      return report_error(
          g, core::Error(core::Code::kInvalidArgument, "--tls-cert and --tls-key go together"));
    }
    options.tls = http::TlsOptions{a.tls_cert, a.tls_key};
  }
  auto log_mu = std::make_shared<std::mutex>();
  if (!a.quiet) {
    options.access_log = [log_mu](std::string_view line) {
      std::lock_guard lock(*log_mu);
      std::cerr << line << "\n";
    };
  }
  auto journal = open_service(g, clock);
  if (!journal) return report_error(g, journal.error());
  auto random = core::make_secure_random();
  app::RegisterService reg(**journal, clock);
  app::OwnershipService own(**journal, clock, app::OwnershipService::blob_dir_for(g.db));
  app::AssessmentConfig aconf;
  aconf.countries_path = a.countries;
  app::AssessmentService assessments(**journal, own, reg, clock, aconf);
  app::AccessConfig xconf;
  xconf.access_policy_path = a.policy;
  app::AccessService access(**journal, reg, clock, xconf);
  app::AuthService auth(**journal, clock, *random);
  app::GrantCa grant_ca(**journal, access, reg, clock, app::grant_ca_files(g.db));
  app::GatewayService gateway(**journal, access, reg, grant_ca, clock, a.gateway);
  app::ProcurementService procurement(**journal, own, reg, clock);
  http::api::Services services{**journal, reg,   assessments, access,
                               auth,      clock, gateway,     &procurement};
  http::Router router;
  if (auto st = http::api::add_routes(router, services); !st) return report_error(g, st.error());
  if (!a.web.empty()) {
    if (auto st = http::api::add_console_files(router, a.web); !st) {
      return report_error(g, st.error());
    }
  }

  // Block the signals before any thread starts, so that only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  http::HttpServer server(options, std::move(router));
  if (auto st = server.start(); !st) return report_error(g, st.error());
  std::cout << "portwarden: listening on " << (options.tls ? "https" : "http") << "://"
            << options.listen_address << ":" << server.port() << std::endl;
  if (!a.web.empty()) {
    std::cout << "portwarden: console at " << (options.tls ? "https" : "http") << "://"
              << (options.listen_address.find(':') != std::string::npos
                      ? "[" + options.listen_address + "]"
                      : options.listen_address)
              << ":" << server.port() << "/" << std::endl;
  }
  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::cerr << "portwarden: stopping (signal " << sig << ")\n";
  server.stop();
  return kExitOk;
}

}  // namespace

void add_serve_command(CLI::App& app, Globals& g, const core::Clock& clock, int& rc) {
  auto a = std::make_shared<ServeArgs>();
  auto* s = app.add_subcommand("serve",
                               "Serve the REST API (docs/openapi.yaml) until SIGINT or "
                               "SIGTERM; /healthz and Prometheus /metrics built in");
  s->add_option("--listen", a->listen, "ADDRESS:PORT (port 0: any free port, printed)")
      ->capture_default_str();
  s->add_option("--tls-cert", a->tls_cert, "PEM certificate chain (enables TLS)");
  s->add_option("--tls-key", a->tls_key, "PEM private key");
  s->add_option("--threads", a->threads, "I/O threads (default: one per core)");
  s->add_option("--countries", a->countries, "Country profiles (TOML)")->capture_default_str();
  s->add_option("--policy", a->policy, "Access conditions per risk level (TOML)")
      ->capture_default_str();
  s->add_flag("--quiet", a->quiet, "No JSON-lines access log on stderr");
  s->add_option("--web", a->web, "The browser console's files (\"\": no console)")
      ->capture_default_str();
  s->add_option("--config", a->config, "TOML file with these settings (options given here win)");
  s->callback([&g, &clock, &rc, a, s] {
    if (!a->config.empty()) {
      if (auto st = read_config(a->config, *a, *s); !st) {
        rc = report_error(g, st.error());
        return;
      }
    }
    rc = serve(g, *a, clock);
  });
}

}  // namespace pw::cli
