#pragma once
// Portwarden's own certificate authority for remote-maintenance sessions (issue 6;
// docs/GATEWAY.md "Grant CA"). A technician reaches an asset through the gateway with a
// short-lived client certificate that this CA issues for one active remote grant:
//   subject CN=<person id>, O=<vendor id>; SAN URIs urn:portwarden:grant:<grant id> and
//   urn:portwarden:asset:<asset id>; extendedKeyUsage clientAuth; a random 128-bit serial;
//   notBefore/notAfter = the grant's window in whole seconds (start rounded down, end rounded
//   inwards: never valid after the window; admission also runs the access check on the exact
//   window).
// The key is the technician's (a CSR, whose self-signature is verified and whose key must not be
// weak) or generated here and handed out once (never stored). Every issue is journaled as
// access.grant.certificate_issued {grant, serial, sha256, not_before, not_after, key_source};
// admission (app/gateway_service.h) accepts only a certificate whose serial and fingerprint
// were journaled so.
//
// Files. The CA lives next to the database in "ca/": grant-ca.key (mode 0600) holds the private
// key and the CA certificate together, written once with O_EXCL (internal/new_file.h), so the CA
// is never half-created; grant-ca.crt is the public copy a gateway trusts, rewritten from the key
// file when missing and refused (data_loss) when it differs. Created on first use; a second
// process creating it at the same moment loses the O_EXCL race and loads the winner's.
//
// Threads: every method may be called from any thread; the CA is loaded once under a mutex and
// is read-only afterwards.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/access_service.h"
#include "app/journal_service.h"
#include "app/register_service.h"
#include "core/clock.h"
#include "core/result.h"
#include "domain/access.h"

namespace pw::app {

struct GrantCaFiles {
  std::string key;          // private key + CA certificate (PEM), mode 0600
  std::string certificate;  // CA certificate (PEM)
};

// "<db dir>/ca/grant-ca.key" and "<db dir>/ca/grant-ca.crt".
GrantCaFiles grant_ca_files(const std::string& db_path);

enum class KeySource { kCsr, kGenerated };
std::string_view key_source_name(KeySource k);  // "csr", "generated"

struct IssuedCertificate {
  std::string grant, person, vendor, asset;
  std::string serial;  // 32 lower-case hex digits
  std::string sha256;  // of the certificate's DER, lower-case hex
  core::Timestamp not_before, not_after;
  KeySource key_source = KeySource::kCsr;
  std::string certificate_pem;
  std::string ca_pem;
  std::string key_pem;  // PKCS#8, only for KeySource::kGenerated
};

// A client certificate as admission reads it. `problems` lists everything wrong with it (no
// chain to the CA, outside its validity, malformed names); empty when it verified. The fields
// are filled as far as the certificate could be read, so a refusal can still say whose it was.
struct ClientCertificate {
  std::string serial, sha256;
  std::string person, vendor;  // CN and O
  std::string grant, asset;    // from the SAN URIs
  core::Timestamp not_before, not_after;
  std::vector<std::string> problems;
  bool verified() const { return problems.empty(); }
};

// Everything the CA's keys and OpenSSL objects are; defined in grant_ca.cc.
struct GrantCaKeys;

class GrantCa {
 public:
  // References are borrowed and must outlive the CA.
  GrantCa(JournalService& journal, AccessService& access, RegisterService& reg,
          const core::Clock& clock, GrantCaFiles files);
  ~GrantCa();

  // The CA certificate (PEM), creating the CA on first use.
  core::Result<std::string> certificate_pem();

  // Issues a certificate for `grant_id` as `person` (a Person::id; journal actor
  // "person:<id>"): the grant must exist, be remote and active now with its window not over;
  // `person` must be its technician, or a customs operator or security officer in the register
  // (the adapters also ask authz). `csr_pem`: the technician's CSR; none: a P-256 key is made
  // here and returned once. Errors: not_found (grant), failed_precondition (not remote, not
  // active), permission_denied, invalid_argument (CSR: malformed, bad signature, weak key).
  core::Result<IssuedCertificate> issue(const std::string& person, const std::string& grant_id,
                                        const std::optional<std::string>& csr_pem);

  // Reads and verifies a client certificate (PEM) against the CA at `at`: chain, validity,
  // clientAuth. Never fails for a bad certificate (that is `problems`); only for a CA that
  // cannot be loaded.
  core::Result<ClientCertificate> verify(std::string_view pem, core::Timestamp at);

 private:
  core::Result<const GrantCaKeys*> keys();

  JournalService& journal_;
  AccessService& access_;
  RegisterService& register_;
  const core::Clock& clock_;
  GrantCaFiles files_;
  std::mutex mu_;                      // guards keys_ while it is loaded
  std::unique_ptr<GrantCaKeys> keys_;  // set once, read-only afterwards
};

}  // namespace pw::app
