#include "app/gateway_service.h"

#include <algorithm>
#include <cstdio>

#include "core/bytes.h"
#include "core/crypto.h"
#include "domain/access.h"
#include "domain/event_types.h"

namespace pw::app {
namespace {

std::string q(std::string_view s) {
  return "'" + std::string(s) + "'";
}

bool lower_hex(std::string_view s, std::size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

core::Result<std::string> new_session_id() {
  std::array<std::uint8_t, 12> b{};
  PW_TRY(core::random_bytes(b));
  return "ses-" + core::to_hex(core::ByteView(b.data(), b.size()));
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : "; ") + s;
  return out;
}

std::int64_t ms(std::chrono::milliseconds d) {
  return static_cast<std::int64_t>(d.count());
}

// Who a closed session was (so the close event reads on its own, without its opening).
void add_who(nlohmann::json& payload, const LiveSession& s) {
  payload["gateway"] = s.gateway;
  payload["grant"] = s.grant;
  payload["person"] = s.person;
  payload["vendor"] = s.vendor;
  payload["asset"] = s.asset;
}

}  // namespace

std::string recording_manifest_message(std::string_view session, std::string_view manifest_sha256) {
  return "portwarden-recording-manifest-v1\n" + std::string(session) + "\n" +
         std::string(manifest_sha256) + "\n";
}

GatewayService::GatewayService(JournalService& journal, AccessService& access, RegisterService& reg,
                               GrantCa& ca, const core::Clock& clock, GatewayConfig config)
    : journal_(journal),
      access_(access),
      register_(reg),
      ca_(ca),
      clock_(clock),
      config_(config),
      started_(clock.now()) {}

nlohmann::json live_session_to_json(const LiveSession& s, bool bytes) {
  nlohmann::json j = {{"session", s.id},
                      {"gateway", s.gateway},
                      {"grant", s.grant},
                      {"person", s.person},
                      {"vendor", s.vendor},
                      {"asset", s.asset},
                      {"upstream", s.upstream},
                      {"remote", s.remote},
                      {"since", core::format_rfc3339(s.since)},
                      {"grant_end", core::format_rfc3339(s.grant_end)},
                      {"kill_reason", s.kill_reason},
                      {"warning", s.warning}};
  if (bytes) {
    j["bytes_up"] = s.bytes_up;
    j["bytes_down"] = s.bytes_down;
  }
  return j;
}

core::Status GatewayService::sync_locked() {
  PW_ASSIGN_OR_RETURN(certs_read_,
                      journal_.scan_events(certs_read_, domain::kAccessGrantCertificateIssued,
                                           [&](const journal::Envelope& e) -> core::Status {
                                             if (e.type != domain::kAccessGrantCertificateIssued)
                                               return core::ok();
                                             issued_[e.payload.value("serial", "")] =
                                                 Issued{e.payload.value("grant", ""),
                                                        e.payload.value("sha256", "")};
                                             return core::ok();
                                           }));
  PW_ASSIGN_OR_RETURN(
      sessions_read_,
      journal_.scan_events(
          sessions_read_, "gateway.session.", [&](const journal::Envelope& e) -> core::Status {
            const auto& p = e.payload;
            const std::string id = p.value("session", "");
            if (e.type == domain::kGatewaySessionOpened) {
              Live l;
              l.s.id = id;
              for (auto [field, out] : {std::pair{"gateway", &l.s.gateway},
                                        {"grant", &l.s.grant},
                                        {"person", &l.s.person},
                                        {"vendor", &l.s.vendor},
                                        {"asset", &l.s.asset},
                                        {"upstream", &l.s.upstream},
                                        {"remote", &l.s.remote}}) {
                *out = p.value(field, "");
              }
              l.s.since = e.time;
              // A session opened before this service started is given its gateway's full
              // allowance from the start: its reports reached another instance.
              l.last_seen = std::max(e.time, started_);
              auto end = core::parse_rfc3339(p.value("grant_end", ""));
              l.s.grant_end = end ? *end : e.time;  // unreadable: cut at once
              live_.try_emplace(id, std::move(l));
            } else if (e.type == domain::kGatewaySessionClosed) {
              live_.erase(id);
              closed_.insert(id);
              // Lost (no manifest, no recording error): the gateway may still close it.
              if (p.value("manifest_sha256", "").empty() && !p.contains("recording_error")) {
                lost_.insert(id);
              } else {
                lost_.erase(id);
              }
            } else if (e.type == domain::kGatewaySessionWarned) {
              if (auto it = live_.find(id); it != live_.end()) {
                it->second.warned = true;
                it->second.s.warning = p.value("message", "");
              }
            } else if (e.type == domain::kGatewaySessionKillRequested) {
              if (auto it = live_.find(id); it != live_.end() && !it->second.ordered) {
                it->second.s.kill_reason = "killed by an operator: " + p.value("reason", "");
                it->second.s.kill_cause = "operator";
              }
            } else if (e.type == domain::kGatewaySessionKillOrdered) {
              // Ordered once (maybe by an earlier instance): keep ordering it, journal no more.
              if (auto it = live_.find(id); it != live_.end()) {
                it->second.ordered = true;
                it->second.s.kill_reason = p.value("reason", "");
                it->second.s.kill_cause = p.value("cause", "");
              }
            }
            return core::ok();
          }));
  return core::ok();
}

core::Result<Admission> GatewayService::refuse(const AdmitRequest& request, Admission a,
                                               const ClientCertificate* cert) {
  // Nothing about the upstream or the grant's terms goes to a client that was not admitted.
  a.allow = false;
  a.session.clear();
  a.upstream.clear();
  a.vendor.clear();
  a.grant_end = {};
  if (a.reasons.empty()) a.reasons.push_back("refused (deny by default)");
  nlohmann::json reasons = nlohmann::json::array();
  for (const auto& r : a.reasons) reasons.push_back(r);
  nlohmann::json payload = {{"gateway", request.gateway},
                            {"asset", request.asset},
                            {"remote", request.remote},
                            {"reasons", reasons}};
  if (cert != nullptr) {
    payload["grant"] = cert->grant;
    payload["person"] = cert->person;
    payload["serial"] = cert->serial;
  }
  PW_TRY(journal_.append(EventDraft{std::string(domain::kGatewaySessionRefused),
                                    "gateway:" + request.gateway, std::move(payload)}));
  return a;
}

core::Result<Admission> GatewayService::admit(const AdmitRequest& request) {
  const core::Timestamp now = clock_.now();
  Admission a;
  a.asset = request.asset;
  if (request.gateway.empty()) return core::invalid_argument("$.gateway: must not be empty");
  if (request.asset.empty()) {
    a.reasons.push_back("no asset named (TLS SNI)");
    return refuse(request, std::move(a), nullptr);
  }
  PW_ASSIGN_OR_RETURN(ClientCertificate cert, ca_.verify(request.certificate, now));
  std::vector<std::string> fail = cert.problems;  // every failed check, in order
  a.grant = cert.grant;
  a.person = cert.person;
  {
    std::lock_guard lock(mu_);
    PW_TRY(sync_locked());
    auto it = issued_.find(cert.serial);
    if (it == issued_.end()) {
      fail.push_back("serial " + q(cert.serial) + " was not issued by portwarden's grant CA");
    } else if (it->second.grant != cert.grant || it->second.sha256 != cert.sha256) {
      fail.push_back("serial " + q(cert.serial) + " was issued for grant " + q(it->second.grant) +
                     " in another certificate");
    }
  }
  if (!cert.asset.empty() && cert.asset != request.asset) {
    fail.push_back("the certificate is for asset " + q(cert.asset) + ", not " + q(request.asset));
  }
  // The grant the certificate names, as it is now.
  std::optional<AccessService::GrantAt> grant;
  if (!cert.grant.empty()) {
    PW_ASSIGN_OR_RETURN(grant, access_.grant_at(cert.grant, now));
    if (!grant) {
      fail.push_back("grant " + q(cert.grant) + " does not exist");
    } else {
      const domain::Grant& g = grant->grant;
      a.vendor = g.vendor;
      a.recorded = g.recorded;
      a.grant_end = g.window.end;
      if (g.mode != domain::GrantMode::kRemote) {
        fail.push_back("grant " + q(g.id) + " is not for remote access");
      }
      if (g.person != cert.person) {
        fail.push_back("grant " + q(g.id) + " is for " + q(g.person) + ", the certificate names " +
                       q(cert.person));
      }
      if (g.asset != request.asset) {
        fail.push_back("grant " + q(g.id) + " is for asset " + q(g.asset) + ", not " +
                       q(request.asset));
      }
    }
  }
  // The access check, with that very grant.
  std::vector<std::string> allowed_by;
  if (!cert.person.empty()) {
    access::CheckResult check;
    PW_TRY(access_.with_index([&](const access::AccessIndex& index) {
      check = index.check(cert.person, request.asset, domain::GrantMode::kRemote, now);
    }));
    if (!check.allow) {
      for (auto& r : check.reasons) fail.push_back("access check: " + r);
    } else if (check.grant != cert.grant) {
      // Another grant allows it; the certificate's must be in force on its own.
      const bool in_force =
          grant && grant->state == domain::GrantState::kActive && grant->grant.window.contains(now);
      if (!in_force) {
        fail.push_back("access check: grant " + q(cert.grant) + " is not in force (" +
                       (grant ? std::string(domain::grant_state_name(grant->state)) : "unknown") +
                       ")");
      } else {
        allowed_by.push_back("grant " + q(cert.grant) + " (remote) valid until " +
                             core::format_rfc3339(grant->grant.window.end));
      }
    } else {
      allowed_by = check.reasons;
    }
  }
  // The upstream: the asset's maintenance endpoint.
  PW_ASSIGN_OR_RETURN(domain::Register reg, register_.load());
  const domain::Asset* asset = reg.asset(request.asset);
  if (asset == nullptr) {
    fail.push_back("asset " + q(request.asset) + " is not in the register");
  } else if (asset->maintenance_endpoint.empty()) {
    fail.push_back("asset " + q(request.asset) + " has no maintenance endpoint in the register");
  } else {
    a.upstream = asset->maintenance_endpoint;
  }
  if (!fail.empty() || allowed_by.empty() || !grant) {
    a.reasons = std::move(fail);
    return refuse(request, std::move(a), &cert);
  }
  a.reasons = std::move(allowed_by);
  PW_ASSIGN_OR_RETURN(a.session, new_session_id());
  a.allow = true;
  PW_TRY(journal_.append(EventDraft{std::string(domain::kGatewaySessionOpened),
                                    "gateway:" + request.gateway,
                                    {{"session", a.session},
                                     {"gateway", request.gateway},
                                     {"grant", a.grant},
                                     {"person", a.person},
                                     {"vendor", a.vendor},
                                     {"asset", a.asset},
                                     {"upstream", a.upstream},
                                     {"remote", request.remote},
                                     {"serial", cert.serial},
                                     {"grant_end", core::format_rfc3339(a.grant_end)},
                                     {"recorded", a.recorded}}}));
  std::lock_guard lock(mu_);
  PW_TRY(sync_locked());
  return a;
}

core::Result<HeartbeatAnswer> GatewayService::heartbeat(
    const std::string& gateway, const std::vector<SessionReport>& sessions) {
  if (gateway.empty()) return core::invalid_argument("$.gateway: must not be empty");
  const core::Timestamp now = clock_.now();
  HeartbeatAnswer out;
  out.lease_ms = ms(config_.lease);
  struct Lost {
    std::string id, gateway, why;
    std::uint64_t up = 0, down = 0;
    LiveSession who;
  };
  std::vector<Lost> lost;
  struct Warned {
    std::string id, gateway, message;
  };
  std::vector<Warned> warned;
  std::vector<LiveSession> ordered;  // kill orders to journal (first time for each session)
  std::vector<std::string> recheck;
  {
    std::lock_guard lock(mu_);
    PW_TRY(sync_locked());
    std::set<std::string> reported;
    for (const SessionReport& r : sessions) {
      reported.insert(r.session);
      auto it = live_.find(r.session);
      if (it == live_.end() || it->second.s.gateway != gateway) {
        out.kill.push_back({r.session, closed_.contains(r.session)
                                           ? "the session is closed"
                                           : "the control plane does not know this session"});
        continue;
      }
      it->second.s.bytes_up = std::max(it->second.s.bytes_up, r.bytes_up);
      it->second.s.bytes_down = std::max(it->second.s.bytes_down, r.bytes_down);
      it->second.last_seen = now;
    }
    // One catch-up of the access index for every session of this gateway.
    // A gateway that went silent (no heartbeat for its lease and the lost allowance) loses its
    // sessions too: it has closed them by its own lease rule, and the operators' list must not
    // show them live.
    const std::int64_t silent_after = (ms(config_.lease) + ms(config_.lost_after)) * 1000;
    for (auto& [id, l] : live_) {
      if (l.s.gateway != gateway && now.micros - l.last_seen.micros > silent_after) {
        lost.push_back({id, l.s.gateway, "gateway " + q(l.s.gateway) + " went silent", l.s.bytes_up,
                        l.s.bytes_down, l.s});
      }
    }
    PW_TRY(access_.with_index([&](const access::AccessIndex& index) {
      for (auto& [id, l] : live_) {
        if (l.s.gateway != gateway) continue;
        if (!reported.contains(id)) {
          if (now.micros - l.last_seen.micros > ms(config_.lost_after) * 1000) {
            lost.push_back({id, gateway, "gateway " + q(gateway) + " no longer reports it",
                            l.s.bytes_up, l.s.bytes_down, l.s});
          }
          continue;
        }
        if (l.s.kill_reason.empty()) {
          if (!(now < l.s.grant_end)) {
            l.s.kill_reason = "the grant window ended at " + core::format_rfc3339(l.s.grant_end);
            l.s.kill_cause = "grant_window";
          } else {
            auto c = index.check(l.s.person, l.s.asset, domain::GrantMode::kRemote, now);
            if (!c.allow) {
              l.s.kill_reason = "access check: " + join(c.reasons);
              l.s.kill_cause = "access_check";
            } else if (c.grant != l.s.grant) {
              // Another grant allows the person now; the session's own must still be in force.
              // Rare (two remote grants on one asset), so the exact answer may cost more.
              recheck.push_back(id);
            }
          }
        }
        if (!l.s.kill_reason.empty()) {
          out.kill.push_back({id, l.s.kill_reason});
          if (!l.ordered) {
            l.ordered = true;
            ordered.push_back(l.s);
          }
        } else if (!l.warned &&
                   l.s.grant_end.micros - now.micros <=
                       std::chrono::duration_cast<std::chrono::microseconds>(config_.warn_before)
                           .count()) {
          const std::int64_t minutes =
              (l.s.grant_end.micros - now.micros + 59'999'999) / 60'000'000;
          l.s.warning = "window ends in " + std::to_string(minutes) + " minute" +
                        (minutes == 1 ? "" : "s") + " (at " + core::format_rfc3339(l.s.grant_end) +
                        ")";
          out.warn.push_back({id, l.s.warning});
          warned.push_back({id, l.s.gateway, l.s.warning});
          l.warned = true;
        }
      }
    }));
    for (const std::string& id : recheck) {
      Live& l = live_.at(id);
      auto g = access_.grant_at(l.s.grant, now);
      if (!g) return std::unexpected(g.error());
      if (!*g || (*g)->state != domain::GrantState::kActive || !(*g)->grant.window.contains(now)) {
        l.s.kill_reason =
            "grant " + q(l.s.grant) + " is " +
            (*g ? std::string(domain::grant_state_name((*g)->state)) +
                      (!(*g)->grant.window.contains(now) ? " (outside its window)" : "")
                : std::string("unknown"));
        l.s.kill_cause = "grant_state";
        out.kill.push_back({id, l.s.kill_reason});
        l.ordered = true;
        ordered.push_back(l.s);
      }
    }
  }
  // A heartbeat writes to the journal only for new kill orders, lost sessions (with the bytes
  // last reported) and first warnings. A kill order is journaled before it is answered: if the
  // journal cannot take it, the heartbeat fails (and the gateway's lease runs out: fail closed).
  for (const LiveSession& o : ordered) {
    PW_TRY(journal_.append(EventDraft{std::string(domain::kGatewaySessionKillOrdered),
                                      "system:gateway-control",
                                      {{"session", o.id},
                                       {"gateway", o.gateway},
                                       {"grant", o.grant},
                                       {"person", o.person},
                                       {"vendor", o.vendor},
                                       {"asset", o.asset},
                                       {"cause", o.kill_cause.empty() ? "operator" : o.kill_cause},
                                       {"reason", o.kill_reason}}}));
  }
  for (const Lost& l : lost) {
    nlohmann::json payload = {{"session", l.id},
                              {"reason", "lost: " + l.why},
                              {"bytes_up", l.up},
                              {"bytes_down", l.down},
                              {"manifest_sha256", ""}};
    add_who(payload, l.who);
    PW_TRY(journal_.append(EventDraft{std::string(domain::kGatewaySessionClosed),
                                      "gateway:" + l.gateway, std::move(payload)}));
  }
  // The warning goes to the session's record in the journal as well (the operator sees it in
  // the session list), once per session.
  for (const Warned& w : warned) {
    PW_TRY(journal_.append(EventDraft{std::string(domain::kGatewaySessionWarned),
                                      "gateway:" + w.gateway,
                                      {{"session", w.id}, {"message", w.message}}}));
  }
  if (!lost.empty() || !warned.empty() || !ordered.empty()) {
    std::lock_guard lock(mu_);
    PW_TRY(sync_locked());
  }
  return out;
}

core::Result<ManifestSignature> GatewayService::close(const std::string& gateway,
                                                      const std::string& session,
                                                      const CloseRequest& request) {
  const bool failed_recording = request.manifest_sha256.empty() && !request.recording_error.empty();
  if (!failed_recording && !lower_hex(request.manifest_sha256, 64)) {
    return core::invalid_argument("$.recording.manifest_sha256: must be 64 lower-case hex digits");
  }
  if (!request.manifest_sha256.empty() && !request.recording_error.empty()) {
    return core::invalid_argument("$.recording: a manifest_sha256 or an error, not both");
  }
  if (request.reason.empty()) return core::invalid_argument("$.reason: must not be empty");
  std::uint64_t up = request.bytes_up, down = request.bytes_down;
  std::string owner;
  std::optional<LiveSession> who;
  {
    std::lock_guard lock(mu_);
    PW_TRY(sync_locked());
    if (auto it = live_.find(session); it != live_.end()) {
      owner = it->second.s.gateway;
      who = it->second.s;
    } else if (!closed_.contains(session)) {
      return core::not_found("session " + q(session) + " does not exist");
    } else if (!lost_.contains(session)) {
      return core::failed_precondition("session " + q(session) + " is already closed");
    }
  }
  if (!gateway.empty() && !owner.empty() && owner != gateway) {
    return core::permission_denied("session " + q(session) + " belongs to gateway " + q(owner));
  }
  nlohmann::json payload = {{"session", session},
                            {"reason", request.reason},
                            {"bytes_up", up},
                            {"bytes_down", down},
                            {"manifest_sha256", request.manifest_sha256}};
  if (who) add_who(payload, *who);
  if (failed_recording) {
    // No manifest to sign: the close and the recording's failure go to the journal.
    payload["recording_error"] = request.recording_error;
    PW_TRY(journal_.append(EventDraft{std::string(domain::kGatewaySessionClosed),
                                      "gateway:" + (gateway.empty() ? owner : gateway),
                                      std::move(payload)}));
    std::lock_guard lock(mu_);
    PW_TRY(sync_locked());
    return ManifestSignature{};
  }
  PW_ASSIGN_OR_RETURN(
      JournalService::MessageSignature sig,
      journal_.sign_message(recording_manifest_message(session, request.manifest_sha256)));
  PW_TRY(journal_.append(EventDraft{std::string(domain::kGatewaySessionClosed),
                                    "gateway:" + (gateway.empty() ? owner : gateway),
                                    std::move(payload)}));
  {
    std::lock_guard lock(mu_);
    PW_TRY(sync_locked());
  }
  char key_id[9];
  std::snprintf(key_id, sizeof key_id, "%08x", sig.key_id);
  return ManifestSignature{
      sig.key_name, key_id,
      core::to_base64(core::ByteView(sig.signature.data(), sig.signature.size()))};
}

core::Result<std::vector<LiveSession>> GatewayService::sessions() {
  std::lock_guard lock(mu_);
  PW_TRY(sync_locked());
  std::vector<LiveSession> out;
  for (const auto& [id, l] : live_) {
    out.push_back(l.s);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const LiveSession& x, const LiveSession& y) { return x.since < y.since; });
  return out;
}

core::Status GatewayService::kill(const std::string& actor, const std::string& session,
                                  const std::string& reason) {
  if (reason.empty()) return core::invalid_argument("a kill needs a reason");
  {
    std::lock_guard lock(mu_);
    PW_TRY(sync_locked());
    if (!live_.contains(session)) {
      return closed_.contains(session)
                 ? core::failed_precondition("session " + q(session) + " is already closed")
                 : core::not_found("session " + q(session) + " does not exist");
    }
  }
  PW_TRY(journal_.append(EventDraft{std::string(domain::kGatewaySessionKillRequested),
                                    actor,
                                    {{"session", session}, {"reason", reason}}}));
  std::lock_guard lock(mu_);
  return sync_locked();
}

core::Status GatewayService::kill_as_person(const std::string& person, const std::string& session,
                                            const std::string& reason) {
  PW_ASSIGN_OR_RETURN(domain::Register reg, register_.load());
  const domain::Person* p = reg.person(person);
  const bool customs =
      p != nullptr && std::any_of(p->roles.begin(), p->roles.end(), [](domain::Role r) {
        return r == domain::Role::kCustomsOperator || r == domain::Role::kSecurityOfficer;
      });
  if (!customs) {
    return core::permission_denied(
        "only a customs operator or security officer may kill a "
        "session; '" +
        person + "' is not one");
  }
  return kill("person:" + person, session, reason);
}

}  // namespace pw::app
