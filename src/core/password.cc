#include "core/password.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <charconv>
#include <vector>

#include "core/bytes.h"

namespace pw::core {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kMaxPasswordBytes = 1024;

Result<Bytes> derive(std::string_view password, ByteView salt, const ScryptParams& p,
                     std::size_t key_bytes) {
  Bytes key(key_bytes);
  const std::uint64_t n = std::uint64_t{1} << p.log2_n;
  // Memory bound for OpenSSL: 128 * r * N plus some slack (it refuses by default above 32 MiB).
  const std::uint64_t max_mem = 128ull * static_cast<std::uint64_t>(p.r) * n * 2 + (1u << 20);
  if (EVP_PBE_scrypt(password.data(), password.size(), salt.data(), salt.size(), n,
                     static_cast<std::uint64_t>(p.r), static_cast<std::uint64_t>(p.p), max_mem,
                     key.data(), key.size()) != 1) {
    return internal_error("scrypt failed");
  }
  return key;
}

bool parse_int(std::string_view s, int& out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<std::string> hash_password(std::string_view password, Random& random,
                                  const ScryptParams& params) {
  if (password.empty()) return invalid_argument("the password is empty");
  if (password.size() > kMaxPasswordBytes) {
    return invalid_argument("the password is longer than 1024 bytes");
  }
  Bytes salt(kSaltBytes);
  random.fill(salt);
  PW_ASSIGN_OR_RETURN(Bytes key, derive(password, salt, params, kKeyBytes));
  return "$scrypt$ln=" + std::to_string(params.log2_n) + ",r=" + std::to_string(params.r) +
         ",p=" + std::to_string(params.p) + "$" + to_base64(salt) + "$" + to_base64(key);
}

Result<bool> verify_password(std::string_view password, std::string_view stored) {
  auto bad = [] { return invalid_argument("stored password hash is malformed"); };
  // "$scrypt$ln=..,r=..,p=..$salt$key" split on '$': "", "scrypt", params, salt, key.
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = stored.find('$', start);
    parts.push_back(stored.substr(start, at == std::string_view::npos ? stored.npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  if (parts.size() != 5 || !parts[0].empty() || parts[1] != "scrypt") return bad();
  ScryptParams p;
  std::string_view params = parts[2];
  for (std::string_view want : {"ln=", "r=", "p="}) {
    if (params.substr(0, want.size()) != want) return bad();
    params.remove_prefix(want.size());
    const std::size_t comma = params.find(',');
    std::string_view num = params.substr(0, comma);
    int v = 0;
    if (!parse_int(num, v)) return bad();
    if (want == "ln=") p.log2_n = v;
    if (want == "r=") p.r = v;
    if (want == "p=") p.p = v;
    params = comma == std::string_view::npos ? std::string_view() : params.substr(comma + 1);
  }
  if (!params.empty() || p.log2_n < 10 || p.log2_n > 20 || p.r < 1 || p.r > 16 || p.p < 1 ||
      p.p > 4) {
    return bad();
  }
  auto salt = from_base64(parts[3]);
  auto key = from_base64(parts[4]);
  if (!salt || !key || salt->size() < 8 || key->size() < 16 || key->size() > 64) return bad();
  if (password.size() > kMaxPasswordBytes) return false;
  PW_ASSIGN_OR_RETURN(Bytes got, derive(password, *salt, p, key->size()));
  return constant_time_equal(
      std::string_view(reinterpret_cast<const char*>(got.data()), got.size()),
      std::string_view(reinterpret_cast<const char*>(key->data()), key->size()));
}

}  // namespace pw::core
