#pragma once
// Client certificates the grant CA never issued, for the refusal tests: made with OpenSSL's API
// so the validity can lie in the past (an expired certificate) and the SAN can name any grant.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace pw::testing {

struct CertSpec {
  std::string person = "tech-borealis-2";
  std::string vendor = "borealis";
  std::string grant;
  std::string asset = "scanner-05";
  long not_before_seconds = -3600;  // relative to now
  long not_after_seconds = 3600;
};

// Writes `out`.crt and `out`.key: a P-256 client certificate for `spec`, signed by the CA in
// ca_crt/ca_key (PEM files), or self-signed when ca_crt is empty. Returns false on any failure.
inline bool make_client_cert(const CertSpec& spec, const std::filesystem::path& ca_crt,
                             const std::filesystem::path& ca_key,
                             const std::filesystem::path& out) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509* ca = nullptr;
  EVP_PKEY* signer = key;
  bool ok = key != nullptr && cert != nullptr;
  if (ok && !ca_crt.empty()) {
    FILE* f = std::fopen(ca_crt.c_str(), "r");
    if (f) {
      ca = PEM_read_X509(f, nullptr, nullptr, nullptr);
      std::fclose(f);
    }
    f = std::fopen(ca_key.c_str(), "r");
    signer = nullptr;
    if (f) {
      signer = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
      std::fclose(f);
    }
    ok = ca != nullptr && signer != nullptr;
  }
  if (ok) {
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 0x5eed1234);
    X509_gmtime_adj(X509_getm_notBefore(cert), spec.not_before_seconds);
    X509_gmtime_adj(X509_getm_notAfter(cert), spec.not_after_seconds);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(spec.person.c_str()), -1, -1,
                               0);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(spec.vendor.c_str()), -1, -1,
                               0);
    X509_set_issuer_name(cert, ca ? X509_get_subject_name(ca) : name);
    X509_set_pubkey(cert, key);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, ca ? ca : cert, cert, nullptr, nullptr, 0);
    const std::string san =
        "URI:urn:portwarden:grant:" + spec.grant + ",URI:urn:portwarden:asset:" + spec.asset;
    for (auto [nid, value] : {std::pair{NID_subject_alt_name, san},
                              std::pair{NID_ext_key_usage, std::string("clientAuth")}}) {
      X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
      ok = ok && ext != nullptr && X509_add_ext(cert, ext, -1) == 1;
      X509_EXTENSION_free(ext);
    }
    ok = ok && X509_sign(cert, signer, EVP_sha256()) > 0;
  }
  if (ok) {
    FILE* c = std::fopen((out.string() + ".crt").c_str(), "w");
    FILE* k = std::fopen((out.string() + ".key").c_str(), "w");
    ok = c && k && PEM_write_X509(c, cert) == 1 &&
         PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    if (c) std::fclose(c);
    if (k) std::fclose(k);
  }
  if (signer != key) EVP_PKEY_free(signer);
  EVP_PKEY_free(key);
  X509_free(cert);
  X509_free(ca);
  return ok;
}

}  // namespace pw::testing
