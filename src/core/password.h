#pragma once
// Password hashing for local accounts (issue 5: "argon2id (or scrypt)"). OpenSSL 3.0, as Debian 12
// ships it, has scrypt (RFC 7914) but not argon2, so scrypt it is. A hash is stored as one
// self-describing string, PHC style:
//
//   $scrypt$ln=15,r=8,p=1$<salt, base64>$<key, base64>
//
// ln is log2(N). The default (N = 2^15, r = 8, p = 1: 32 MiB and about 0.1 s per hash here)
// follows RFC 7914 section 2's interactive-login guidance; verification uses the parameters
// in the stored string, so they can be raised later without breaking stored hashes.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/random.h"
#include "core/result.h"

namespace pw::core {

struct ScryptParams {
  int log2_n = 15;
  int r = 8;
  int p = 1;
};

// Hashes `password` with a fresh 16-byte salt from `random`. invalid_argument for an empty
// password or one longer than 1024 bytes (bounded work per login attempt).
Result<std::string> hash_password(std::string_view password, Random& random,
                                  const ScryptParams& params = {});

// True iff `password` matches `stored`. The comparison is constant-time. invalid_argument when
// `stored` is not a hash this function can read (a corrupt store is not a wrong password), and
// for parameters outside sane bounds (ln 10..20, r 1..16, p 1..4), so a tampered string cannot
// make a login take minutes.
Result<bool> verify_password(std::string_view password, std::string_view stored);

// Constant-time equality of two byte strings of equal length (false if lengths differ).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace pw::core
