// `portwarden gateway --config FILE`: the remote-maintenance gateway (docs/GATEWAY.md) until
// SIGINT or SIGTERM. Its event log goes to stderr as JSON lines.
#include <signal.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>

#include "cli/commands.h"
#include "gateway/config.h"
#include "gateway/gateway.h"

namespace pw::cli {
namespace {

core::Result<std::string> read_token(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return core::invalid_argument("token_file: cannot read " + file.string());
  std::stringstream s;
  s << in.rdbuf();
  std::string token = s.str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
    token.pop_back();
  }
  if (token.empty()) return core::invalid_argument("token_file: " + file.string() + " is empty");
  for (char c : token) {
    if (c <= ' ' || c > '~') {
      return core::invalid_argument("token_file: " + file.string() +
                                    " holds more than one printable token");
    }
  }
  return token;
}

int run_gateway(const Globals& g, const std::string& config_file, bool quiet) {
  auto config = gateway::load_config(config_file);
  if (!config) return report_error(g, config.error());
  auto token = read_token(config->token_file);
  if (!token) return report_error(g, token.error());

  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A recording that reaches the file-size limit (RLIMIT_FSIZE) must fail its write (EFBIG),
  // which cuts that one session (fail closed), not kill the gateway and every session with it.
  signal(SIGXFSZ, SIG_IGN);

  auto log_mu = std::make_shared<std::mutex>();
  gateway::EventLog log;
  if (!quiet) {
    log = [log_mu](std::string_view line) {
      std::lock_guard lock(*log_mu);
      std::cerr << line << "\n";
    };
  }
  gateway::Gateway gw(*config, *token, log);
  if (auto st = gw.start(); !st) return report_error(g, st.error());
  std::cout << "portwarden gateway " << config->id << ": listening on " << config->listen_address
            << ":" << gw.port() << std::endl;
  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::cerr << "portwarden gateway: stopping (signal " << sig << ")\n";
  gw.stop();
  return kExitOk;
}

}  // namespace

void add_gateway_command(CLI::App& app, Globals& g, int& rc) {
  auto config = std::make_shared<std::string>();
  auto quiet = std::make_shared<bool>(false);
  auto* s = app.add_subcommand("gateway",
                               "Run the remote-maintenance gateway (docs/GATEWAY.md) until "
                               "SIGINT or SIGTERM");
  s->add_option("--config", *config, "The gateway's TOML configuration")->required();
  s->add_flag("--quiet", *quiet, "No JSON-lines event log on stderr");
  s->callback([&g, &rc, config, quiet] { rc = run_gateway(g, *config, *quiet); });
}

}  // namespace pw::cli
