#pragma once
// A self-signed TLS certificate for a demo or a first start (issue 5: "portwarden init makes a
// self-signed one for the demo"). Production deployments configure a certificate from their own
// CA; this one only lets `portwarden serve` speak TLS on localhost out of the box.

#include <string>

#include "core/clock.h"
#include "core/result.h"

namespace pw::app {

struct TlsFiles {
  std::string certificate;  // PEM
  std::string key;          // PEM, mode 0600
};

// The files that go with a database path: "<db dir>/<stem>-tls.crt" and "-tls.key".
TlsFiles default_tls_files(const std::string& db_path);

// Writes an ECDSA P-256 key (mode 0600) and a self-signed X.509 v3 certificate for
// CN=localhost with subjectAltName DNS:localhost, IP:127.0.0.1, IP:::1, valid from `now` for
// `days` days. Refuses to overwrite either file (already_exists); writes nothing on error.
core::Status create_self_signed_tls(const TlsFiles& files, core::Timestamp now, int days);

}  // namespace pw::app
