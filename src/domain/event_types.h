#pragma once
// The event types the product defines, and the payload rules of each. The journal accepts any
// well-formed type (journal/envelope.h); the types here are the ones views are built from.

#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace pw::domain {

// First entry of every journal: {"origin": "...", "verifier_key": "..."}.
inline constexpr std::string_view kJournalInitialized = "journal.initialized";
// An operator's free-text note: {"text": "...", optional "subject": "..."}.
inline constexpr std::string_view kOperatorNote = "operator.note";

// A register file imported into the ownership data: {"file", "format", "sha256", "bytes",
// "strict", "summary": {...counts}}. The file is kept as a blob named by its SHA-256.
inline constexpr std::string_view kOwnershipImported = "ownership.imported";

// Checks the payload of a known type (unknown types pass: they are generic events).
core::Status validate_payload(std::string_view type, const nlohmann::json& payload);

}  // namespace pw::domain
