#pragma once
// Session recordings (issue 6 item 4; byte layout in docs/RECORDING.md): both byte streams of
// one gateway session with timestamps, in chunks whose SHA-256 hashes form a chain, closed by a
// manifest (session metadata, per-chunk summary, totals, chain head) and a seal that carries
// the control plane's Ed25519 signature over the manifest's digest (docs/GATEWAY.md).
//
// The writer is used by the gateway's session I/O thread; the reader/verifier by the app (the
// CLI's `recording verify` and `recording export`). Nothing here knows the journal or the store:
// the verifier is given the public key to check against.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/result.h"
#include "formats/byte_source.h"

namespace pw::formats::recording {

// Which way the bytes went. "up" = technician (client) to asset (server), "down" = back.
enum class Direction : std::uint8_t { kUp = 1, kDown = 2 };

std::string_view direction_name(Direction d);  // "up" / "down"

// What is known when the session opens (the control plane's admit answer).
struct SessionInfo {
  std::string session;  // required, non-empty
  std::string grant;
  std::string person;
  std::string vendor;
  std::string asset;
  std::string gateway;
  core::Timestamp started;
};

// The exact message the control plane signs (docs/GATEWAY.md): ASCII
// "portwarden-recording-manifest-v1\n<session>\n<manifest sha256, lower-case hex>\n".
std::string signed_message(std::string_view session, const core::Hash& manifest_sha256);

struct ChunkSummary {
  std::uint32_t index = 0;
  std::uint64_t offset = 0;  // of the chunk record in the file
  std::uint64_t length = 0;  // of the whole record, hash included
  core::Hash sha256{};       // the chained hash stored after the chunk
  std::uint32_t frames = 0;
  std::uint64_t bytes_up = 0, bytes_down = 0;
  core::Timestamp first, last;
};

struct WriterOptions {
  // A chunk is closed when its frames reach this many bytes...
  std::size_t chunk_bytes = 1 << 20;
  // ...or when a frame (or tick()) comes this long after the chunk's first frame.
  std::int64_t chunk_micros = 1'000'000;
  // Write chunks with O_DIRECT (create() only): the file's bytes are the same, but they go from
  // the chunk buffer to the disk without the kernel's copy into the page cache, which was the
  // largest single cost of recording at gateway speed (docs/PERFORMANCE.md). Whole 4 KiB blocks
  // are written as chunks close; the unaligned tail waits for the next chunk, and finish()
  // switches back to buffered writes for the tail, manifest and seal. Where the file system
  // refuses O_DIRECT the writer falls back to buffered writes by itself.
  bool direct_io = false;
};

// Writes one session's recording file. Used by ONE thread (the session's I/O thread); no locks.
// Every method that touches the file returns an error the caller must act on (the gateway
// closes the session: fail closed). After the first error the writer is failed: every later
// call returns the same error and writes nothing more.
//
// Cost per write(): a bounds check and a memcpy into a chunk buffer allocated once; a chunk is
// hashed once when it closes and written with one write(2) call. Nothing is fsynced until
// seal()/seal_unsigned().
class RecordingWriter {
 public:
  // Creates `path` (O_EXCL, mode 0600: never overwrites) and writes the file header.
  static core::Result<std::unique_ptr<RecordingWriter>> create(const std::string& path,
                                                               SessionInfo info,
                                                               WriterOptions options = {});
  // Same on an open, writable file descriptor, which the writer owns (and closes) from now on,
  // even on failure. `name` is used in error messages.
  static core::Result<std::unique_ptr<RecordingWriter>> adopt_fd(int fd, std::string name,
                                                                 SessionInfo info,
                                                                 WriterOptions options = {});
  ~RecordingWriter();
  RecordingWriter(const RecordingWriter&) = delete;
  RecordingWriter& operator=(const RecordingWriter&) = delete;

  // Records `bytes` read in direction `d` at `at`. Times are made non-decreasing: a time
  // earlier than the previous frame's (a clock step) is recorded as the previous frame's time.
  // Empty writes record nothing. Writes larger than 256 KiB are split into several frames.
  core::Status write(Direction d, core::Timestamp at, core::ByteView bytes);

  // Closes the open chunk if it is older than the time limit; call from the session's timer
  // so an idle session's last bytes reach the file within about a second.
  core::Status tick(core::Timestamp now);

  // Flushes the last chunk, writes the manifest and returns its SHA-256 (the digest of its
  // canonical JSON), which the control plane signs. Call once.
  core::Result<core::Hash> finish(core::Timestamp ended, std::string_view reason);

  // Appends the seal with the control plane's answer (key name, key ID as 8 lower-case hex
  // digits, base64 Ed25519 signature over signed_message()), fsyncs and closes the file. The
  // values are checked for form, not verified: that is the reader's job.
  core::Status seal(std::string_view key_name, std::string_view key_id,
                    std::string_view signature_base64);
  // Seals without a signature (the control plane could not sign), saying why.
  core::Status seal_unsigned(std::string_view why);

  std::uint64_t bytes_up() const { return total_up_; }
  std::uint64_t bytes_down() const { return total_down_; }

 private:
  RecordingWriter(int fd, std::string name, SessionInfo info, WriterOptions options);
  core::Status start();
  core::Status flush_chunk();
  core::Status write_all(const std::uint8_t* data, std::size_t size);  // advances offset_
  core::Status write_raw(const std::uint8_t* data, std::size_t size);
  core::Status leave_direct();
  core::Status write_record(std::string_view magic, std::string_view body);
  core::Status seal_with(std::string body);
  core::Status failed(core::Error e);

  int fd_;
  std::string name_;
  SessionInfo info_;
  WriterOptions options_;
  std::optional<core::Error> error_;
  enum class Phase { kOpen, kFinished, kSealed } phase_ = Phase::kOpen;
  core::Sha256 hasher_;

  // The open chunk: header placeholder, then frames (room for one frame past chunk_bytes). In
  // direct mode the chunk starts after `carry_` bytes not yet written (less than one block,
  // or the file header at first), at a 4 KiB-aligned base_.
  std::unique_ptr<std::uint8_t[]> buf_;
  std::uint8_t* base_ = nullptr;
  std::uint8_t* chunk_ = nullptr;
  std::size_t carry_ = 0;
  bool direct_ = false;
  std::size_t buf_used_ = 0;
  std::uint64_t offset_ = 0;  // file offset where the next record starts (carry included)
  core::Hash chain_{};        // hash of the last written chunk (the header's at first)
  core::Hash header_sha256_{};
  std::uint32_t chunk_frames_ = 0;
  std::uint64_t chunk_up_ = 0, chunk_down_ = 0;
  core::Timestamp chunk_first_, chunk_last_, last_time_;
  std::uint64_t total_up_ = 0, total_down_ = 0, total_frames_ = 0;
  std::vector<ChunkSummary> chunks_;
  core::Hash manifest_sha256_{};
};

// ---- reading and verifying ---------------------------------------------------------------

struct RecordingKey {
  std::string name;          // the journal key's name (its origin)
  std::uint32_t key_id = 0;  // signed-note key ID
  core::Ed25519PublicKey key{};
};

enum class SealState { kSigned, kUnsigned };

struct RecordingReport {
  SessionInfo info;
  core::Timestamp ended;
  std::string reason;
  std::vector<ChunkSummary> chunks;
  std::uint64_t frames = 0, bytes_up = 0, bytes_down = 0;
  core::Hash chain_head{};
  core::Hash manifest_sha256{};
  std::string manifest_json;  // canonical
  SealState seal = SealState::kUnsigned;
  std::string key_name, key_id;  // when signed
  std::string unsigned_reason;   // when unsigned
  bool signature_checked = false;
};

using FrameVisitor =
    std::function<core::Status(Direction d, core::Timestamp at, core::ByteView bytes)>;

struct VerifyOptions {
  // The key the seal's signature must verify under. Without one a signed recording fails
  // (unless check_signature is false).
  std::optional<RecordingKey> key;
  bool check_signature = true;
  // Accept a recording sealed without a signature (it still fails by default).
  bool allow_unsigned = false;
  // Called once the header is read and checked, before any frame.
  std::function<core::Status(const SessionInfo&)> on_header;
  // Called for every frame, in file order, after its chunk's hash has been checked.
  FrameVisitor on_frame;
};

// Reads and checks a whole recording: header, every chunk (layout, frames, times, hash chain),
// the manifest against what the chunks hold, the seal and its signature, and that nothing
// follows. Any problem is an error naming the chunk or field and its byte offset:
//   data_loss            truncation, corruption, reordered/missing chunks, an edited manifest,
//                        no manifest (the session never finished) or no seal (never signed)
//   unauthenticated      a wrong signature or key, or a signed recording and no key to check
//   failed_precondition  an unsigned seal, unless options.allow_unsigned
// Never throws or crashes on garbage; memory is bounded by one chunk and the manifest.
core::Result<RecordingReport> verify_recording(ByteSource& in, const VerifyOptions& options);

}  // namespace pw::formats::recording
