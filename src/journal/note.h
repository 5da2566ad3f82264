#pragma once
// C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 keys.
//
//   key ID        = first 4 bytes (big-endian uint32) of SHA-256(name || 0x0A || 0x01 || pubkey)
//   verifier key  = name "+" 8 lowercase hex digits of key ID "+" base64(0x01 || pubkey)
//   signer key    = "PRIVATE+KEY+" name "+" hex key ID "+" base64(0x01 || seed)
//                   (the encoding Go's golang.org/x/mod/sumdb/note uses for private keys)
//   note          = text (ends in "\n") "\n" then one line per signature:
//                   U+2014 " " name " " base64(key ID (4 bytes) || signature) "\n"
// The signature is over the text, including its final newline.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto.h"
#include "core/result.h"

namespace pw::journal {

std::uint32_t note_key_id(std::string_view name, const core::Ed25519PublicKey& key);

struct NoteVerifier {
  std::string name;
  std::uint32_t key_id = 0;
  core::Ed25519PublicKey key{};
};

// Key names must be non-empty, without whitespace or '+' (signed-note spec).
core::Status check_key_name(std::string_view name);

// The character rules for note text (signed-note spec): valid UTF-8 and no ASCII control
// character other than newline. `what` prefixes the error message.
core::Status check_note_chars(std::string_view text, std::string_view what = "note text");

std::string format_verifier_key(std::string_view name, const core::Ed25519PublicKey& key);
// Rejects unknown algorithms, a key ID that does not match the key, malformed text.
core::Result<NoteVerifier> parse_verifier_key(std::string_view vkey);

class NoteSigner {
 public:
  static core::Result<NoteSigner> create(std::string name, core::Ed25519PrivateKey key);
  // Parses the "PRIVATE+KEY+..." encoding (trailing newline allowed).
  static core::Result<NoteSigner> parse(std::string_view skey);

  const std::string& name() const { return name_; }
  std::uint32_t key_id() const { return key_id_; }
  const core::Ed25519PublicKey& public_key() const { return key_.public_key(); }
  NoteVerifier verifier() const { return {name_, key_id_, key_.public_key()}; }
  std::string verifier_key() const { return format_verifier_key(name_, key_.public_key()); }
  core::Result<std::string> encode_private() const;

  // Signs `text` and returns the whole signed note. `text` must be valid UTF-8, end in "\n"
  // and hold no ASCII control character other than newline. As the spec allows, it may
  // contain blank lines: open_note splits text from signatures at the last blank line.
  core::Result<std::string> sign(std::string_view text) const;
  // A bare Ed25519 signature of `message` with this key, for messages that are not notes (a
  // recording manifest, docs/GATEWAY.md). The caller domain-separates its messages (a fixed
  // first line no note or checkpoint has), so that one can never pass for another.
  core::Result<core::Ed25519Signature> sign_raw(std::string_view message) const;

 private:
  NoteSigner(std::string name, core::Ed25519PrivateKey key);
  std::string name_;
  core::Ed25519PrivateKey key_;
  std::uint32_t key_id_ = 0;
};

struct OpenedNote {
  std::string text;                      // the signed text, with its final newline
  std::vector<std::string> verified_by;  // names of the verifiers whose signature checked
};

// Splits and verifies a signed note. Succeeds only if at least one signature by one of
// `verifiers` (matched by name and key ID) is valid; a signature line by a known key that does
// not verify makes the whole note invalid. Signatures by unknown keys are ignored.
// Errors: invalid_argument for a malformed note (invalid UTF-8, control characters, no blank
// line before the signatures, a malformed signature line, more than 100 signatures, two
// signatures by one known key); unauthenticated when a known key's signature does not verify
// or no known key signed.
core::Result<OpenedNote> open_note(std::string_view note, std::span<const NoteVerifier> verifiers);

}  // namespace pw::journal
