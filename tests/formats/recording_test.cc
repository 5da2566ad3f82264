// Session recordings: round trip, and every kind of damage detected (never a crash).
#include "formats/recording/recording.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <random>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "support/test_support.h"

namespace pw::formats::recording {
namespace {

using pw::testing::read_file;
using pw::testing::TempDir;
using pw::testing::write_file;

constexpr std::int64_t kStart = 1'796'000'000'000'000;  // 2026-11-30

SessionInfo info() {
  return SessionInfo{"ses-1",     "g-7",  "tech-nuctech-1",       "nuctech",
                     "scanner-1", "gw-1", core::Timestamp{kStart}};
}

core::Ed25519PrivateKey test_key(std::uint8_t fill = 7) {
  core::Ed25519Seed seed{};
  seed.fill(fill);
  return *core::Ed25519PrivateKey::from_seed(seed);
}

RecordingKey public_key(const core::Ed25519PrivateKey& k, std::string name = "test.example/log",
                        std::uint32_t id = 0x0a1b2c3d) {
  return RecordingKey{std::move(name), id, k.public_key()};
}

struct Frame {
  Direction d;
  std::int64_t micros;
  std::string bytes;
  bool operator==(const Frame&) const = default;
};

// Writes `frames` and seals with `key` (or unsigned when null); returns the file's bytes.
std::string record(const std::filesystem::path& path, const std::vector<Frame>& frames,
                   const core::Ed25519PrivateKey* key, WriterOptions options = {}) {
  auto w = RecordingWriter::create(path.string(), info(), options);
  EXPECT_TRUE(w.has_value()) << w.error().to_string();
  for (const auto& f : frames) {
    auto st = (*w)->write(f.d, core::Timestamp{f.micros}, core::as_bytes(f.bytes));
    EXPECT_TRUE(st.has_value()) << st.error().to_string();
  }
  auto digest = (*w)->finish(core::Timestamp{kStart + 10'000'000}, "client closed");
  EXPECT_TRUE(digest.has_value());
  if (key != nullptr) {
    auto sig = key->sign(core::as_bytes(signed_message("ses-1", *digest)));
    EXPECT_TRUE((*w)->seal("test.example/log", "0a1b2c3d", core::to_base64(*sig)).has_value());
  } else {
    EXPECT_TRUE((*w)->seal_unsigned("control plane unreachable").has_value());
  }
  return read_file(path);
}

core::Result<RecordingReport> verify_bytes(const std::string& bytes, VerifyOptions options) {
  StringByteSource src(bytes);
  return verify_recording(src, options);
}

VerifyOptions with_key(const core::Ed25519PrivateKey& k) {
  VerifyOptions o;
  o.key = public_key(k);
  return o;
}

std::vector<Frame> small_session() {
  std::vector<Frame> f;
  for (int i = 0; i < 12; ++i) {
    f.push_back(
        {i % 3 == 0 ? Direction::kUp : Direction::kDown, kStart + 1000 * i,
         "frame " + std::to_string(i) + " " + std::string(static_cast<std::size_t>(i), 'x')});
  }
  return f;
}

WriterOptions tiny_chunks() {
  WriterOptions o;
  o.chunk_bytes = 60;
  return o;
}

TEST(Recording, RoundTripOfManyFramesAcrossChunkBoundaries) {
  TempDir dir;
  std::mt19937 rng(42);
  std::vector<Frame> frames;
  std::int64_t t = kStart;
  for (int i = 0; i < 3000; ++i) {
    t += static_cast<std::int64_t>(rng() % 3);  // equal times are allowed
    std::string b(1 + rng() % 2000, '\0');
    for (auto& c : b) c = static_cast<char>(rng());
    frames.push_back({rng() % 2 ? Direction::kUp : Direction::kDown, t, std::move(b)});
  }
  frames.push_back({Direction::kDown, t + 5, std::string(600 * 1024, 'z')});  // split in 3
  WriterOptions o;
  o.chunk_bytes = 64 * 1024;
  const auto key = test_key();
  const std::string bytes = record(dir / "r.pwrec", frames, &key, o);

  std::vector<Frame> seen;
  VerifyOptions v = with_key(key);
  v.on_frame = [&](Direction d, core::Timestamp at, core::ByteView b) -> core::Status {
    seen.push_back({d, at.micros, std::string(b.begin(), b.end())});
    return core::ok();
  };
  auto r = verify_bytes(bytes, v);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_TRUE(r->signature_checked);
  EXPECT_EQ(r->seal, SealState::kSigned);
  EXPECT_GT(r->chunks.size(), 40u);
  EXPECT_EQ(r->info.session, "ses-1");
  EXPECT_EQ(r->info.vendor, "nuctech");
  EXPECT_EQ(r->reason, "client closed");

  // The last write was split into frames of at most 256 KiB; join it back.
  ASSERT_EQ(seen.size(), frames.size() + 2);
  std::string joined;
  for (std::size_t i = frames.size() - 1; i < seen.size(); ++i) joined += seen[i].bytes;
  EXPECT_EQ(joined, frames.back().bytes);
  seen.resize(frames.size() - 1);
  frames.pop_back();
  EXPECT_TRUE(seen == frames);

  std::uint64_t up = 0, down = 0;
  for (const auto& f : frames) (f.d == Direction::kUp ? up : down) += f.bytes.size();
  EXPECT_EQ(r->bytes_up, up);
  EXPECT_EQ(r->bytes_down, down + 600 * 1024);
  // Chunks lie back to back after the header, each at most one frame over the limit.
  for (std::size_t i = 1; i < r->chunks.size(); ++i) {
    EXPECT_EQ(r->chunks[i].offset, r->chunks[i - 1].offset + r->chunks[i - 1].length);
  }
}

// O_DIRECT changes how the bytes reach the disk (whole blocks, the tail carried to the next
// chunk, buffered again from finish()), never which bytes: the files must be identical. Where
// the temp dir's file system refuses O_DIRECT this checks the fallback instead.
TEST(Recording, DirectIoWritesExactlyTheBytesOfABufferedWrite) {
  TempDir dir;
  std::mt19937 rng(7);
  std::vector<Frame> frames;
  std::int64_t t = kStart;
  for (int i = 0; i < 400; ++i) {
    t += static_cast<std::int64_t>(rng() % 5000);
    std::string b(1 + rng() % (i % 50 == 0 ? 300'000 : 9000), '\0');
    for (auto& c : b) c = static_cast<char>(rng());
    frames.push_back({rng() % 2 ? Direction::kUp : Direction::kDown, t, std::move(b)});
  }
  const auto key = test_key();
  for (std::size_t chunk : {std::size_t{60}, std::size_t{4096}, std::size_t{64 << 10}}) {
    WriterOptions plain;
    plain.chunk_bytes = chunk;
    WriterOptions direct = plain;
    direct.direct_io = true;
    const std::string n = std::to_string(chunk);
    const std::string a = record(dir / ("plain-" + n), frames, &key, plain);
    const std::string b = record(dir / ("direct-" + n), frames, &key, direct);
    EXPECT_EQ(a.size(), b.size()) << "chunk_bytes " << chunk;
    EXPECT_TRUE(a == b) << "chunk_bytes " << chunk;
    auto r = verify_bytes(b, with_key(key));
    EXPECT_TRUE(r.has_value()) << r.error().to_string();
  }
}

TEST(Recording, ChunksCloseAfterTheTimeLimitAndOnTick) {
  TempDir dir;
  auto w = RecordingWriter::create((dir / "r").string(), info());
  ASSERT_TRUE(w.has_value());
  // 0.0 s, 0.5 s: one chunk; 1.2 s starts a new one; tick at 2.3 s closes it.
  for (std::int64_t ms : {0, 500, 1200, 1300}) {
    ASSERT_TRUE(
        (*w)->write(Direction::kUp, core::Timestamp{kStart + ms * 1000}, core::as_bytes("k"))
            .has_value());
  }
  const auto size_before = std::filesystem::file_size(dir / "r");
  ASSERT_TRUE((*w)->tick(core::Timestamp{kStart + 1'900'000}).has_value());
  EXPECT_EQ(std::filesystem::file_size(dir / "r"), size_before);  // not yet due
  ASSERT_TRUE((*w)->tick(core::Timestamp{kStart + 2'300'000}).has_value());
  EXPECT_GT(std::filesystem::file_size(dir / "r"), size_before);
  ASSERT_TRUE((*w)->finish(core::Timestamp{kStart + 3'000'000}, "done").has_value());
  ASSERT_TRUE((*w)->seal_unsigned("test").has_value());
  VerifyOptions v;
  v.allow_unsigned = true;
  auto r = verify_bytes(read_file(dir / "r"), v);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  ASSERT_EQ(r->chunks.size(), 2u);
  EXPECT_EQ(r->chunks[0].frames, 2u);
  EXPECT_EQ(r->chunks[1].frames, 2u);
  EXPECT_EQ(r->chunks[1].first.micros, kStart + 1'200'000);
}

TEST(Recording, TimesAreMadeNonDecreasing) {
  TempDir dir;
  auto w = RecordingWriter::create((dir / "r").string(), info());
  ASSERT_TRUE(w.has_value());
  ASSERT_TRUE((*w)->write(Direction::kUp, core::Timestamp{kStart + 50}, core::as_bytes("a")));
  ASSERT_TRUE((*w)->write(Direction::kDown, core::Timestamp{kStart + 10}, core::as_bytes("b")));
  ASSERT_TRUE((*w)->write(Direction::kDown, core::Timestamp{kStart - 99}, core::as_bytes("c")));
  ASSERT_TRUE((*w)->finish(core::Timestamp{0}, "x").has_value());
  ASSERT_TRUE((*w)->seal_unsigned("test").has_value());
  std::vector<std::int64_t> times;
  VerifyOptions v;
  v.allow_unsigned = true;
  v.on_frame = [&](Direction, core::Timestamp at, core::ByteView) -> core::Status {
    times.push_back(at.micros);
    return core::ok();
  };
  auto r = verify_bytes(read_file(dir / "r"), v);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(times, (std::vector<std::int64_t>{kStart + 50, kStart + 50, kStart + 50}));
  EXPECT_EQ(r->ended.micros, kStart + 50);
}

TEST(Recording, EveryFlippedByteIsDetected) {
  TempDir dir;
  const auto key = test_key();
  const std::string good = record(dir / "r", small_session(), &key, tiny_chunks());
  ASSERT_TRUE(verify_bytes(good, with_key(key)).has_value());
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (std::uint8_t mask : {0x01, 0x80}) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      auto r = verify_bytes(bad, with_key(key));
      ASSERT_FALSE(r.has_value()) << "flip at byte " << i << " mask " << int(mask)
                                  << " went undetected";
      EXPECT_FALSE(r.error().message().empty());
    }
  }
}

TEST(Recording, TruncationAnywhereIsDetected) {
  TempDir dir;
  const auto key = test_key();
  const std::string good = record(dir / "r", small_session(), &key, tiny_chunks());
  auto full = verify_bytes(good, with_key(key));
  ASSERT_TRUE(full.has_value());
  ASSERT_GE(full->chunks.size(), 3u);
  // At every chunk boundary: the file ends cleanly after a chunk, with no manifest.
  for (const auto& c : full->chunks) {
    auto r = verify_bytes(good.substr(0, c.offset + c.length), with_key(key));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), core::Code::kDataLoss);
    EXPECT_NE(r.error().message().find("without a manifest"), std::string::npos)
        << r.error().message();
  }
  // And at every other length.
  for (std::size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(verify_bytes(good.substr(0, n), with_key(key)).has_value()) << n;
  }
}

TEST(Recording, ReorderedOrMissingChunksAreNamed) {
  TempDir dir;
  const auto key = test_key();
  const std::string good = record(dir / "r", small_session(), &key, tiny_chunks());
  auto full = verify_bytes(good, with_key(key));
  ASSERT_TRUE(full.has_value());
  const auto& c = full->chunks;
  ASSERT_GE(c.size(), 3u);
  auto piece = [&](std::size_t i) { return good.substr(c[i].offset, c[i].length); };
  const std::string head = good.substr(0, c[0].offset);
  const std::string tail = good.substr(c.back().offset + c.back().length);
  std::string rest;
  for (std::size_t i = 3; i < c.size(); ++i) rest += piece(i);

  auto swapped = verify_bytes(head + piece(0) + piece(2) + piece(1) + rest + tail, with_key(key));
  ASSERT_FALSE(swapped.has_value());
  EXPECT_NE(swapped.error().message().find("has index 2, expected 1"), std::string::npos)
      << swapped.error().message();

  auto missing = verify_bytes(head + piece(0) + piece(2) + rest + tail, with_key(key));
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message().find("missing"), std::string::npos);

  // A chunk renumbered to fit still breaks the chain.
  std::string renum = piece(2);
  renum[7] = 1;
  auto chained = verify_bytes(head + piece(0) + renum + rest + tail, with_key(key));
  ASSERT_FALSE(chained.has_value());
  EXPECT_NE(chained.error().message().find("chunk 1 at byte"), std::string::npos)
      << chained.error().message();
}

TEST(Recording, AnEditedManifestIsDetected) {
  TempDir dir;
  const auto key = test_key();
  const std::string good = record(dir / "r", small_session(), &key);
  // Same length, still canonical: only the digests can tell.
  std::string bad = good;
  bad.replace(bad.find("client closed"), 13, "client-closed");
  auto r = verify_bytes(bad, with_key(key));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("seal.manifest_sha256"), std::string::npos);

  // A manifest whose totals lie.
  bad = good;
  const auto at = bad.find("\"frames\":12");
  ASSERT_NE(at, std::string::npos);
  bad[at + 10] = '3';
  r = verify_bytes(bad, with_key(key));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("manifest."), std::string::npos) << r.error().message();
}

TEST(Recording, AnUnsignedRecordingFailsUnlessAllowed) {
  TempDir dir;
  const std::string bytes = record(dir / "r", small_session(), nullptr);
  auto r = verify_bytes(bytes, VerifyOptions{});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), core::Code::kFailedPrecondition);
  EXPECT_NE(r.error().message().find("control plane unreachable"), std::string::npos);
  VerifyOptions allow;
  allow.allow_unsigned = true;
  auto ok = verify_bytes(bytes, allow);
  ASSERT_TRUE(ok.has_value()) << ok.error().to_string();
  EXPECT_EQ(ok->seal, SealState::kUnsigned);
  EXPECT_FALSE(ok->signature_checked);
}

TEST(Recording, AWrongKeyOrNoKeyFails) {
  TempDir dir;
  const auto key = test_key(7);
  const auto other = test_key(8);
  const std::string bytes = record(dir / "r", small_session(), &key);

  auto wrong = verify_bytes(bytes, with_key(other));
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code(), core::Code::kUnauthenticated);
  EXPECT_NE(wrong.error().message().find("does not verify"), std::string::npos);

  VerifyOptions renamed;
  renamed.key = public_key(key, "other.example/log");
  EXPECT_EQ(verify_bytes(bytes, renamed).error().code(), core::Code::kUnauthenticated);
  VerifyOptions other_id;
  other_id.key = public_key(key, "test.example/log", 0x11111111);
  EXPECT_EQ(verify_bytes(bytes, other_id).error().code(), core::Code::kUnauthenticated);
  EXPECT_EQ(verify_bytes(bytes, VerifyOptions{}).error().code(), core::Code::kUnauthenticated);
  // A signature over another session's message does not carry over.
  auto w = RecordingWriter::create((dir / "r2").string(), info());
  ASSERT_TRUE((*w)->write(Direction::kUp, core::Timestamp{kStart}, core::as_bytes("x")));
  auto digest = (*w)->finish(core::Timestamp{kStart + 1}, "x");
  auto sig = key.sign(core::as_bytes(signed_message("ses-2", *digest)));
  ASSERT_TRUE((*w)->seal("test.example/log", "0a1b2c3d", core::to_base64(*sig)).has_value());
  EXPECT_EQ(verify_bytes(read_file(dir / "r2"), with_key(key)).error().code(),
            core::Code::kUnauthenticated);
}

TEST(Recording, UnfinishedAndUnsealedRecordingsFail) {
  TempDir dir;
  {
    auto w = RecordingWriter::create((dir / "a").string(), info(), tiny_chunks());
    for (const auto& f : small_session()) {
      ASSERT_TRUE((*w)->write(f.d, core::Timestamp{f.micros}, core::as_bytes(f.bytes)));
    }
  }  // the gateway died: no manifest
  auto a = verify_bytes(read_file(dir / "a"), VerifyOptions{});
  ASSERT_FALSE(a.has_value());
  EXPECT_NE(a.error().message().find("without a manifest"), std::string::npos);
  {
    auto w = RecordingWriter::create((dir / "b").string(), info());
    ASSERT_TRUE((*w)->finish(core::Timestamp{kStart}, "x").has_value());
  }
  auto b = verify_bytes(read_file(dir / "b"), VerifyOptions{});
  ASSERT_FALSE(b.has_value());
  EXPECT_NE(b.error().message().find("not sealed"), std::string::npos);
}

TEST(Recording, TheWriterRefusesMisuse) {
  TempDir dir;
  write_file(dir / "exists", "x");
  EXPECT_EQ(RecordingWriter::create((dir / "exists").string(), info()).error().code(),
            core::Code::kAlreadyExists);
  EXPECT_EQ(read_file(dir / "exists"), "x");
  SessionInfo none = info();
  none.session.clear();
  EXPECT_FALSE(RecordingWriter::create((dir / "n").string(), none).has_value());
  auto w = RecordingWriter::create((dir / "r").string(), info());
  ASSERT_TRUE(w.has_value());
  EXPECT_FALSE((*w)->seal_unsigned("early").has_value());  // finish() first
  ASSERT_TRUE((*w)->finish(core::Timestamp{kStart}, "x").has_value());
  EXPECT_FALSE((*w)->write(Direction::kUp, core::Timestamp{kStart}, core::as_bytes("late")));
  EXPECT_FALSE((*w)->seal("bad name", "0a1b2c3d", std::string(88, 'A')).has_value());
  EXPECT_FALSE((*w)->seal("k", "XYZ", std::string(88, 'A')).has_value());
  EXPECT_FALSE((*w)->seal("k", "0a1b2c3d", "not base64").has_value());
}

TEST(Recording, AFullFileSystemIsReported) {
  int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  auto w = RecordingWriter::adopt_fd(fd, "/dev/full", info());
  ASSERT_FALSE(w.has_value());
  EXPECT_EQ(w.error().code(), core::Code::kUnavailable);
  EXPECT_NE(w.error().message().find("/dev/full"), std::string::npos) << w.error().message();
}

TEST(Recording, AFailedWriteMidSessionIsReportedAndSticks) {
  TempDir dir;
  const int fd = ::open((dir / "r").c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  auto w = RecordingWriter::adopt_fd(fd, (dir / "r").string(), info());
  ASSERT_TRUE(w.has_value());
  ASSERT_TRUE((*w)->write(Direction::kUp, core::Timestamp{kStart}, core::as_bytes("hello")));
  // The descriptor goes bad under the writer: replaced by one open read-only (the writer still
  // owns and closes it, so nothing is closed twice).
  const int ro = ::open((dir / "r").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(ro, 0);
  ASSERT_EQ(::dup2(ro, fd), fd);
  ::close(ro);
  const std::string big(2 << 20, 'b');
  auto st = (*w)->write(Direction::kDown, core::Timestamp{kStart + 1}, core::as_bytes(big));
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code(), core::Code::kUnavailable);
  EXPECT_NE(st.error().message().find("cannot write recording"), std::string::npos);
  // Every later call reports the same failure.
  EXPECT_FALSE((*w)->write(Direction::kUp, core::Timestamp{kStart + 2}, core::as_bytes("x")));
  EXPECT_FALSE((*w)->tick(core::Timestamp{kStart + 9'000'000}));
  EXPECT_FALSE((*w)->finish(core::Timestamp{kStart + 3}, "x").has_value());
}

TEST(Recording, GarbageNeverCrashes) {
  const auto key = test_key();
  std::mt19937 rng(7);
  EXPECT_FALSE(verify_bytes("", with_key(key)).has_value());
  EXPECT_FALSE(verify_bytes(std::string("PWREC\0\1\n", 8) + "\xff\xff\xff\xff", with_key(key)));
  for (int i = 0; i < 300; ++i) {
    std::string junk(rng() % 4096, '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    if (i % 2 == 0) junk.replace(0, 8, std::string("PWREC\0\1\n", 8));
    EXPECT_FALSE(verify_bytes(junk, with_key(key)).has_value());
  }
  // Random multi-byte damage to a real recording.
  TempDir dir;
  const std::string good = record(dir / "r", small_session(), &key, tiny_chunks());
  for (int i = 0; i < 2000; ++i) {
    std::string bad = good;
    for (int k = 0; k < 1 + static_cast<int>(rng() % 4); ++k) {
      bad[rng() % bad.size()] = static_cast<char>(rng());
    }
    if (bad == good) continue;
    EXPECT_FALSE(verify_bytes(bad, with_key(key)).has_value()) << i;
  }
}

}  // namespace
}  // namespace pw::formats::recording
