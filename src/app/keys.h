#pragma once
// The journal's signing key on disk: one line, the signed-note private key encoding
// (journal/note.h), in a file of mode 0600 owned by the user running portwarden.

#include <string>

#include "core/result.h"
#include "journal/note.h"

namespace pw::app {

// Creates a new Ed25519 key named `origin` at `path`. Refuses to overwrite (already_exists).
// The file is created with O_EXCL and mode 0600, written fully and fsynced.
core::Result<journal::NoteSigner> create_key_file(const std::string& path,
                                                  const std::string& origin);

// Loads the key. Fails with permission_denied if the file is readable or writable by group or
// others, or not owned by the current user; not_found if missing; invalid_argument if
// malformed.
core::Result<journal::NoteSigner> load_key_file(const std::string& path);

// Reads a verifier key file (one line, "name+hash+base64").
core::Result<journal::NoteVerifier> load_verifier_key_file(const std::string& path);

}  // namespace pw::app
