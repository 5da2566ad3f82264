// The recording verifier: reads a file front to back, trusting nothing in it
// (docs/RECORDING.md, "Verifying").
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/canonical_json.h"
#include "formats/recording/internal/layout.h"
#include "formats/recording/internal/manifest.h"
#include "formats/recording/recording.h"

namespace pw::formats::recording {

using namespace internal;

namespace {

std::string at_byte(std::uint64_t offset) {
  return " at byte " + std::to_string(offset);
}

// Pulls exact byte counts from the source and keeps the file offset.
class Input {
 public:
  explicit Input(ByteSource& src) : src_(src) {}
  std::uint64_t offset() const { return offset_; }

  // Reads up to n bytes; fewer only at the end of the input.
  core::Result<std::size_t> read(std::uint8_t* out, std::size_t n) {
    std::size_t got = 0;
    while (got < n) {
      PW_ASSIGN_OR_RETURN(std::size_t k, src_.read(reinterpret_cast<char*>(out) + got, n - got));
      if (k == 0) break;
      got += k;
    }
    offset_ += got;
    return got;
  }

  // Reads exactly n bytes or fails naming `what` as truncated.
  core::Status read_exact(std::uint8_t* out, std::size_t n, const std::string& what) {
    const std::uint64_t start = offset_;
    PW_ASSIGN_OR_RETURN(std::size_t got, read(out, n));
    if (got != n) {
      return core::data_loss("recording is truncated in " + what + at_byte(start) + ": needs " +
                             std::to_string(n) + " bytes, " + std::to_string(got) + " remain");
    }
    return core::ok();
  }

 private:
  ByteSource& src_;
  std::uint64_t offset_ = 0;
};

// Reads "u32 length | JSON" after a tag, checks the JSON is canonical and parses it.
core::Result<nlohmann::json> read_json_body(Input& in, std::uint32_t limit, const std::string& what,
                                            std::string& text) {
  std::uint8_t len_bytes[4];
  PW_TRY(in.read_exact(len_bytes, 4, what + " length"));
  const std::uint32_t len = get_u32(len_bytes);
  if (len > limit) {
    return core::data_loss(what + at_byte(in.offset() - 4) + ": length " + std::to_string(len) +
                           " exceeds the limit of " + std::to_string(limit) + " bytes");
  }
  const std::uint64_t start = in.offset();
  text.assign(len, '\0');
  PW_TRY(in.read_exact(reinterpret_cast<std::uint8_t*>(text.data()), len, what));
  core::JsonLimits limits;
  limits.max_bytes = limit;
  limits.max_depth = 8;
  if (auto st = core::check_canonical(text, limits); !st) {
    return core::data_loss(what + at_byte(start) +
                           " is not canonical JSON: " + st.error().message());
  }
  auto j = core::parse_json_strict(text, limits);
  if (!j) return core::data_loss(what + at_byte(start) + ": " + j.error().message());
  if (!j->is_object()) return core::data_loss(what + at_byte(start) + " is not a JSON object");
  return std::move(*j);
}

core::Result<std::string> string_field(const nlohmann::json& j, const char* key,
                                       const std::string& what) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) {
    return core::data_loss(what + "." + key + " is missing or not a string");
  }
  return it->get<std::string>();
}

core::Result<core::Timestamp> time_field(const nlohmann::json& j, const char* key,
                                         const std::string& what) {
  PW_ASSIGN_OR_RETURN(std::string s, string_field(j, key, what));
  auto t = core::parse_rfc3339_canonical(s);
  if (!t) return core::data_loss(what + "." + key + " is not an RFC 3339 UTC time: " + s);
  return *t;
}

core::Result<SessionInfo> read_header(Input& in, core::Hash& header_sha256) {
  std::uint8_t magic[8];
  PW_ASSIGN_OR_RETURN(std::size_t got, in.read(magic, 8));
  if (got < 8 || std::string_view(reinterpret_cast<const char*>(magic), 8) != kFileMagic) {
    return core::data_loss(
        "not a portwarden recording (version 1): the file does not start with its magic bytes");
  }
  std::string text;
  PW_ASSIGN_OR_RETURN(nlohmann::json h, read_json_body(in, kMaxHeaderJson, "header", text));
  SessionInfo info;
  PW_ASSIGN_OR_RETURN(std::string format, string_field(h, "format", "header"));
  if (format != kFormatName)
    return core::data_loss("header.format is not " + std::string(kFormatName));
  PW_ASSIGN_OR_RETURN(info.session, string_field(h, "session", "header"));
  if (info.session.empty()) return core::data_loss("header.session is empty");
  PW_ASSIGN_OR_RETURN(info.grant, string_field(h, "grant", "header"));
  PW_ASSIGN_OR_RETURN(info.person, string_field(h, "person", "header"));
  PW_ASSIGN_OR_RETURN(info.vendor, string_field(h, "vendor", "header"));
  PW_ASSIGN_OR_RETURN(info.asset, string_field(h, "asset", "header"));
  PW_ASSIGN_OR_RETURN(info.gateway, string_field(h, "gateway", "header"));
  PW_ASSIGN_OR_RETURN(info.started, time_field(h, "started", "header"));
  if (h.size() != 8) return core::data_loss("header has members other than the documented ones");
  // The chain starts from the digest of the header record as it is in the file.
  std::string rec(kFileMagic);
  std::uint8_t len[4];
  put_u32(len, static_cast<std::uint32_t>(text.size()));
  rec.append(reinterpret_cast<const char*>(len), 4);
  rec += text;
  header_sha256 = core::sha256(rec);
  return info;
}

// Checks the frames of one chunk whose hash already checked; visits them if asked.
core::Status check_frames(const std::vector<std::uint8_t>& buf, ChunkSummary& c,
                          core::Timestamp& last, const FrameVisitor* visit) {
  const std::size_t end = buf.size() - kHashSize;
  std::size_t pos = kChunkHeaderSize;
  std::uint32_t n = 0;
  const std::string where = "chunk " + std::to_string(c.index);
  while (pos < end) {
    const std::string frame = where + " frame " + std::to_string(n) + at_byte(c.offset + pos);
    if (end - pos < kFrameHeaderSize) return core::data_loss(frame + ": frame header is cut off");
    const std::uint8_t* p = buf.data() + pos;
    if (p[0] != 1 && p[0] != 2) {
      return core::data_loss(frame + ": direction " + std::to_string(p[0]) + " is not 1 or 2");
    }
    const auto micros = static_cast<std::int64_t>(get_u64(p + 1));
    const std::uint32_t len = get_u32(p + 9);
    if (len == 0 || len > kMaxFrameBytes) {
      return core::data_loss(frame + ": length " + std::to_string(len) + " is not in 1.." +
                             std::to_string(kMaxFrameBytes));
    }
    if (end - pos - kFrameHeaderSize < len) {
      return core::data_loss(frame + ": " + std::to_string(len) +
                             " bytes run past the end of the chunk");
    }
    const core::Timestamp t{micros};
    if (t < last) return core::data_loss(frame + ": time goes backwards");
    last = t;
    if (n == 0) c.first = t;
    c.last = t;
    const auto d = static_cast<Direction>(p[0]);
    (d == Direction::kUp ? c.bytes_up : c.bytes_down) += len;
    if (visit != nullptr && *visit) {
      PW_TRY((*visit)(d, t, core::ByteView(p + kFrameHeaderSize, len)));
    }
    pos += kFrameHeaderSize + len;
    ++n;
  }
  if (n != c.frames) {
    return core::data_loss(where + at_byte(c.offset) + ": header says " + std::to_string(c.frames) +
                           " frames, it holds " + std::to_string(n));
  }
  return core::ok();
}

core::Status check_seal(const nlohmann::json& s, const RecordingReport& r, RecordingReport& out) {
  PW_ASSIGN_OR_RETURN(std::string digest, string_field(s, "manifest_sha256", "seal"));
  if (digest != core::to_hex(r.manifest_sha256)) {
    return core::data_loss(
        "seal.manifest_sha256 differs from the manifest's digest (the manifest or the seal was "
        "edited)");
  }
  if (s.contains("unsigned")) {
    PW_ASSIGN_OR_RETURN(out.unsigned_reason, string_field(s, "unsigned", "seal"));
    if (s.size() != 2) return core::data_loss("seal: an unsigned seal has unexpected members");
    out.seal = SealState::kUnsigned;
    return core::ok();
  }
  PW_ASSIGN_OR_RETURN(out.key_name, string_field(s, "key_name", "seal"));
  PW_ASSIGN_OR_RETURN(out.key_id, string_field(s, "key_id", "seal"));
  PW_ASSIGN_OR_RETURN(std::string sig, string_field(s, "signature", "seal"));
  if (s.size() != 4) return core::data_loss("seal has members other than the documented ones");
  out.seal = SealState::kSigned;
  return core::ok();
}

core::Status check_signature(const std::string& signature_b64, const RecordingReport& r,
                             const RecordingKey& key) {
  if (r.key_name != key.name) {
    return core::unauthenticated("the recording is signed by key '" + r.key_name +
                                 "', not by the expected key '" + key.name + "'");
  }
  char id[9];
  std::snprintf(id, sizeof id, "%08x", key.key_id);
  if (r.key_id != id) {
    return core::unauthenticated("the recording is signed by key ID " + r.key_id +
                                 ", not by the expected key's ID " + id);
  }
  auto sig = core::from_base64(signature_b64);
  if (!sig || sig->size() != core::kEd25519SignatureSize) {
    return core::unauthenticated("seal.signature is not a base64 Ed25519 signature");
  }
  core::Ed25519Signature s{};
  std::copy(sig->begin(), sig->end(), s.begin());
  const std::string msg = signed_message(r.info.session, r.manifest_sha256);
  if (!core::ed25519_verify(key.key, core::as_bytes(msg), s)) {
    return core::unauthenticated("seal.signature does not verify under key '" + key.name + "' (" +
                                 id + ")");
  }
  return core::ok();
}

}  // namespace

core::Result<RecordingReport> verify_recording(ByteSource& src, const VerifyOptions& options) {
  Input in(src);
  RecordingReport r;
  core::Hash header_sha256{};
  PW_ASSIGN_OR_RETURN(r.info, read_header(in, header_sha256));
  core::Hash chain = header_sha256;
  core::Sha256 hasher;
  core::Timestamp last = r.info.started;
  std::vector<std::uint8_t> buf;

  // Chunks, then the manifest tag.
  std::uint8_t tag[4];
  while (true) {
    const std::uint64_t at = in.offset();
    PW_ASSIGN_OR_RETURN(std::size_t got, in.read(tag, 4));
    if (got == 0) {
      return core::data_loss("recording ends" + at_byte(at) + " after " +
                             std::to_string(r.chunks.size()) +
                             " chunks without a manifest (the session did not finish, or the "
                             "file was truncated)");
    }
    if (got < 4) return core::data_loss("recording is truncated in a record tag" + at_byte(at));
    const std::string_view t(reinterpret_cast<const char*>(tag), 4);
    if (t == kManifestTag) break;
    if (t != kChunkTag) {
      return core::data_loss("unknown record" + at_byte(at) + " after chunk " +
                             std::to_string(r.chunks.size()) +
                             " (expected a chunk or the manifest)");
    }
    ChunkSummary c;
    c.index = static_cast<std::uint32_t>(r.chunks.size());
    c.offset = at;
    const std::string where = "chunk " + std::to_string(c.index);
    buf.resize(kChunkHeaderSize);
    std::memcpy(buf.data(), tag, 4);
    PW_TRY(in.read_exact(buf.data() + 4, kChunkHeaderSize - 4, where + " header"));
    const std::uint32_t index = get_u32(buf.data() + 4);
    c.frames = get_u32(buf.data() + 8);
    const std::uint32_t payload = get_u32(buf.data() + 12);
    if (index != c.index) {
      return core::data_loss("the chunk" + at_byte(at) + " has index " + std::to_string(index) +
                             ", expected " + std::to_string(c.index) +
                             " (a chunk is missing, repeated or out of order)");
    }
    if (payload == 0 || payload > kMaxChunkPayload || c.frames == 0) {
      return core::data_loss(where + at_byte(at) + ": payload length " + std::to_string(payload) +
                             " or frame count " + std::to_string(c.frames) + " is out of range");
    }
    buf.resize(kChunkHeaderSize + payload + kHashSize);
    PW_TRY(in.read_exact(buf.data() + kChunkHeaderSize, payload + kHashSize, where));
    c.length = buf.size();
    hasher.update(core::ByteView(chain.data(), chain.size()));
    c.sha256 = hasher.digest(core::ByteView(buf.data(), kChunkHeaderSize + payload));
    if (!std::equal(c.sha256.begin(), c.sha256.end(), buf.end() - kHashSize)) {
      return core::data_loss(where + at_byte(at) +
                             ": hash does not match (this chunk, or the chain before it, was "
                             "altered)");
    }
    // The frames are checked before the visitor sees any of them.
    core::Timestamp chunk_last = last;
    PW_TRY(check_frames(buf, c, chunk_last, nullptr));
    if (options.on_frame) {
      ChunkSummary again = c;
      again.bytes_up = again.bytes_down = 0;
      PW_TRY(check_frames(buf, again, last, &options.on_frame));
    }
    last = chunk_last;
    chain = c.sha256;
    r.frames += c.frames;
    r.bytes_up += c.bytes_up;
    r.bytes_down += c.bytes_down;
    r.chunks.push_back(c);
  }
  r.chain_head = chain;

  // The manifest: rebuilt from what the chunks hold and compared with the stored one.
  const std::uint64_t manifest_at = in.offset() - 4;
  PW_ASSIGN_OR_RETURN(nlohmann::json m,
                      read_json_body(in, kMaxManifestJson, "manifest", r.manifest_json));
  r.manifest_sha256 = core::sha256(r.manifest_json);
  PW_ASSIGN_OR_RETURN(r.ended, time_field(m, "ended", "manifest"));
  PW_ASSIGN_OR_RETURN(r.reason, string_field(m, "reason", "manifest"));
  if (r.ended < last) return core::data_loss("manifest.ended is before the last frame");
  const nlohmann::json expected = manifest_json(r.info, r.ended, r.reason, header_sha256, r.chunks,
                                                r.frames, r.bytes_up, r.bytes_down, r.chain_head);
  if (std::string d = first_difference(expected, m); !d.empty()) {
    return core::data_loss("manifest" + at_byte(manifest_at) + ": manifest." + d +
                           " does not match the recording");
  }

  // The seal, then nothing.
  const std::uint64_t seal_at = in.offset();
  PW_ASSIGN_OR_RETURN(std::size_t got, in.read(tag, 4));
  if (got == 0) {
    return core::data_loss("recording is not sealed: it ends after the manifest" +
                           at_byte(seal_at) + " (the control plane's signature never came)");
  }
  if (got < 4 || std::string_view(reinterpret_cast<const char*>(tag), 4) != kSealTag) {
    return core::data_loss("expected the seal" + at_byte(seal_at));
  }
  std::string seal_text;
  PW_ASSIGN_OR_RETURN(nlohmann::json s, read_json_body(in, kMaxSealJson, "seal", seal_text));
  PW_TRY(check_seal(s, r, r));
  std::uint8_t extra[1];
  const std::uint64_t end_at = in.offset();
  PW_ASSIGN_OR_RETURN(std::size_t more, in.read(extra, 1));
  if (more != 0) return core::data_loss("unexpected bytes after the seal" + at_byte(end_at));

  if (r.seal == SealState::kUnsigned) {
    if (!options.allow_unsigned) {
      return core::failed_precondition("recording is not signed (" + r.unsigned_reason +
                                       "); accept it only with --allow-unsigned");
    }
    return r;
  }
  if (!options.check_signature) return r;
  if (!options.key) {
    return core::unauthenticated("no public key to check the recording's signature (key '" +
                                 r.key_name + "')");
  }
  PW_TRY(check_signature(s["signature"].get<std::string>(), r, *options.key));
  r.signature_checked = true;
  return r;
}

}  // namespace pw::formats::recording
