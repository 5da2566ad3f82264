#include "app/grant_ca.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>

#include "app/internal/new_file.h"
#include "app/internal/openssl_util.h"
#include "core/bytes.h"
#include "core/crypto.h"
#include "domain/event_types.h"

namespace pw::app {

using internal::BioPtr;
using internal::ExtPtr;
using internal::PkeyPtr;
using internal::ReqPtr;
using internal::StoreCtxPtr;
using internal::StorePtr;
using internal::to_pem;
using internal::X509Ptr;

struct GrantCaKeys {
  PkeyPtr key;
  X509Ptr cert;
  std::string cert_pem;
  StorePtr store;  // trusts `cert` only; X509_STORE is safe for concurrent verification
};

namespace {

constexpr std::size_t kMaxPem = 16 * 1024;
constexpr std::int64_t kCaDays = 3650;

std::string openssl_error() {
  char why[256] = "unknown error";
  if (unsigned long e = ERR_get_error(); e != 0) ERR_error_string_n(e, why, sizeof why);
  ERR_clear_error();
  return why;
}

BioPtr mem_bio(std::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

core::Result<std::string> random_serial(ASN1_INTEGER* out) {
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) return core::internal_error("no random serial");
  serial[0] &= 0x7f;  // positive (RFC 5280)
  serial[0] |= 0x40;  // and exactly 16 bytes long, so its hex is always 32 digits
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  const bool ok = bn != nullptr && BN_to_ASN1_INTEGER(bn, out) != nullptr;
  BN_free(bn);
  if (!ok) return core::internal_error("cannot set the serial");
  return core::to_hex(core::ByteView(serial, sizeof serial));
}

std::string serial_hex(const X509* cert) {
  const ASN1_INTEGER* s = X509_get0_serialNumber(cert);
  BIGNUM* bn = ASN1_INTEGER_to_BN(s, nullptr);
  if (bn == nullptr) return "";
  std::vector<unsigned char> bytes(static_cast<std::size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, bytes.data());
  BN_free(bn);
  return core::to_hex(core::ByteView(bytes.data(), bytes.size()));
}

std::string fingerprint(const X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (X509_digest(cert, EVP_sha256(), md, &n) != 1) return "";
  return core::to_hex(core::ByteView(md, n));
}

core::Status add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return core::internal_error("cannot add the extension " + std::string(OBJ_nid2sn(nid)) + ": " +
                                openssl_error());
  }
  return core::ok();
}

// The SAN URIs, built as values (not through the config-string parser, where a ',' in an id
// would add a name of its own choosing).
core::Status add_san_uris(X509* cert, const std::vector<std::string>& uris) {
  GENERAL_NAMES* names = GENERAL_NAMES_new();
  bool ok = names != nullptr;
  for (const std::string& uri : uris) {
    if (!ok) break;
    GENERAL_NAME* n = GENERAL_NAME_new();
    ASN1_IA5STRING* v = ASN1_IA5STRING_new();
    ok = n != nullptr && v != nullptr &&
         ASN1_STRING_set(v, uri.data(), static_cast<int>(uri.size())) == 1;
    if (!ok) {
      GENERAL_NAME_free(n);
      ASN1_IA5STRING_free(v);
      break;
    }
    GENERAL_NAME_set0_value(n, GEN_URI, v);
    ok = sk_GENERAL_NAME_push(names, n) > 0;
    if (!ok) GENERAL_NAME_free(n);
  }
  ok = ok && X509_add1_ext_i2d(cert, NID_subject_alt_name, names, 0, X509V3_ADD_DEFAULT) == 1;
  GENERAL_NAMES_free(names);
  if (!ok) return core::internal_error("cannot add the subjectAltName: " + openssl_error());
  return core::ok();
}

core::Status add_name(X509_NAME* name, const char* field, const std::string& value) {
  if (X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(value.data()),
                                 static_cast<int>(value.size()), -1, 0) != 1) {
    return core::invalid_argument(std::string("cannot put ") + field + "='" + value +
                                  "' in a certificate name");
  }
  return core::ok();
}

core::Status set_times(X509* cert, std::int64_t from_s, std::int64_t to_s) {
  if (ASN1_TIME_set(X509_getm_notBefore(cert), static_cast<time_t>(from_s)) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert), static_cast<time_t>(to_s)) == nullptr) {
    return core::internal_error("cannot set the validity");
  }
  return core::ok();
}

core::Result<std::int64_t> asn1_seconds(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return core::invalid_argument("bad time");
  return static_cast<std::int64_t>(timegm(&tm));
}

core::Result<std::string> read_file_limited(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return core::not_found(path + " does not exist");
    return core::unavailable("cannot read " + path + ": " + std::strerror(errno));
  }
  std::string text(kMaxPem + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxPem) return core::invalid_argument(path + " is too large");
  return text;
}

// The CA's certificate: CA:TRUE with no intermediates below it, signing certificates only.
core::Result<std::unique_ptr<GrantCaKeys>> new_ca(core::Timestamp now) {
  auto k = std::make_unique<GrantCaKeys>();
  k->key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  k->cert.reset(X509_new());
  if (!k->key || !k->cert) return core::internal_error("cannot make the CA key");
  X509* c = k->cert.get();
  PW_TRY(random_serial(X509_get_serialNumber(c)));
  const std::int64_t start = now.micros / 1'000'000 - 60;
  if (X509_set_version(c, 2) != 1) return core::internal_error("cannot set the version");
  PW_TRY(set_times(c, start, start + kCaDays * 86400));
  X509_NAME* name = X509_get_subject_name(c);
  PW_TRY(add_name(name, "O", "portwarden"));
  PW_TRY(add_name(name, "CN", "portwarden grant CA"));
  if (X509_set_issuer_name(c, name) != 1 || X509_set_pubkey(c, k->key.get()) != 1) {
    return core::internal_error("cannot build the CA certificate");
  }
  PW_TRY(add_ext(c, c, NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
  PW_TRY(add_ext(c, c, NID_key_usage, "critical,keyCertSign,cRLSign"));
  PW_TRY(add_ext(c, c, NID_subject_key_identifier, "hash"));
  if (X509_sign(c, k->key.get(), EVP_sha256()) <= 0) {
    return core::internal_error("cannot sign the CA certificate: " + openssl_error());
  }
  return k;
}

core::Status finish_keys(GrantCaKeys& k) {
  PW_ASSIGN_OR_RETURN(k.cert_pem,
                      to_pem([&](BIO* b) { return PEM_write_bio_X509(b, k.cert.get()); }));
  k.store.reset(X509_STORE_new());
  if (!k.store || X509_STORE_add_cert(k.store.get(), k.cert.get()) != 1) {
    return core::internal_error("cannot build the CA trust store");
  }
  return core::ok();
}

// A key the CA accepts from a CSR: RSA of 2048 bits or more, EC on P-256/384/521, Ed25519.
core::Status check_key_strength(EVP_PKEY* key) {
  const int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_RSA) {
    const int bits = EVP_PKEY_get_bits(key);
    if (bits < 2048) {
      return core::invalid_argument("CSR: the RSA key has " + std::to_string(bits) +
                                    " bits; at least 2048 are required");
    }
    return core::ok();
  }
  if (id == EVP_PKEY_EC) {
    char curve[64] = "";
    size_t len = 0;
    EVP_PKEY_get_utf8_string_param(key, "group", curve, sizeof curve, &len);
    const std::string c(curve);
    if (c == "prime256v1" || c == "P-256" || c == "secp384r1" || c == "P-384" || c == "secp521r1" ||
        c == "P-521") {
      return core::ok();
    }
    return core::invalid_argument("CSR: the EC curve '" + c +
                                  "' is not accepted (P-256, P-384 or P-521)");
  }
  if (id == EVP_PKEY_ED25519) return core::ok();
  return core::invalid_argument(
      "CSR: the key type is not accepted (RSA >= 2048, EC P-256/384/521 "
      "or Ed25519)");
}

core::Result<PkeyPtr> csr_key(std::string_view pem) {
  if (pem.size() > kMaxPem) return core::invalid_argument("CSR: larger than 16 KiB");
  BioPtr bio = mem_bio(pem);
  ReqPtr req(bio ? PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!req) {
    ERR_clear_error();
    return core::invalid_argument("CSR: not a PEM certificate signing request");
  }
  PkeyPtr key(X509_REQ_get_pubkey(req.get()));
  if (!key) {
    ERR_clear_error();
    return core::invalid_argument("CSR: its public key cannot be read");
  }
  PW_TRY(check_key_strength(key.get()));
  if (X509_REQ_verify(req.get(), key.get()) != 1) {
    ERR_clear_error();
    return core::invalid_argument(
        "CSR: its signature does not verify with its own key (not made by the key's holder)");
  }
  return key;
}

bool is_customs_staff(const domain::Register& reg, const std::string& person) {
  const domain::Person* p = reg.person(person);
  if (p == nullptr) return false;
  return std::any_of(p->roles.begin(), p->roles.end(), [](domain::Role r) {
    return r == domain::Role::kCustomsOperator || r == domain::Role::kSecurityOfficer;
  });
}

// Our slot in a verification context for the list of problems (allocated once, thread-safe).
int problems_index() {
  static const int index = X509_STORE_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

int collect_errors(int ok, X509_STORE_CTX* ctx) {
  if (!ok) {
    auto* out =
        static_cast<std::vector<std::string>*>(X509_STORE_CTX_get_ex_data(ctx, problems_index()));
    const int err = X509_STORE_CTX_get_error(ctx);
    std::string why = X509_verify_cert_error_string(err);
    if (err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
        err == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
        err == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE) {
      why = "not issued by portwarden's grant CA (" + why + ")";
    } else if (err == X509_V_ERR_CERT_HAS_EXPIRED) {
      why = "the certificate has expired";
    } else if (err == X509_V_ERR_CERT_NOT_YET_VALID) {
      why = "the certificate is not yet valid";
    }
    if (out != nullptr && std::find(out->begin(), out->end(), why) == out->end()) {
      out->push_back(why);
    }
  }
  return 1;  // go on, so that every problem is reported (the result is refused anyway)
}

}  // namespace

GrantCaFiles grant_ca_files(const std::string& db_path) {
  const std::filesystem::path dir = std::filesystem::path(db_path).parent_path() / "ca";
  return {(dir / "grant-ca.key").string(), (dir / "grant-ca.crt").string()};
}

std::string_view key_source_name(KeySource k) {
  return k == KeySource::kCsr ? "csr" : "generated";
}

GrantCa::GrantCa(JournalService& journal, AccessService& access, RegisterService& reg,
                 const core::Clock& clock, GrantCaFiles files)
    : journal_(journal), access_(access), register_(reg), clock_(clock), files_(std::move(files)) {}

GrantCa::~GrantCa() = default;

core::Result<const GrantCaKeys*> GrantCa::keys() {
  std::lock_guard lock(mu_);
  if (keys_) return keys_.get();
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(files_.key).parent_path(), ec);
  if (!std::filesystem::exists(files_.key, ec)) {
    PW_ASSIGN_OR_RETURN(std::unique_ptr<GrantCaKeys> fresh, new_ca(clock_.now()));
    PW_ASSIGN_OR_RETURN(std::string key_pem, to_pem([&](BIO* b) {
                          return PEM_write_bio_PrivateKey(b, fresh->key.get(), nullptr, nullptr, 0,
                                                          nullptr, nullptr);
                        }));
    PW_ASSIGN_OR_RETURN(std::string cert_pem,
                        to_pem([&](BIO* b) { return PEM_write_bio_X509(b, fresh->cert.get()); }));
    auto st = internal::write_new_file(files_.key, key_pem + cert_pem, 0600, "grant CA key");
    // Lost the race with another process: load what it wrote.
    if (!st && st.error().code() != core::Code::kAlreadyExists) return std::unexpected(st.error());
  }
  struct stat sb {};
  if (::stat(files_.key.c_str(), &sb) != 0) {
    return core::unavailable("cannot stat " + files_.key + ": " + std::strerror(errno));
  }
  if ((sb.st_mode & 077) != 0 || sb.st_uid != ::geteuid()) {
    return core::permission_denied("grant CA key " + files_.key +
                                   " must be owned by the current user with mode 0600");
  }
  PW_ASSIGN_OR_RETURN(std::string text, read_file_limited(files_.key));
  auto k = std::make_unique<GrantCaKeys>();
  BioPtr bio = mem_bio(text);
  k->key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  k->cert.reset(k->key ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!k->key || !k->cert || X509_check_private_key(k->cert.get(), k->key.get()) != 1) {
    ERR_clear_error();
    return core::data_loss("grant CA key " + files_.key +
                           " does not hold a private key and its certificate");
  }
  PW_TRY(finish_keys(*k));
  auto crt = read_file_limited(files_.certificate);
  if (!crt && crt.error().code() == core::Code::kNotFound) {
    auto st =
        internal::write_new_file(files_.certificate, k->cert_pem, 0644, "grant CA certificate");
    if (!st && st.error().code() != core::Code::kAlreadyExists) return std::unexpected(st.error());
    crt = read_file_limited(files_.certificate);
  }
  if (!crt) return std::unexpected(crt.error());
  if (*crt != k->cert_pem) {
    return core::data_loss("grant CA certificate " + files_.certificate +
                           " is not the certificate of the CA key " + files_.key);
  }
  keys_ = std::move(k);
  return keys_.get();
}

core::Result<std::string> GrantCa::certificate_pem() {
  PW_ASSIGN_OR_RETURN(const GrantCaKeys* k, keys());
  return k->cert_pem;
}

core::Result<IssuedCertificate> GrantCa::issue(const std::string& person,
                                               const std::string& grant_id,
                                               const std::optional<std::string>& csr_pem) {
  const core::Timestamp now = clock_.now();
  PW_ASSIGN_OR_RETURN(std::optional<AccessService::GrantAt> found, access_.grant_at(grant_id, now));
  if (!found) return core::not_found("grant '" + grant_id + "' does not exist");
  const domain::Grant* g = &found->grant;
  if (g->mode != domain::GrantMode::kRemote) {
    return core::failed_precondition("grant '" + grant_id + "' is for " +
                                     std::string(domain::grant_mode_name(g->mode)) +
                                     " access, not remote: a certificate is for the gateway only");
  }
  const domain::GrantState st = found->state;
  if (st != domain::GrantState::kActive) {
    return core::failed_precondition("grant '" + grant_id + "' is " +
                                     std::string(domain::grant_state_name(st)) + ", not active");
  }
  if (person != g->person) {
    PW_ASSIGN_OR_RETURN(domain::Register reg, register_.load());
    if (!is_customs_staff(reg, person)) {
      return core::permission_denied("a certificate for grant '" + grant_id +
                                     "' is for its technician or customs staff, not '" + person +
                                     "'");
    }
  }
  // X.509 counts whole seconds: the start is rounded down (a certificate is never refused for
  // the fraction of a second before the window; the access check holds the exact window), the
  // end rounded inwards (never valid after the window).
  const std::int64_t from_s = g->window.start.micros / 1'000'000;
  const std::int64_t to_s = (g->window.end.micros - 1) / 1'000'000;
  if (to_s <= from_s || to_s <= now.micros / 1'000'000) {
    return core::failed_precondition("grant '" + grant_id + "' has no window left to certify");
  }

  IssuedCertificate out;
  PkeyPtr subject_key;
  if (csr_pem) {
    PW_ASSIGN_OR_RETURN(subject_key, csr_key(*csr_pem));
    out.key_source = KeySource::kCsr;
  } else {
    subject_key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!subject_key) return core::internal_error("cannot generate a key: " + openssl_error());
    out.key_source = KeySource::kGenerated;
    PW_ASSIGN_OR_RETURN(out.key_pem, to_pem([&](BIO* b) {
                          return PEM_write_bio_PrivateKey(b, subject_key.get(), nullptr, nullptr, 0,
                                                          nullptr, nullptr);
                        }));
  }
  PW_ASSIGN_OR_RETURN(const GrantCaKeys* ca, keys());
  X509Ptr cert(X509_new());
  if (!cert) return core::internal_error("cannot create a certificate");
  X509* c = cert.get();
  PW_ASSIGN_OR_RETURN(out.serial, random_serial(X509_get_serialNumber(c)));
  if (X509_set_version(c, 2) != 1) return core::internal_error("cannot set the version");
  PW_TRY(set_times(c, from_s, to_s));
  X509_NAME* name = X509_get_subject_name(c);
  PW_TRY(add_name(name, "O", g->vendor));
  PW_TRY(add_name(name, "CN", g->person));
  if (X509_set_issuer_name(c, X509_get_subject_name(ca->cert.get())) != 1 ||
      X509_set_pubkey(c, subject_key.get()) != 1) {
    return core::internal_error("cannot build the certificate: " + openssl_error());
  }
  PW_TRY(add_ext(c, ca->cert.get(), NID_basic_constraints, "critical,CA:FALSE"));
  PW_TRY(add_ext(c, ca->cert.get(), NID_key_usage, "critical,digitalSignature"));
  PW_TRY(add_ext(c, ca->cert.get(), NID_ext_key_usage, "clientAuth"));
  PW_TRY(add_ext(c, ca->cert.get(), NID_authority_key_identifier, "keyid:always"));
  PW_TRY(add_san_uris(c, {"urn:portwarden:grant:" + g->id, "urn:portwarden:asset:" + g->asset}));
  if (X509_sign(c, ca->key.get(), EVP_sha256()) <= 0) {
    return core::internal_error("cannot sign the certificate: " + openssl_error());
  }
  PW_ASSIGN_OR_RETURN(out.certificate_pem,
                      to_pem([&](BIO* b) { return PEM_write_bio_X509(b, c); }));
  out.ca_pem = ca->cert_pem;
  out.sha256 = fingerprint(c);
  out.grant = g->id;
  out.person = g->person;
  out.vendor = g->vendor;
  out.asset = g->asset;
  out.not_before = core::Timestamp{from_s * 1'000'000};
  out.not_after = core::Timestamp{to_s * 1'000'000};
  PW_TRY(
      journal_.append(EventDraft{std::string(domain::kAccessGrantCertificateIssued),
                                 "person:" + person,
                                 {{"grant", out.grant},
                                  {"serial", out.serial},
                                  {"sha256", out.sha256},
                                  {"not_before", core::format_rfc3339(out.not_before)},
                                  {"not_after", core::format_rfc3339(out.not_after)},
                                  {"key_source", std::string(key_source_name(out.key_source))}}}));
  return out;
}

core::Result<ClientCertificate> GrantCa::verify(std::string_view pem, core::Timestamp at) {
  PW_ASSIGN_OR_RETURN(const GrantCaKeys* ca, keys());
  ClientCertificate out;
  if (pem.size() > kMaxPem) {
    out.problems.push_back("the certificate is larger than 16 KiB");
    return out;
  }
  BioPtr bio = mem_bio(pem);
  X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) {
    ERR_clear_error();
    out.problems.push_back("not a PEM X.509 certificate");
    return out;
  }
  X509* c = cert.get();
  out.serial = serial_hex(c);
  out.sha256 = fingerprint(c);
  auto text_of = [&](int nid) {
    char buf[512] = "";
    const int n = X509_NAME_get_text_by_NID(X509_get_subject_name(c), nid, buf, sizeof buf);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  };
  out.person = text_of(NID_commonName);
  out.vendor = text_of(NID_organizationName);
  if (auto t = asn1_seconds(X509_get0_notBefore(c))) out.not_before = {*t * 1'000'000};
  if (auto t = asn1_seconds(X509_get0_notAfter(c))) out.not_after = {*t * 1'000'000};
  int grants = 0, assets = 0;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(c, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    if (n->type != GEN_URI) continue;
    const std::string uri(
        reinterpret_cast<const char*>(ASN1_STRING_get0_data(n->d.uniformResourceIdentifier)),
        static_cast<std::size_t>(ASN1_STRING_length(n->d.uniformResourceIdentifier)));
    constexpr std::string_view kGrant = "urn:portwarden:grant:", kAsset = "urn:portwarden:asset:";
    if (uri.starts_with(kGrant)) {
      out.grant = uri.substr(kGrant.size());
      ++grants;
    } else if (uri.starts_with(kAsset)) {
      out.asset = uri.substr(kAsset.size());
      ++assets;
    }
  }
  GENERAL_NAMES_free(names);
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), ca->store.get(), c, nullptr) != 1) {
    return core::internal_error("cannot set up certificate verification");
  }
  if (problems_index() < 0 ||
      X509_STORE_CTX_set_ex_data(ctx.get(), problems_index(), &out.problems) != 1) {
    return core::internal_error("cannot set up certificate verification");
  }
  X509_STORE_CTX_set_verify_cb(ctx.get(), collect_errors);
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_CLIENT);
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()),
                             static_cast<time_t>(at.micros / 1'000'000));
  if (X509_verify_cert(ctx.get()) != 1 && out.problems.empty()) {
    out.problems.push_back(std::string("the certificate does not verify: ") +
                           X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())));
  }
  ERR_clear_error();
  if (grants != 1 || assets != 1) {
    out.problems.push_back("the certificate must name exactly one grant and one asset");
  }
  if (out.person.empty()) out.problems.push_back("the certificate names no person (CN)");
  return out;
}

}  // namespace pw::app
