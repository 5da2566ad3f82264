// Remote-maintenance sessions from the command line (issue 6; docs/GATEWAY.md): `grant cert`
// (a technician's client certificate for a remote grant), `session list`, `session kill` and
// `ca export` (the CA certificate a gateway trusts). A kill journaled here reaches the serving
// control plane at the gateway's next heartbeat: the server catches up from the journal.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>

#include "app/access_service.h"
#include "app/gateway_service.h"
#include "app/grant_ca.h"
#include "app/register_service.h"
#include "cli/commands.h"

#ifndef PW_DEFAULT_DATA_DIR
#define PW_DEFAULT_DATA_DIR "data"
#endif

namespace pw::cli {
namespace {

namespace fs = std::filesystem;

struct SessionArgs {
  std::string person, grant, out, csr, session, reason;
  std::string policy = std::string(PW_DEFAULT_DATA_DIR) + "/access-policy.toml";
};

// The control plane's services over the journal, for one command.
template <typename Fn>
int with_gateway(const Globals& g, const SessionArgs& a, const core::Clock& clock, Fn fn) {
  auto svc = open_access(g, a.policy, clock);
  if (!svc) return report_error(g, svc.error());
  app::GrantCa ca(*svc->journal, *svc->access, *svc->reg, clock, app::grant_ca_files(g.db));
  app::GatewayService gateway(*svc->journal, *svc->access, *svc->reg, ca, clock);
  return fn(gateway);
}

// Creates `path` with `mode`, refusing to replace a file (a key or certificate is never
// silently overwritten).
core::Status write_new(const std::string& path, const std::string& text, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST) return core::already_exists(path + " already exists; not replacing it");
    return core::unavailable("cannot create " + path + ": " + std::strerror(errno));
  }
  bool ok = ::fchmod(fd, mode) == 0;
  std::size_t done = 0;
  while (ok && done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const std::string err = ok ? "" : std::strerror(errno);
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return core::unavailable("cannot write " + path + ": " + err);
  }
  return core::ok();
}

core::Result<std::string> read_text(const std::string& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::not_found("cannot read " + path);
  std::string text(limit + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > limit) return core::invalid_argument(path + " is too large");
  return text;
}

int grant_cert(const Globals& g, const SessionArgs& a, const core::Clock& clock) {
  std::optional<std::string> csr;
  if (!a.csr.empty()) {
    auto text = read_text(a.csr, 16 * 1024);
    if (!text) return report_error(g, text.error().with_context("--csr"));
    csr = std::move(*text);
  }
  std::error_code ec;
  fs::create_directories(a.out, ec);
  if (ec) {
    return report_error(
        g, core::Error(core::Code::kUnavailable, "cannot create " + a.out + ": " + ec.message()));
  }
  const std::string crt = (fs::path(a.out) / "grant.crt").string();
  const std::string ca = (fs::path(a.out) / "ca.crt").string();
  const std::string key = (fs::path(a.out) / "grant.key").string();
  // Checked before anything is issued, so a refusal leaves no orphan certificate behind.
  for (const std::string& f : {crt, ca, key}) {
    if (fs::exists(f, ec)) {
      return report_error(
          g, core::Error(core::Code::kAlreadyExists, f + " already exists; choose another --out"));
    }
  }
  return with_gateway(g, a, clock, [&](app::GatewayService& gw) {
    auto issued = gw.ca().issue(a.person, a.grant, csr);
    if (!issued) return report_error(g, issued.error());
    // The key first: if it cannot be written, nothing else is.
    core::Status st = core::ok();
    if (!issued->key_pem.empty()) st = write_new(key, issued->key_pem, 0600);
    if (st) st = write_new(crt, issued->certificate_pem, 0644);
    if (st) st = write_new(ca, issued->ca_pem, 0644);
    if (!st) return report_error(g, st.error());
    if (g.json) {
      nlohmann::json j = {{"grant", issued->grant},
                          {"serial", issued->serial},
                          {"sha256", issued->sha256},
                          {"not_before", core::format_rfc3339(issued->not_before)},
                          {"not_after", core::format_rfc3339(issued->not_after)},
                          {"key_source", std::string(app::key_source_name(issued->key_source))},
                          {"certificate", crt},
                          {"ca", ca}};
      if (!issued->key_pem.empty()) j["key"] = key;
      std::cout << j.dump() << "\n";
    } else {
      std::cout << "certificate for grant " << issued->grant << " (" << issued->person << " on "
                << issued->asset << "), serial " << issued->serial << "\n"
                << "  valid " << core::format_rfc3339(issued->not_before) << " to "
                << core::format_rfc3339(issued->not_after) << "\n"
                << "  " << crt << "\n  " << ca << "\n";
      if (!issued->key_pem.empty()) {
        std::cout << "  " << key << " (generated here, mode 0600, not kept by portwarden)\n";
      }
    }
    return kExitOk;
  });
}

int session_list(const Globals& g, const SessionArgs& a, const core::Clock& clock) {
  return with_gateway(g, a, clock, [&](app::GatewayService& gw) {
    auto list = gw.sessions();
    if (!list) return report_error(g, list.error());
    if (g.json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& s : *list) {
        out.push_back(app::live_session_to_json(s, /*bytes=*/false));
      }
      std::cout << nlohmann::json{{"sessions", out}}.dump() << "\n";
      return kExitOk;
    }
    if (list->empty()) std::cout << "no live sessions\n";
    for (const auto& s : *list) {
      std::cout << s.id << "  " << s.person << " (" << s.vendor << ") on " << s.asset << " via "
                << s.gateway << ", grant " << s.grant << ", since " << core::format_rfc3339(s.since)
                << ", until " << core::format_rfc3339(s.grant_end)
                << (s.kill_reason.empty() ? "" : "  [kill: " + s.kill_reason + "]")
                << (s.warning.empty() ? "" : "  [warned: " + s.warning + "]") << "\n";
    }
    // Byte counts live in the serving control plane's memory (GET /v1/sessions has them).
    return kExitOk;
  });
}

int session_kill(const Globals& g, const SessionArgs& a, const core::Clock& clock) {
  return with_gateway(g, a, clock, [&](app::GatewayService& gw) {
    if (auto st = gw.kill_as_person(a.person, a.session, a.reason); !st) {
      return report_error(g, st.error());
    }
    if (g.json) {
      std::cout << nlohmann::json{{"session", a.session}, {"kill_requested", true}}.dump() << "\n";
    } else {
      std::cout << "kill of " << a.session
                << " journaled; the gateway cuts it at its next heartbeat\n";
    }
    return kExitOk;
  });
}

int ca_export(const Globals& g, const SessionArgs& a, const core::Clock& clock) {
  return with_gateway(g, a, clock, [&](app::GatewayService& gw) {
    auto pem = gw.ca().certificate_pem();
    if (!pem) return report_error(g, pem.error());
    if (a.out == "-") {
      std::cout << *pem;
      return kExitOk;
    }
    if (auto st = write_new(a.out, *pem, 0644); !st) return report_error(g, st.error());
    if (!g.json) std::cout << "grant CA certificate written to " << a.out << "\n";
    return kExitOk;
  });
}

}  // namespace

void add_session_commands(CLI::App& app, Globals& g, const core::Clock& clock, int& rc) {
  auto a = std::make_shared<SessionArgs>();
  auto policy = [a](CLI::App* c) {
    c->add_option("--policy", a->policy, "Access conditions per risk level (TOML)")
        ->capture_default_str();
  };

  auto* grant = app.add_subcommand("grant", "Remote grants: their client certificates");
  grant->require_subcommand(1);
  auto* cert = grant->add_subcommand(
      "cert",
      "A client certificate for an active remote grant, from the grant CA (its technician or "
      "customs staff); without --csr a key is generated and written once");
  cert->add_option("GRANT", a->grant, "Grant id")->required();
  cert->add_option("--out", a->out, "Directory for grant.crt, ca.crt and grant.key")->required();
  cert->add_option("--csr", a->csr, "The technician's certificate signing request (PEM)");
  cert->add_option("--as", a->person, "Who asks: a person id in the register")->required();
  policy(cert);
  cert->callback([&g, &clock, &rc, a] { rc = grant_cert(g, *a, clock); });

  auto* session = app.add_subcommand("session", "Live remote-maintenance sessions");
  session->require_subcommand(1);
  auto* list = session->add_subcommand("list", "The live sessions");
  policy(list);
  list->callback([&g, &clock, &rc, a] { rc = session_list(g, *a, clock); });
  auto* kill = session->add_subcommand(
      "kill", "Cut a live session (journaled; the gateway cuts it at its next heartbeat)");
  kill->add_option("SESSION", a->session, "Session id (ses-...)")->required();
  kill->add_option("--reason", a->reason, "Why")->required();
  kill->add_option("--as", a->person, "Who kills: a person id in the register")->required();
  policy(kill);
  kill->callback([&g, &clock, &rc, a] { rc = session_kill(g, *a, clock); });

  auto* ca = app.add_subcommand("ca", "The grant CA");
  ca->require_subcommand(1);
  auto* exp = ca->add_subcommand(
      "export", "Write the grant CA's certificate (what a gateway trusts); created on first use");
  exp->add_option("--out", a->out, "File to write (not replaced), or - for stdout")->required();
  exp->callback([&g, &clock, &rc, a] { rc = ca_export(g, *a, clock); });
}

}  // namespace pw::cli
