#pragma once
// What an outside auditor runs: checks that need no database and trust nothing but the
// verifier key they were given. Results say valid or not, with the reason; errors are kept for
// unusable input (unreadable files, malformed arguments).

#include <cstdint>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace pw::app {

struct Verdict {
  bool valid = false;
  std::string reason;  // why not, or a one-line summary of what was proven
};

Verdict check_inclusion(std::uint64_t index, std::uint64_t size, const core::Hash& leaf_hash,
                        const core::Hash& root, const std::vector<core::Hash>& proof);
Verdict check_consistency(std::uint64_t size1, std::uint64_t size2, const core::Hash& root1,
                          const core::Hash& root2, const std::vector<core::Hash>& proof);

// Verifies the signed note in `note_path` with the verifier key in `vkey_path`; if the note is
// a tlog checkpoint its origin, size and root are summarised in the reason.
core::Result<Verdict> check_note_file(const std::string& note_path, const std::string& vkey_path);

struct BundleVerdict {
  Verdict verdict;
  std::uint64_t entries = 0;
  std::string origin;
  core::Hash root{};
};

// Verifies an export bundle: the checkpoint's signature with key.vkey, every line of
// entries.jsonl as a canonical envelope whose seq is its line number, and that the entries'
// Merkle root equals the checkpoint's.
core::Result<BundleVerdict> check_bundle(const std::string& dir);

// The RFC 9162 leaf hash of an entry (what `journal proof` reports), for auditors' tooling.
core::Hash entry_leaf_hash(std::string_view entry);

}  // namespace pw::app
