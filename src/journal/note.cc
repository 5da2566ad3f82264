#include "journal/note.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstring>
#include <utility>

namespace pw::journal {
namespace {

using core::Code;

constexpr std::uint8_t kAlgEd25519 = 0x01;
constexpr std::string_view kSigPrefix = "\xE2\x80\x94 ";  // U+2014 EM DASH, space
constexpr std::string_view kPrivatePrefix = "PRIVATE+KEY+";
// A verifier must accept at least 16 signatures (spec); Go's x/mod/sumdb/note accepts 100.
constexpr std::size_t kMaxSignatures = 100;

// Length of the well-formed UTF-8 sequence at s[i] and its code point, or 0 if malformed.
std::size_t decode_utf8(std::string_view s, std::size_t i, std::uint32_t* cp) {
  const auto c = static_cast<unsigned char>(s[i]);
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  auto cont = [&](std::size_t k) { return i + k < s.size() && (at(k) & 0xC0) == 0x80; };
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xC2 && c < 0xE0 && cont(1)) {
    *cp = (c & 0x1Fu) << 6 | (at(1) & 0x3Fu);
    return 2;
  }
  if (c >= 0xE0 && c < 0xF0 && cont(1) && cont(2)) {
    *cp = (c & 0x0Fu) << 12 | (at(1) & 0x3Fu) << 6 | (at(2) & 0x3Fu);
    if (*cp < 0x800 || (*cp >= 0xD800 && *cp <= 0xDFFF)) return 0;  // overlong or surrogate
    return 3;
  }
  if (c >= 0xF0 && c < 0xF5 && cont(1) && cont(2) && cont(3)) {
    *cp = (c & 0x07u) << 18 | (at(1) & 0x3Fu) << 12 | (at(2) & 0x3Fu) << 6 | (at(3) & 0x3Fu);
    if (*cp < 0x10000 || *cp > 0x10FFFF) return 0;
    return 4;
  }
  return 0;
}

// Unicode White_Space (what Go's unicode.IsSpace reports, which the reference implementation
// uses to validate key names).
bool is_unicode_space(std::uint32_t cp) {
  switch (cp) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

std::string hex_key_id(std::uint32_t id) {
  const std::array<std::uint8_t, 4> be = {
      static_cast<std::uint8_t>(id >> 24), static_cast<std::uint8_t>(id >> 16),
      static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id)};
  return core::to_hex(be);
}

// Exactly 8 lowercase hex digits (the form format_verifier_key writes).
core::Result<std::uint32_t> parse_hex_key_id(std::string_view s, std::string_view what) {
  if (s.size() != 8 || !std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      })) {
    return core::invalid_argument(std::string(what) + ": key ID '" + std::string(s) +
                                  "' is not 8 lowercase hex digits");
  }
  std::uint32_t id = 0;
  for (char c : s) id = id << 4 | static_cast<std::uint32_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  return id;
}

// base64(0x01 || 32 bytes) -> the 32 bytes.
core::Result<std::array<std::uint8_t, 32>> parse_ed25519_blob(std::string_view b64,
                                                              std::string_view what) {
  auto bytes = core::from_base64(b64);
  if (!bytes) return std::unexpected(bytes.error().with_context(what));
  std::array<std::uint8_t, 32> out{};
  if (bytes->empty() || (*bytes)[0] != kAlgEd25519) {
    OPENSSL_cleanse(bytes->data(), bytes->size());
    return core::invalid_argument(std::string(what) +
                                  ": unknown signature algorithm (want 0x01, Ed25519)");
  }
  if (bytes->size() != 1 + out.size()) {
    const std::size_t n = bytes->size() - 1;
    OPENSSL_cleanse(bytes->data(), bytes->size());
    return core::invalid_argument(std::string(what) + ": Ed25519 key is " + std::to_string(n) +
                                  " bytes, want 32");
  }
  std::copy(bytes->begin() + 1, bytes->end(), out.begin());
  OPENSSL_cleanse(bytes->data(), bytes->size());
  return out;
}

struct SignatureLine {
  std::string_view name;
  std::uint32_t key_id = 0;
  core::Bytes signature;
};

core::Result<SignatureLine> parse_signature_line(std::string_view line, std::size_t number) {
  const std::string what = "signature line " + std::to_string(number);
  if (!line.starts_with(kSigPrefix)) {
    return core::invalid_argument(what + ": does not start with U+2014 (em dash) and a space");
  }
  line.remove_prefix(kSigPrefix.size());
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) {
    return core::invalid_argument(what + ": want '\xE2\x80\x94 <key name> <base64 signature>'");
  }
  SignatureLine out;
  out.name = line.substr(0, space);
  if (auto st = check_key_name(out.name); !st) {
    return std::unexpected(st.error().with_context(what));
  }
  auto blob = core::from_base64(line.substr(space + 1));
  if (!blob) return std::unexpected(blob.error().with_context(what));
  if (blob->size() < 5) {
    return core::invalid_argument(what + ": signature is " + std::to_string(blob->size()) +
                                  " bytes, want a 4-byte key ID and a signature");
  }
  const auto& b = *blob;
  out.key_id = std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 |
               std::uint32_t{b[3]};
  out.signature.assign(b.begin() + 4, b.end());
  return out;
}

}  // namespace

std::uint32_t note_key_id(std::string_view name, const core::Ed25519PublicKey& key) {
  core::Sha256 h;
  h.update(name);
  const std::uint8_t sep[2] = {'\n', kAlgEd25519};
  h.update(core::ByteView(sep, 2));
  h.update(core::ByteView(key.data(), key.size()));
  const core::Hash d = h.finish();
  return std::uint32_t{d[0]} << 24 | std::uint32_t{d[1]} << 16 | std::uint32_t{d[2]} << 8 |
         std::uint32_t{d[3]};
}

core::Status check_note_chars(std::string_view s, std::string_view what) {
  for (std::size_t i = 0; i < s.size();) {
    std::uint32_t cp = 0;
    const std::size_t len = decode_utf8(s, i, &cp);
    if (len == 0) {
      return core::invalid_argument(std::string(what) + ": invalid UTF-8 at byte " +
                                    std::to_string(i));
    }
    if (cp < 0x20 && cp != '\n') {
      return core::invalid_argument(
          std::string(what) + ": control character 0x" +
          core::to_hex(std::array<std::uint8_t, 1>{static_cast<std::uint8_t>(cp)}) + " at byte " +
          std::to_string(i) + " (only newline is allowed)");
    }
    i += len;
  }
  return core::ok();
}

core::Status check_key_name(std::string_view name) {
  if (name.empty()) return core::invalid_argument("key name is empty");
  for (std::size_t i = 0; i < name.size();) {
    std::uint32_t cp = 0;
    const std::size_t len = decode_utf8(name, i, &cp);
    if (len == 0) {
      return core::invalid_argument("key name '" + std::string(name) +
                                    "' is not valid UTF-8 (byte " + std::to_string(i) + ")");
    }
    if (cp == '+') {
      return core::invalid_argument("key name '" + std::string(name) + "' contains '+'");
    }
    if (is_unicode_space(cp) || cp < 0x20 || cp == 0x7F) {
      return core::invalid_argument("key name '" + std::string(name) +
                                    "' contains a space or control character (byte " +
                                    std::to_string(i) + ")");
    }
    i += len;
  }
  return core::ok();
}

std::string format_verifier_key(std::string_view name, const core::Ed25519PublicKey& key) {
  core::Bytes blob;
  blob.reserve(1 + key.size());
  blob.push_back(kAlgEd25519);
  blob.insert(blob.end(), key.begin(), key.end());
  std::string out(name);
  out += '+';
  out += hex_key_id(note_key_id(name, key));
  out += '+';
  out += core::to_base64(blob);
  return out;
}

core::Result<NoteVerifier> parse_verifier_key(std::string_view vkey) {
  constexpr std::string_view kWhat = "verifier key";
  const std::size_t p1 = vkey.find('+');
  const std::size_t p2 = p1 == std::string_view::npos ? p1 : vkey.find('+', p1 + 1);
  // Only the first two '+' separate fields: base64 may itself contain '+'.
  if (p2 == std::string_view::npos) {
    return core::invalid_argument("verifier key: want <name>+<key ID hex>+<base64 key>");
  }
  NoteVerifier v;
  v.name = std::string(vkey.substr(0, p1));
  if (auto st = check_key_name(v.name); !st) return std::unexpected(st.error().with_context(kWhat));
  PW_ASSIGN_OR_RETURN(v.key_id, parse_hex_key_id(vkey.substr(p1 + 1, p2 - p1 - 1), kWhat));
  PW_ASSIGN_OR_RETURN(v.key, parse_ed25519_blob(vkey.substr(p2 + 1), kWhat));
  const std::uint32_t want = note_key_id(v.name, v.key);
  if (want != v.key_id) {
    return core::invalid_argument("verifier key: key ID " + hex_key_id(v.key_id) +
                                  " does not match the key (want " + hex_key_id(want) + ")");
  }
  return v;
}

NoteSigner::NoteSigner(std::string name, core::Ed25519PrivateKey key)
    : name_(std::move(name)), key_(std::move(key)) {
  key_id_ = note_key_id(name_, key_.public_key());
}

core::Result<NoteSigner> NoteSigner::create(std::string name, core::Ed25519PrivateKey key) {
  PW_TRY(check_key_name(name));
  return NoteSigner(std::move(name), std::move(key));
}

core::Result<NoteSigner> NoteSigner::parse(std::string_view skey) {
  constexpr std::string_view kWhat = "signer key";
  if (skey.ends_with('\n')) skey.remove_suffix(1);
  if (!skey.starts_with(kPrivatePrefix)) {
    return core::invalid_argument("signer key: does not start with 'PRIVATE+KEY+'");
  }
  skey.remove_prefix(kPrivatePrefix.size());
  const std::size_t p1 = skey.find('+');
  const std::size_t p2 = p1 == std::string_view::npos ? p1 : skey.find('+', p1 + 1);
  if (p2 == std::string_view::npos) {
    return core::invalid_argument("signer key: want PRIVATE+KEY+<name>+<key ID hex>+<base64 seed>");
  }
  std::string name(skey.substr(0, p1));
  if (auto st = check_key_name(name); !st) return std::unexpected(st.error().with_context(kWhat));
  PW_ASSIGN_OR_RETURN(const std::uint32_t key_id,
                      parse_hex_key_id(skey.substr(p1 + 1, p2 - p1 - 1), kWhat));
  PW_ASSIGN_OR_RETURN(core::Ed25519Seed seed, parse_ed25519_blob(skey.substr(p2 + 1), kWhat));
  auto key = core::Ed25519PrivateKey::from_seed(seed);
  OPENSSL_cleanse(seed.data(), seed.size());
  if (!key) return std::unexpected(key.error().with_context(kWhat));
  NoteSigner signer(std::move(name), std::move(*key));
  if (signer.key_id() != key_id) {
    return core::invalid_argument("signer key: key ID " + hex_key_id(key_id) +
                                  " does not match the key (want " + hex_key_id(signer.key_id()) +
                                  ")");
  }
  return signer;
}

core::Result<std::string> NoteSigner::encode_private() const {
  PW_ASSIGN_OR_RETURN(core::Ed25519Seed seed, key_.seed());
  core::Bytes blob;
  blob.reserve(1 + seed.size());
  blob.push_back(kAlgEd25519);
  blob.insert(blob.end(), seed.begin(), seed.end());
  std::string out(kPrivatePrefix);
  out += name_;
  out += '+';
  out += hex_key_id(key_id_);
  out += '+';
  out += core::to_base64(blob);
  OPENSSL_cleanse(blob.data(), blob.size());
  OPENSSL_cleanse(seed.data(), seed.size());
  return out;
}

core::Result<std::string> NoteSigner::sign(std::string_view text) const {
  if (text.empty() || text.back() != '\n') {
    return core::invalid_argument("note text must be non-empty and end in a newline");
  }
  PW_TRY(check_note_chars(text, "note text"));
  PW_ASSIGN_OR_RETURN(const core::Ed25519Signature sig, key_.sign(core::as_bytes(text)));
  core::Bytes blob;
  blob.reserve(4 + sig.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    blob.push_back(static_cast<std::uint8_t>(key_id_ >> shift));
  }
  blob.insert(blob.end(), sig.begin(), sig.end());
  std::string out(text);
  out += '\n';
  out += kSigPrefix;
  out += name_;
  out += ' ';
  out += core::to_base64(blob);
  out += '\n';
  return out;
}

core::Result<core::Ed25519Signature> NoteSigner::sign_raw(std::string_view message) const {
  return key_.sign(core::as_bytes(message));
}

core::Result<OpenedNote> open_note(std::string_view note, std::span<const NoteVerifier> verifiers) {
  PW_TRY(check_note_chars(note, "malformed note"));
  // The text ends at the last blank line; the text itself may contain blank lines.
  const std::size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) {
    return core::invalid_argument("malformed note: no blank line before the signature lines");
  }
  OpenedNote out;
  const std::string_view text = note.substr(0, split + 1);
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') {
    return core::invalid_argument("malformed note: the signature lines must end in a newline");
  }
  // (name, key ID) of the known keys that signed, to refuse a second signature by one key.
  std::vector<const NoteVerifier*> seen;
  std::size_t count = 0;
  while (!sigs.empty()) {
    const std::size_t nl = sigs.find('\n');
    const std::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    if (++count > kMaxSignatures) {
      return core::invalid_argument("malformed note: more than " + std::to_string(kMaxSignatures) +
                                    " signatures");
    }
    PW_ASSIGN_OR_RETURN(SignatureLine sig, parse_signature_line(line, count));
    const auto known = std::find_if(verifiers.begin(), verifiers.end(), [&](const NoteVerifier& v) {
      return v.key_id == sig.key_id && v.name == sig.name;
    });
    if (known == verifiers.end()) continue;  // unknown keys are ignored (spec)
    if (std::find(seen.begin(), seen.end(), &*known) != seen.end()) {
      return core::invalid_argument("malformed note: two signatures by key '" + known->name +
                                    "' (" + hex_key_id(known->key_id) + ")");
    }
    seen.push_back(&*known);
    core::Ed25519Signature ed{};
    const bool right_size = sig.signature.size() == ed.size();
    if (right_size) std::copy(sig.signature.begin(), sig.signature.end(), ed.begin());
    if (!right_size || !core::ed25519_verify(known->key, core::as_bytes(text), ed)) {
      return core::fail(Code::kUnauthenticated, "note: signature by known key '" + known->name +
                                                    "' (" + hex_key_id(known->key_id) +
                                                    ") does not verify");
    }
    out.verified_by.push_back(known->name);
  }
  if (out.verified_by.empty()) {
    return core::fail(Code::kUnauthenticated,
                      "note: no signature by a known key (" + std::to_string(count) +
                          " signature(s), none by any of the " + std::to_string(verifiers.size()) +
                          " trusted key(s))");
  }
  out.text = std::string(text);
  return out;
}

}  // namespace pw::journal
