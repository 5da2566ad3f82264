#pragma once
// The byte layout of a recording file (docs/RECORDING.md), shared by the writer and the reader.
// All integers are big-endian.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pw::formats::recording::internal {

// File header: magic (8) | u32 length | header JSON (canonical).
inline constexpr std::string_view kFileMagic{"PWREC\x00\x01\n", 8};
// Record tags (4 bytes each).
inline constexpr std::string_view kChunkTag = "PWCK";
inline constexpr std::string_view kManifestTag = "PWMF";
inline constexpr std::string_view kSealTag = "PWSL";

inline constexpr std::string_view kFormatName = "portwarden-recording-v1";
inline constexpr std::string_view kSignedPrefix = "portwarden-recording-manifest-v1\n";

// Chunk record: tag (4) | u32 index | u32 frames | u32 payload length | payload | hash (32).
inline constexpr std::size_t kChunkHeaderSize = 16;
inline constexpr std::size_t kHashSize = 32;
// Frame: u8 direction | i64 time (microseconds since the epoch) | u32 length | bytes.
inline constexpr std::size_t kFrameHeaderSize = 13;

// Largest frame the writer produces (bigger reads are split) and the reader accepts.
inline constexpr std::uint32_t kMaxFrameBytes = 256 * 1024;
// The reader's limits: anything larger is corruption, not a recording this writer made.
inline constexpr std::uint32_t kMaxChunkPayload = 16 * 1024 * 1024;
inline constexpr std::uint32_t kMaxHeaderJson = 64 * 1024;
inline constexpr std::uint32_t kMaxManifestJson = 64 * 1024 * 1024;
inline constexpr std::uint32_t kMaxSealJson = 64 * 1024;

inline void put_u32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}
inline void put_u64(std::uint8_t* p, std::uint64_t v) {
  put_u32(p, static_cast<std::uint32_t>(v >> 32));
  put_u32(p + 4, static_cast<std::uint32_t>(v));
}
inline std::uint32_t get_u32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}
inline std::uint64_t get_u64(const std::uint8_t* p) {
  return (std::uint64_t{get_u32(p)} << 32) | get_u32(p + 4);
}

}  // namespace pw::formats::recording::internal
