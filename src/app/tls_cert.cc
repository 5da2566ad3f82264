#include "app/tls_cert.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>

#include "app/internal/new_file.h"
#include "app/internal/openssl_util.h"

namespace pw::app {

using internal::BioPtr;
using internal::PkeyPtr;
using internal::to_pem;
using internal::X509Ptr;

TlsFiles default_tls_files(const std::string& db_path) {
  const std::filesystem::path p(db_path);
  const std::string stem = (p.parent_path() / p.stem()).string();
  return {stem + "-tls.crt", stem + "-tls.key"};
}

core::Status create_self_signed_tls(const TlsFiles& files, core::Timestamp now, int days) {
  std::error_code ec;
  for (const auto& f : {files.certificate, files.key}) {
    if (std::filesystem::exists(f, ec)) {
      return core::already_exists(f + " already exists; refusing to overwrite");
    }
  }
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return core::internal_error("cannot generate the TLS key");
  X509Ptr cert(X509_new());
  if (!cert) return core::internal_error("cannot create the certificate");
  time_t start = static_cast<time_t>(now.micros / 1'000'000);
  // A random 128-bit serial (RFC 5280: positive, unique per issuer).
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) {
    return core::internal_error("cannot make a serial number");
  }
  serial[0] &= 0x7f;
  ERR_clear_error();
  const char* step = "serial";
  bool ok = true;
  auto check = [&](bool good, const char* what) {
    if (ok && !good) {
      ok = false;
      step = what;
    }
  };
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  check(bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())) != nullptr, "serial");
  BN_free(bn);
  check(X509_set_version(cert.get(), 2) == 1, "version");
  check(ASN1_TIME_set(X509_getm_notBefore(cert.get()), start) != nullptr, "notBefore");
  check(ASN1_TIME_set(X509_getm_notAfter(cert.get()), start + time_t{days} * 86400) != nullptr,
        "notAfter");
  check(X509_set_pubkey(cert.get(), key.get()) == 1, "public key");
  X509_NAME* name = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("localhost"), -1, -1,
                                   0) == 1 &&
            X509_set_issuer_name(cert.get(), name) == 1,
        "name");
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1"},
                            std::pair{NID_basic_constraints, "critical,CA:FALSE"},
                            std::pair{NID_key_usage, "critical,digitalSignature"},
                            std::pair{NID_ext_key_usage, "serverAuth"}}) {
    X509_EXTENSION* ext = ok ? X509V3_EXT_conf_nid(nullptr, &ctx, nid, value) : nullptr;
    check(ext != nullptr && X509_add_ext(cert.get(), ext, -1) == 1, "extension");
    X509_EXTENSION_free(ext);
  }
  check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "signature");
  if (!ok) {
    char why[256] = "unknown";
    if (unsigned long e = ERR_get_error(); e != 0) ERR_error_string_n(e, why, sizeof why);
    ERR_clear_error();
    return core::internal_error(std::string("cannot build the self-signed certificate (") + step +
                                "): " + why);
  }
  PW_ASSIGN_OR_RETURN(std::string key_pem, to_pem([&](BIO* b) {
                        return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr,
                                                        nullptr);
                      }));
  PW_ASSIGN_OR_RETURN(std::string cert_pem,
                      to_pem([&](BIO* b) { return PEM_write_bio_X509(b, cert.get()); }));
  PW_TRY(internal::write_new_file(files.key, key_pem, 0600, "TLS key"));
  if (auto st = internal::write_new_file(files.certificate, cert_pem, 0644, "TLS certificate");
      !st) {
    std::filesystem::remove(files.key, ec);
    return st;
  }
  return core::ok();
}

}  // namespace pw::app
