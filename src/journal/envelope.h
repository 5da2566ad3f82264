#pragma once
// The journal entry: an event envelope in canonical JSON (core/canonical_json.h). Those exact
// bytes are the RFC 9162 leaf input, so an auditor can hash `entries.jsonl` lines directly.
//
//   {"actor":"cli:alice","payload":{...},"seq":0,"time":"2026-11-29T03:48:31.123456Z",
//    "type":"operator.note","v":1}
//
// seq is the entry's index in the log (0-based); time is when it was committed (UTC);
// actor says who caused it; type names the event ("<area>.<what>", lowercase); payload is an
// object whose schema the type defines.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/result.h"

namespace pw::journal {

inline constexpr int kEnvelopeVersion = 1;
// Limits, documented in docs/JOURNAL.md. A journal entry is a decision record: large blobs
// (recordings, documents) are stored elsewhere and referenced by digest.
inline constexpr std::size_t kMaxPayloadBytes = 64 * 1024;
inline constexpr std::size_t kMaxEntryBytes = kMaxPayloadBytes + 4096;
inline constexpr std::size_t kMaxTypeLength = 64;
inline constexpr std::size_t kMaxActorLength = 256;

struct Envelope {
  std::uint64_t seq = 0;
  core::Timestamp time;
  std::string actor;
  std::string type;
  nlohmann::json payload = nlohmann::json::object();
};

// "operator.note", "journal.test_event": 2-8 dot-separated segments of [a-z][a-z0-9_]*.
core::Status check_event_type(std::string_view type);
// Printable, non-empty, at most kMaxActorLength bytes, valid UTF-8 without control chars.
core::Status check_actor(std::string_view actor);

// Canonical bytes of the envelope. Fails if the payload is not an object, exceeds
// kMaxPayloadBytes in canonical form, or holds values canonical JSON does not allow.
core::Result<std::string> encode_envelope(const Envelope& e);

// Strict decode: the bytes must be canonical, carry exactly the envelope fields, version 1.
core::Result<Envelope> decode_envelope(std::string_view bytes);

// The envelope without its payload parsed: what verification and replay need for most events.
// `payload_json` points into the decoded bytes (canonical JSON of an object) and lives as long
// as they do.
struct EnvelopeHeader {
  std::uint64_t seq = 0;
  core::Timestamp time;
  std::string actor;
  std::string type;
  std::string_view payload_json;
};

// Same checks as decode_envelope, in one pass over the bytes and without building the payload
// (10^6 entries are verified in well under a second).
core::Result<EnvelopeHeader> decode_envelope_header(std::string_view bytes);

}  // namespace pw::journal
