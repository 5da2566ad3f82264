#include "journal/envelope.h"

#include <array>
#include <optional>

#include "core/canonical_json.h"

namespace pw::journal {
namespace {

bool is_segment_start(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_segment_char(char c) {
  return is_segment_start(c) || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

core::Status check_event_type(std::string_view type) {
  auto bad = [&](const std::string& why) {
    return core::invalid_argument("event type '" + std::string(type) + "': " + why +
                                  " (want dot-separated lowercase words, e.g. operator.note)");
  };
  if (type.empty()) return bad("empty");
  if (type.size() > kMaxTypeLength) return bad("longer than " + std::to_string(kMaxTypeLength));
  int segments = 0;
  std::size_t start = 0;
  while (start <= type.size()) {
    std::size_t dot = type.find('.', start);
    std::string_view seg =
        type.substr(start, dot == std::string_view::npos ? type.npos : dot - start);
    if (seg.empty() || !is_segment_start(seg[0])) return bad("segment must start with a-z");
    for (char c : seg) {
      if (!is_segment_char(c)) return bad("character '" + std::string(1, c) + "' not allowed");
    }
    ++segments;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (segments < 2 || segments > 8) return bad("needs 2 to 8 segments");
  return core::ok();
}

core::Status check_actor(std::string_view actor) {
  if (actor.empty()) return core::invalid_argument("actor is empty");
  if (actor.size() > kMaxActorLength) {
    return core::invalid_argument("actor is longer than " + std::to_string(kMaxActorLength) +
                                  " bytes");
  }
  for (unsigned char c : actor) {
    if (c < 0x20 || c == 0x7F) return core::invalid_argument("actor contains a control character");
  }
  // UTF-8 validity is checked by the canonical encoder.
  return core::ok();
}

core::Result<std::string> encode_envelope(const Envelope& e) {
  PW_TRY(check_event_type(e.type));
  PW_TRY(check_actor(e.actor));
  if (!e.payload.is_object()) return core::invalid_argument("payload must be a JSON object");
  if (e.seq > static_cast<std::uint64_t>(core::kMaxSafeInteger)) {
    return core::invalid_argument("sequence number beyond 2^53-1");
  }
  auto payload = core::canonical_dump(e.payload);
  if (!payload) return std::unexpected(payload.error().with_context("payload"));
  if (payload->size() > kMaxPayloadBytes) {
    return core::invalid_argument("payload is " + std::to_string(payload->size()) +
                                  " bytes in canonical form; the limit is " +
                                  std::to_string(kMaxPayloadBytes));
  }
  nlohmann::json env = {
      {"v", kEnvelopeVersion}, {"seq", e.seq},   {"time", core::format_rfc3339(e.time)},
      {"actor", e.actor},      {"type", e.type}, {"payload", e.payload}};
  return core::canonical_dump(env);
}

namespace {

// Reads the fixed shape of a canonical envelope. Every reader returns false on anything
// unexpected; the caller then falls back to the full decode for a precise message.
class HeaderReader {
 public:
  explicit HeaderReader(std::string_view s) : s_(s) {}

  bool literal(std::string_view lit) {
    if (s_.substr(pos_, lit.size()) != lit) return false;
    pos_ += lit.size();
    return true;
  }

  // A string literal's body (escapes kept), the opening quote already consumed.
  bool string_body(std::string_view& out, bool& escaped) {
    const std::size_t start = pos_;
    escaped = false;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '"') {
        out = s_.substr(start, pos_ - start);
        ++pos_;
        return true;
      }
      if (c == '\\') {
        escaped = true;
        ++pos_;  // the escaped character; \u00xx's hex digits are never quotes
      }
      ++pos_;
    }
    return false;
  }

  // A balanced object (the input is canonical JSON: strings are the only hazard).
  bool object(std::string_view& out) {
    if (pos_ >= s_.size() || s_[pos_] != '{') return false;
    const std::size_t start = pos_;
    int depth = 0;
    while (pos_ < s_.size()) {
      const char c = s_[pos_++];
      if (c == '"') {
        std::string_view ignored;
        bool esc;
        if (!string_body(ignored, esc)) return false;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) {
          out = s_.substr(start, pos_ - start);
          return true;
        }
      }
    }
    return false;
  }

  bool unsigned_integer(std::uint64_t& out) {
    const std::size_t start = pos_;
    out = 0;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      out = out * 10 + static_cast<std::uint64_t>(s_[pos_] - '0');
      if (pos_ - start > 16) return false;
      ++pos_;
    }
    return pos_ > start;
  }

  bool at_end() const { return pos_ == s_.size(); }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

// The header of an envelope the canonical check has taken apart into its top-level members
// (keys in canonical order, so the order is fixed). nullopt for anything unusual: an escaped
// actor, a wrong member, a bad time; the full decode then names the problem.
std::optional<EnvelopeHeader> header_from_members(std::span<const core::JsonMember> m) {
  auto string_value = [](std::string_view v, std::string_view& out) {
    if (v.size() < 2 || v.front() != '"' || v.back() != '"') return false;
    out = v.substr(1, v.size() - 2);
    return out.find('\\') == std::string_view::npos;
  };
  std::string_view actor, time, type;
  if (m[0].key != "actor" || m[1].key != "payload" || m[2].key != "seq" || m[3].key != "time" ||
      m[4].key != "type" || m[5].key != "v" || m[5].value != "1" ||
      !string_value(m[0].value, actor) || !string_value(m[3].value, time) ||
      !string_value(m[4].value, type) || m[1].value.empty() || m[1].value.front() != '{') {
    return std::nullopt;
  }
  EnvelopeHeader h;
  HeaderReader seq(m[2].value);
  if (!seq.unsigned_integer(h.seq) || !seq.at_end()) return std::nullopt;
  auto t = core::parse_rfc3339_canonical(time);
  if (!t) return std::nullopt;
  h.time = *t;
  h.payload_json = m[1].value;
  h.actor = std::string(actor);
  h.type = std::string(type);
  if (!check_event_type(h.type) || !check_actor(h.actor)) return std::nullopt;
  return h;
}

}  // namespace

core::Result<EnvelopeHeader> decode_envelope_header(std::string_view bytes) {
  if (bytes.size() <= kMaxEntryBytes) {
    core::JsonLimits limits;
    limits.max_bytes = kMaxEntryBytes;
    std::array<core::JsonMember, 6> members;
    std::size_t count = 0;
    if (core::check_canonical_members(bytes, limits, members, count) && count == 6) {
      if (auto h = header_from_members(members)) return std::move(*h);
    }
  }
  // Slow path: either invalid (the full decode names the problem) or an unusual actor.
  PW_ASSIGN_OR_RETURN(Envelope e, decode_envelope(bytes));
  EnvelopeHeader h;
  h.seq = e.seq;
  h.time = e.time;
  h.actor = std::move(e.actor);
  h.type = std::move(e.type);
  // The payload is the value of the "payload" member: locate it in the canonical bytes.
  const std::size_t key = bytes.find("\"payload\":{");
  HeaderReader r(bytes.substr(key + 10));
  if (key == std::string_view::npos || !r.object(h.payload_json)) {
    return core::internal_error("decoded envelope has no payload object");
  }
  return h;
}

core::Result<Envelope> decode_envelope(std::string_view bytes) {
  if (bytes.size() > kMaxEntryBytes) {
    return core::invalid_argument("entry is " + std::to_string(bytes.size()) +
                                  " bytes; the limit is " + std::to_string(kMaxEntryBytes));
  }
  core::JsonLimits limits;
  limits.max_bytes = kMaxEntryBytes;
  PW_TRY(core::check_canonical(bytes, limits));
  PW_ASSIGN_OR_RETURN(nlohmann::json j, core::parse_json_strict(bytes, limits));
  if (!j.is_object() || j.size() != 6) {
    return core::invalid_argument(
        "envelope must be an object with exactly actor, payload, seq, "
        "time, type, v");
  }
  auto field = [&](const char* name) -> const nlohmann::json* {
    auto it = j.find(name);
    return it == j.end() ? nullptr : &*it;
  };
  const auto* v = field("v");
  const auto* seq = field("seq");
  const auto* time = field("time");
  const auto* actor = field("actor");
  const auto* type = field("type");
  const auto* payload = field("payload");
  if (!v || !seq || !time || !actor || !type || !payload) {
    return core::invalid_argument("envelope lacks one of actor, payload, seq, time, type, v");
  }
  if (!v->is_number_integer() || v->get<std::int64_t>() != kEnvelopeVersion) {
    return core::invalid_argument("envelope version must be 1");
  }
  if (!seq->is_number_integer() || seq->get<std::int64_t>() < 0) {
    return core::invalid_argument("envelope seq must be a non-negative integer");
  }
  if (!time->is_string() || !actor->is_string() || !type->is_string() || !payload->is_object()) {
    return core::invalid_argument("envelope field has the wrong JSON type");
  }
  Envelope e;
  e.seq = seq->get<std::uint64_t>();
  const std::string& time_text = time->get_ref<const std::string&>();
  PW_ASSIGN_OR_RETURN(e.time, core::parse_rfc3339(time_text));
  if (core::format_rfc3339(e.time) != time_text) {
    return core::invalid_argument("envelope time '" + time_text +
                                  "' is not in the form 2026-11-29T03:48:31.123456Z");
  }
  e.actor = actor->get<std::string>();
  e.type = type->get<std::string>();
  PW_TRY(check_event_type(e.type));
  PW_TRY(check_actor(e.actor));
  e.payload = std::move(*payload);
  return e;
}

}  // namespace pw::journal
