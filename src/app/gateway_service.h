#pragma once
// The gateway's control plane (issue 6; docs/GATEWAY.md "Control-plane protocol"): admits or
// refuses remote-maintenance sessions, keeps the registry of live sessions, answers heartbeats
// with the lease and the sessions to cut, signs recording manifests with the journal's key, and
// journals every session's opening, refusal, kill request and close.
//
// Admission checks, all of them, every failure a reason (fail closed: any doubt refuses):
// the certificate chains to the grant CA, is within its validity and is for client
// authentication; its serial and SHA-256 fingerprint were journaled
// (access.grant.certificate_issued) for the grant its SAN names; its SAN asset is the asset
// asked for; the grant exists, is remote, for that asset and for the person the CN names; the
// access check (person, asset, remote, now) allows with that very grant; the asset has a
// maintenance endpoint in the register (the answer's `upstream`).
//
// The registry of live sessions is the journal's gateway.session.opened events minus its
// gateway.session.closed ones, with the gateway.session.kill_requested ones marked, caught up
// from the journal before every use (as AccessService does), so a kill journaled by another
// process (the CLI) reaches the next heartbeat. Byte counts, the last report of each session
// and the warnings sent live in memory only: a heartbeat writes to the journal only when
// something changed (a session lost).
//
// Heartbeat: for each live session of that gateway, the access check is re-run at `now` (one
// catch-up of the access index for all of them); a session is to be cut when the check no
// longer allows it with its grant, when an operator asked, or when its grant window is over.
// A session the gateway reports but the control plane does not know (closed, lost, never
// admitted) is to be cut too. A live session the gateway has not reported for `lost_after`
// (counted from its opening or its last report) is closed as lost; the gateway may still close
// it afterwards (its recording's signature is still wanted), which journals its close again
// with the manifest. The sessions of a gateway that sends no heartbeat at all for `lease` plus
// `lost_after` are closed as lost at the next heartbeat of any gateway (that gateway has cut
// them by its own lease rule).
//
// Threads: every method may be called from any thread; one mutex guards the registry and is
// never held across a journal write.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/access_service.h"
#include "app/grant_ca.h"
#include "app/journal_service.h"
#include "app/register_service.h"
#include "core/clock.h"
#include "core/result.h"

namespace pw::app {

struct GatewayConfig {
  std::chrono::milliseconds lease{10'000};      // answered as lease_ms
  std::chrono::milliseconds lost_after{5'000};  // unreported this long: closed as lost
  std::chrono::minutes warn_before{5};          // a warning this long before grant_end
};

struct AdmitRequest {
  std::string gateway;      // the gateway's name ("gw-1")
  std::string asset;        // Asset::id (the TLS SNI)
  std::string certificate;  // the client certificate, PEM
  std::string remote;       // the client's address, for the record
};

struct Admission {
  bool allow = false;
  std::string session, grant, person, vendor, asset, upstream;
  core::Timestamp grant_end;
  bool recorded = true;
  std::vector<std::string> reasons;  // every failed check on a refusal; the allowing grant else
};

struct SessionReport {
  std::string session;
  std::uint64_t bytes_up = 0;
  std::uint64_t bytes_down = 0;
};

struct KillOrder {
  std::string session;
  std::string reason;
};

struct SessionWarning {
  std::string session;
  std::string message;
};

struct HeartbeatAnswer {
  std::int64_t lease_ms = 0;
  std::vector<KillOrder> kill;
  std::vector<SessionWarning> warn;
};

struct CloseRequest {
  std::string reason;
  std::uint64_t bytes_up = 0;
  std::uint64_t bytes_down = 0;
  std::string manifest_sha256;  // 64 lower-case hex digits; empty only with recording_error
  // Set when the gateway could not write the session's recording (it cut the session for it):
  // the close is journaled with this error and an empty manifest_sha256, and nothing is signed.
  std::string recording_error;
};

struct ManifestSignature {  // all empty when the close had no manifest (recording_error)
  std::string key_name;
  std::string key_id;     // 8 lower-case hex digits (journal/note.h key ID)
  std::string signature;  // standard base64 of the 64-byte Ed25519 signature
};

struct LiveSession {
  std::string id, gateway, grant, person, vendor, asset, upstream, remote;
  core::Timestamp since;
  core::Timestamp grant_end;
  std::uint64_t bytes_up = 0;
  std::uint64_t bytes_down = 0;
  std::string kill_reason;  // non-empty once a cut was ordered (operator or access check)
  std::string kill_cause;   // operator | access_check | grant_window | grant_state
  std::string warning;      // the warning sent before the window's end; empty until then
};

// {"session", "gateway", "grant", "person", "vendor", "asset", "upstream", "remote", "since",
// "grant_end", "kill_reason", "warning"} and, with `bytes`, "bytes_up" and "bytes_down". Byte
// counts live only in the serving control plane's memory (heartbeats), so a reader of the
// journal alone (the CLI) leaves them out rather than show zeros.
nlohmann::json live_session_to_json(const LiveSession& s, bool bytes);

// The exact text a recording signature covers (docs/GATEWAY.md):
// "portwarden-recording-manifest-v1\n<session>\n<manifest sha256>\n".
std::string recording_manifest_message(std::string_view session, std::string_view manifest_sha256);

class GatewayService {
 public:
  // References are borrowed and must outlive the service.
  GatewayService(JournalService& journal, AccessService& access, RegisterService& reg, GrantCa& ca,
                 const core::Clock& clock, GatewayConfig config = {});

  // A refusal is an Admission with allow = false (journaled); an error only when the check
  // itself could not run (and nothing is admitted: the gateway refuses).
  core::Result<Admission> admit(const AdmitRequest& request);

  core::Result<HeartbeatAnswer> heartbeat(const std::string& gateway,
                                          const std::vector<SessionReport>& sessions);

  // Journals the close and returns the journal key's signature of the manifest. not_found for
  // an unknown session, failed_precondition for one already closed (unless it was lost),
  // invalid_argument for a malformed digest, permission_denied when `gateway` (if non-empty) is
  // not the session's gateway.
  core::Result<ManifestSignature> close(const std::string& gateway, const std::string& session,
                                        const CloseRequest& request);

  // The grant CA admission verifies against (for the certificate use case's adapters).
  GrantCa& ca() { return ca_; }

  // The live sessions, oldest first.
  core::Result<std::vector<LiveSession>> sessions();

  // An operator's kill (journaled gateway.session.kill_requested); the gateway cuts the session
  // at its next heartbeat. `actor`: the journal actor ("person:<id>", "user:<name>").
  core::Status kill(const std::string& actor, const std::string& session,
                    const std::string& reason);
  // The same as a person of the register (the CLI's --as): only a customs operator or security
  // officer may (permission_denied otherwise).
  core::Status kill_as_person(const std::string& person, const std::string& session,
                              const std::string& reason);

 private:
  struct Issued {
    std::string grant;
    std::string sha256;
  };
  struct Live {
    LiveSession s;
    core::Timestamp last_seen;  // opening or last report
    bool warned = false;
    bool ordered = false;  // gateway.session.kill_ordered is journaled
  };

  core::Status sync_locked();
  core::Result<Admission> refuse(const AdmitRequest& request, Admission a,
                                 const ClientCertificate* cert);

  JournalService& journal_;
  AccessService& access_;
  RegisterService& register_;
  GrantCa& ca_;
  const core::Clock& clock_;
  GatewayConfig config_;

  core::Timestamp started_;  // when this instance started (see sync_locked)

  std::mutex mu_;                    // guards everything below
  std::uint64_t sessions_read_ = 0;  // journal position scanned for gateway.session.*
  std::uint64_t certs_read_ = 0;     // and for access.grant.certificate_issued
  std::map<std::string, Live> live_;
  std::set<std::string> lost_;            // closed as lost: may still be closed by the gateway
  std::set<std::string> closed_;          // every session ever closed
  std::map<std::string, Issued> issued_;  // serial -> what it was issued for
};

}  // namespace pw::app
