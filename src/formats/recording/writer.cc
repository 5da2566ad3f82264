// The recording writer: one session, one thread, chunks hashed into a chain (docs/RECORDING.md).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/canonical_json.h"
#include "formats/recording/internal/layout.h"
#include "formats/recording/internal/manifest.h"
#include "formats/recording/recording.h"

namespace pw::formats::recording {

using namespace internal;

std::string_view direction_name(Direction d) {
  return d == Direction::kUp ? "up" : "down";
}

std::string signed_message(std::string_view session, const core::Hash& manifest_sha256) {
  std::string m(kSignedPrefix);
  m.append(session);
  m += '\n';
  m += core::to_hex(manifest_sha256);
  m += '\n';
  return m;
}

namespace {

constexpr std::size_t kBlock = 4096;  // O_DIRECT alignment of buffer, offset and length

bool is_hex_lower(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

RecordingWriter::RecordingWriter(int fd, std::string name, SessionInfo info, WriterOptions options)
    : fd_(fd), name_(std::move(name)), info_(std::move(info)), options_(options) {}

RecordingWriter::~RecordingWriter() {
  if (fd_ >= 0) ::close(fd_);
}

core::Result<std::unique_ptr<RecordingWriter>> RecordingWriter::create(const std::string& path,
                                                                       SessionInfo info,
                                                                       WriterOptions options) {
  const int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
  int fd = ::open(path.c_str(), flags | (options.direct_io ? O_DIRECT : 0), 0600);
  if (fd < 0 && options.direct_io && errno == EINVAL) fd = ::open(path.c_str(), flags, 0600);
  if (fd < 0) {
    int err = errno;
    std::string what = "cannot create recording " + path + ": " + std::strerror(err);
    if (err == EEXIST) return core::already_exists(what);
    return core::unavailable(what);
  }
  return adopt_fd(fd, path, std::move(info), options);
}

core::Result<std::unique_ptr<RecordingWriter>> RecordingWriter::adopt_fd(int fd, std::string name,
                                                                         SessionInfo info,
                                                                         WriterOptions options) {
  std::unique_ptr<RecordingWriter> w(
      new RecordingWriter(fd, std::move(name), std::move(info), options));
  if (w->info_.session.empty()) return core::invalid_argument("recording: session is empty");
  if (options.chunk_bytes == 0 || options.chunk_bytes > kMaxChunkPayload / 2) {
    return core::invalid_argument("recording: chunk_bytes must be in 1.." +
                                  std::to_string(kMaxChunkPayload / 2));
  }
  PW_TRY(w->start());
  return w;
}

core::Status RecordingWriter::failed(core::Error e) {
  error_ = e;
  return std::unexpected(std::move(e));
}

core::Status RecordingWriter::write_raw(const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd_, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EINVAL && direct_) {
        // The file system took the open but not the write: write buffered from now on (the
        // staging stays, so the bytes and offsets are the same).
        const int fl = ::fcntl(fd_, F_GETFL);
        if (fl >= 0 && (fl & O_DIRECT) != 0 && ::fcntl(fd_, F_SETFL, fl & ~O_DIRECT) == 0) continue;
      }
      return failed(core::Error(core::Code::kUnavailable,
                                "cannot write recording " + name_ + ": " + std::strerror(errno)));
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return core::ok();
}

core::Status RecordingWriter::write_all(const std::uint8_t* data, std::size_t size) {
  PW_TRY(write_raw(data, size));
  offset_ += size;
  return core::ok();
}

core::Status RecordingWriter::leave_direct() {
  if (!direct_) return core::ok();
  const int fl = ::fcntl(fd_, F_GETFL);
  if (fl >= 0 && (fl & O_DIRECT) != 0 && ::fcntl(fd_, F_SETFL, fl & ~O_DIRECT) != 0) {
    return failed(core::Error(core::Code::kUnavailable, "cannot leave O_DIRECT on recording " +
                                                            name_ + ": " + std::strerror(errno)));
  }
  PW_TRY(write_raw(base_, carry_));  // already counted in offset_
  direct_ = false;
  carry_ = 0;
  chunk_ = base_;
  return core::ok();
}

core::Status RecordingWriter::write_record(std::string_view magic, std::string_view body) {
  std::string rec(magic);
  std::uint8_t len[4];
  put_u32(len, static_cast<std::uint32_t>(body.size()));
  rec.append(reinterpret_cast<const char*>(len), 4);
  rec.append(body);
  return write_all(reinterpret_cast<const std::uint8_t*>(rec.data()), rec.size());
}

core::Status RecordingWriter::start() {
  auto header = core::canonical_dump(session_json(info_));
  if (!header) return failed(header.error().with_context("recording header"));
  if (header->size() > kMaxHeaderJson) {
    return failed(core::Error(core::Code::kInvalidArgument, "recording header is too large"));
  }
  std::string rec(kFileMagic);
  std::uint8_t len[4];
  put_u32(len, static_cast<std::uint32_t>(header->size()));
  rec.append(reinterpret_cast<const char*>(len), 4);
  rec += *header;
  header_sha256_ = hasher_.digest(core::as_bytes(rec));
  chain_ = header_sha256_;
  last_time_ = info_.started;  // frames never predate the session
  const int fl = ::fcntl(fd_, F_GETFL);
  direct_ = options_.direct_io && fl >= 0 && (fl & O_DIRECT) != 0;
  // Direct mode stages the header as the first carry, so every direct write starts on a block.
  const std::size_t prefix =
      direct_ ? ((std::max(rec.size(), kBlock) + kBlock - 1) & ~(kBlock - 1)) : 0;
  // One allocation for the session: a full chunk plus the largest frame and the trailing hash
  // (and the carry and alignment in direct mode). Not value-initialised: the allocator maps it
  // untouched, so an idle session's resident memory is the pages its frames have filled.
  const std::size_t align = direct_ ? kBlock : 0;
  buf_ = std::make_unique_for_overwrite<std::uint8_t[]>(align + prefix + kChunkHeaderSize +
                                                        options_.chunk_bytes + kFrameHeaderSize +
                                                        kMaxFrameBytes + kHashSize);
  base_ = buf_.get();
  if (direct_) {
    const auto addr = reinterpret_cast<std::uintptr_t>(base_);
    base_ += ((addr + kBlock - 1) & ~std::uintptr_t{kBlock - 1}) - addr;
    std::memcpy(base_, rec.data(), rec.size());
    carry_ = rec.size();
    offset_ += rec.size();
  } else {
    PW_TRY(write_all(reinterpret_cast<const std::uint8_t*>(rec.data()), rec.size()));
  }
  chunk_ = base_ + carry_;
  buf_used_ = kChunkHeaderSize;
  return core::ok();
}

core::Status RecordingWriter::write(Direction d, core::Timestamp at, core::ByteView bytes) {
  if (error_) return std::unexpected(*error_);
  if (phase_ != Phase::kOpen) {
    return core::failed_precondition("recording " + name_ + " is finished; no more frames");
  }
  if (d != Direction::kUp && d != Direction::kDown) {
    return core::invalid_argument("recording: unknown direction");
  }
  if (at < last_time_) at = last_time_;
  while (!bytes.empty()) {
    if (chunk_frames_ > 0 && at.micros - chunk_first_.micros >= options_.chunk_micros) {
      PW_TRY(flush_chunk());
    }
    const std::size_t n = std::min<std::size_t>(bytes.size(), kMaxFrameBytes);
    std::uint8_t* p = chunk_ + buf_used_;
    p[0] = static_cast<std::uint8_t>(d);
    put_u64(p + 1, static_cast<std::uint64_t>(at.micros));
    put_u32(p + 9, static_cast<std::uint32_t>(n));
    std::memcpy(p + kFrameHeaderSize, bytes.data(), n);
    buf_used_ += kFrameHeaderSize + n;
    if (chunk_frames_ == 0) chunk_first_ = at;
    chunk_last_ = last_time_ = at;
    ++chunk_frames_;
    (d == Direction::kUp ? chunk_up_ : chunk_down_) += n;
    (d == Direction::kUp ? total_up_ : total_down_) += n;
    bytes = bytes.subspan(n);
    if (buf_used_ - kChunkHeaderSize >= options_.chunk_bytes) PW_TRY(flush_chunk());
  }
  return core::ok();
}

core::Status RecordingWriter::tick(core::Timestamp now) {
  if (error_) return std::unexpected(*error_);
  if (phase_ == Phase::kOpen && chunk_frames_ > 0 &&
      now.micros - chunk_first_.micros >= options_.chunk_micros) {
    return flush_chunk();
  }
  return core::ok();
}

core::Status RecordingWriter::flush_chunk() {
  if (chunk_frames_ == 0) return core::ok();
  const std::size_t payload = buf_used_ - kChunkHeaderSize;
  std::uint8_t* p = chunk_;
  std::memcpy(p, kChunkTag.data(), 4);
  const auto index = static_cast<std::uint32_t>(chunks_.size());
  put_u32(p + 4, index);
  put_u32(p + 8, chunk_frames_);
  put_u32(p + 12, static_cast<std::uint32_t>(payload));
  // The chain: this chunk's hash covers the previous one's, so no chunk can be dropped,
  // reordered or moved to another recording without breaking every hash after it.
  hasher_.update(core::ByteView(chain_.data(), chain_.size()));
  const core::Hash h = hasher_.digest(core::ByteView(p, buf_used_));
  std::memcpy(p + buf_used_, h.data(), kHashSize);

  ChunkSummary e;
  e.index = index;
  e.offset = offset_;
  e.length = buf_used_ + kHashSize;
  e.sha256 = h;
  e.frames = chunk_frames_;
  e.bytes_up = chunk_up_;
  e.bytes_down = chunk_down_;
  e.first = chunk_first_;
  e.last = chunk_last_;
  if (direct_) {
    // Whole blocks from the aligned base go now; the tail (less than a block) moves to the
    // front and becomes the next chunk's carry.
    const std::size_t total = carry_ + buf_used_ + kHashSize;
    const std::size_t whole = total & ~(kBlock - 1);
    PW_TRY(write_raw(base_, whole));
    std::memmove(base_, base_ + whole, total - whole);
    carry_ = total - whole;
    chunk_ = base_ + carry_;
    offset_ += buf_used_ + kHashSize;
  } else {
    PW_TRY(write_all(p, buf_used_ + kHashSize));
  }
  chunks_.push_back(e);
  chain_ = h;
  total_frames_ += chunk_frames_;
  buf_used_ = kChunkHeaderSize;
  chunk_frames_ = 0;
  chunk_up_ = chunk_down_ = 0;
  return core::ok();
}

core::Result<core::Hash> RecordingWriter::finish(core::Timestamp ended, std::string_view reason) {
  if (error_) return std::unexpected(*error_);
  if (phase_ != Phase::kOpen) {
    return core::failed_precondition("recording " + name_ + " is already finished");
  }
  PW_TRY(flush_chunk());
  PW_TRY(leave_direct());
  if (ended < last_time_) ended = last_time_;
  if (ended < info_.started) ended = info_.started;
  const nlohmann::json m = manifest_json(info_, ended, reason, header_sha256_, chunks_,
                                         total_frames_, total_up_, total_down_, chain_);
  auto text = core::canonical_dump(m);
  if (!text) return std::unexpected(*(error_ = text.error().with_context("recording manifest")));
  if (text->size() > kMaxManifestJson) {
    return std::unexpected(*(
        error_ = core::Error(core::Code::kInternal, "recording manifest exceeds its size limit")));
  }
  PW_TRY(write_record(kManifestTag, *text));
  manifest_sha256_ = hasher_.digest(core::as_bytes(*text));
  phase_ = Phase::kFinished;
  return manifest_sha256_;
}

core::Status RecordingWriter::seal_with(std::string body) {
  PW_TRY(write_record(kSealTag, body));
  if (::fsync(fd_) != 0 && errno != EINVAL && errno != EROFS) {
    return failed(core::Error(core::Code::kUnavailable,
                              "cannot fsync recording " + name_ + ": " + std::strerror(errno)));
  }
  int fd = fd_;
  fd_ = -1;
  phase_ = Phase::kSealed;
  if (::close(fd) != 0) {
    return failed(core::Error(core::Code::kUnavailable,
                              "cannot close recording " + name_ + ": " + std::strerror(errno)));
  }
  return core::ok();
}

core::Status RecordingWriter::seal(std::string_view key_name, std::string_view key_id,
                                   std::string_view signature_base64) {
  if (error_) return std::unexpected(*error_);
  if (phase_ != Phase::kFinished) {
    return core::failed_precondition("recording " + name_ + ": seal needs finish() first, once");
  }
  if (key_name.empty() || key_name.size() > 256 ||
      key_name.find_first_of(" \t\n\r+") != std::string_view::npos) {
    return core::invalid_argument("recording seal: key_name is empty or malformed");
  }
  if (key_id.size() != 8 || !is_hex_lower(key_id)) {
    return core::invalid_argument("recording seal: key_id must be 8 lower-case hex digits");
  }
  auto sig = core::from_base64(signature_base64);
  if (!sig || sig->size() != core::kEd25519SignatureSize) {
    return core::invalid_argument("recording seal: signature must be 64 bytes in base64");
  }
  nlohmann::json s{{"manifest_sha256", core::to_hex(manifest_sha256_)},
                   {"key_name", std::string(key_name)},
                   {"key_id", std::string(key_id)},
                   {"signature", std::string(signature_base64)}};
  auto text = core::canonical_dump(s);
  if (!text) return core::invalid_argument(text.error().with_context("recording seal").message());
  return seal_with(std::move(*text));
}

core::Status RecordingWriter::seal_unsigned(std::string_view why) {
  if (error_) return std::unexpected(*error_);
  if (phase_ != Phase::kFinished) {
    return core::failed_precondition("recording " + name_ + ": seal needs finish() first, once");
  }
  nlohmann::json s{{"manifest_sha256", core::to_hex(manifest_sha256_)},
                   {"unsigned", why.empty() ? std::string("no reason given") : std::string(why)}};
  auto text = core::canonical_dump(s);
  if (!text || text->size() > kMaxSealJson) {
    return core::invalid_argument("recording seal: the reason is not valid UTF-8 or too long");
  }
  return seal_with(std::move(*text));
}

}  // namespace pw::formats::recording
