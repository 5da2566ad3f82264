// `portwarden recording verify|export` on recordings signed with a journal's own key.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "app/keys.h"
#include "app/recording_audit.h"
#include "cli/cli_test_util.h"
#include "formats/recording/recording.h"

namespace pw::testing {
namespace {

namespace rec = formats::recording;

constexpr std::int64_t kStart = 1'796'000'000'000'000;

struct Frame {
  rec::Direction d;
  std::int64_t micros;
  std::string bytes;
};

// A terminal-like session; "é" (C3 A9) is split across two frames.
std::vector<Frame> session_frames() {
  return {{rec::Direction::kDown, kStart + 100'000, "login: "},
          {rec::Direction::kUp, kStart + 900'000, "tech\r"},
          {rec::Direction::kDown, kStart + 1'000'000, "caf\xc3"},
          {rec::Direction::kDown, kStart + 1'000'500, "\xa9 $ "},
          {rec::Direction::kUp, kStart + 2'500'000, std::string("ls\r\0\xff", 5)},
          {rec::Direction::kDown, kStart + 2'600'000, "scan.log\r\n$ "}};
}

struct Recorded {
  std::string path;
  core::Hash manifest{};
};

// Records session_frames() for `session` and seals it with the journal key at `key_path`
// (through the same function the control plane uses), or unsigned when key_path is empty.
Recorded record(const std::filesystem::path& path, const std::string& session,
                const std::string& key_path) {
  rec::SessionInfo info{session,     "g-7",  "tech-nuctech-1",       "nuctech",
                        "scanner-1", "gw-1", core::Timestamp{kStart}};
  rec::WriterOptions small;
  small.chunk_bytes = 16;
  auto w = rec::RecordingWriter::create(path.string(), info, small);
  EXPECT_TRUE(w.has_value());
  for (const auto& f : session_frames()) {
    EXPECT_TRUE((*w)->write(f.d, core::Timestamp{f.micros}, core::as_bytes(f.bytes)));
  }
  auto digest = (*w)->finish(core::Timestamp{kStart + 3'000'000}, "client closed");
  EXPECT_TRUE(digest.has_value());
  if (key_path.empty()) {
    EXPECT_TRUE((*w)->seal_unsigned("control plane unreachable"));
  } else {
    auto signer = app::load_key_file(key_path);
    EXPECT_TRUE(signer.has_value()) << signer.error().to_string();
    auto sig = app::sign_recording_manifest(*signer, session, *digest);
    EXPECT_TRUE(sig.has_value()) << sig.error().to_string();
    EXPECT_TRUE((*w)->seal(sig->key_name, sig->key_id, sig->signature));
  }
  return {path.string(), *digest};
}

void journal_close(const JournalDir& j, const std::string& session, const std::string& digest) {
  nlohmann::json payload{{"session", session},
                         {"reason", "client closed"},
                         {"bytes_up", 9},
                         {"bytes_down", 27},
                         {"manifest_sha256", digest}};
  auto r =
      j.run({"journal", "append", "--type", "gateway.session.closed", "--payload", payload.dump()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

TEST(RecordingCli, VerifiesWithTheJournalKeyAndFindsTheJournaledDigest) {
  JournalDir j;
  auto r = record(j.dir() / "ses-1.pwrec", "ses-1", j.key());

  auto v = j.run({"recording", "verify", r.path});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("VALID: recording signed by test.example/log"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("NOT journaled"), std::string::npos) << v.out;

  journal_close(j, "ses-1", core::to_hex(r.manifest));
  v = j.run({"recording", "verify", r.path, "--json"});
  ASSERT_EQ(v.exit_code, 0) << v.out << v.err;
  auto doc = nlohmann::json::parse(v.out);
  EXPECT_EQ(doc["valid"], true);
  EXPECT_EQ(doc["journal"], "journaled");
  EXPECT_EQ(doc["journal_entry"], 1);
  EXPECT_EQ(doc["signature_checked"], true);
  EXPECT_EQ(doc["recording"]["session"], "ses-1");
  EXPECT_EQ(doc["recording"]["bytes_up"], 10);
  EXPECT_EQ(doc["recording"]["manifest_sha256"], core::to_hex(r.manifest));
}

TEST(RecordingCli, AFlippedByteIsInvalid) {
  JournalDir j;
  auto r = record(j.dir() / "ses-1.pwrec", "ses-1", j.key());
  std::string bytes = read_file(r.path);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x20);
  write_file(j.dir() / "bad.pwrec", bytes);
  auto v = j.run({"recording", "verify", (j.dir() / "bad.pwrec").string()});
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_NE(v.out.find("INVALID: "), std::string::npos) << v.out;
  auto e = j.run({"recording", "export", (j.dir() / "bad.pwrec").string(), "--out",
                  (j.dir() / "out").string()});
  EXPECT_NE(e.exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(j.dir() / "out"));  // nothing half-written is left
}

TEST(RecordingCli, AJournaledDigestThatDiffersIsInvalid) {
  JournalDir j;
  auto r = record(j.dir() / "ses-2.pwrec", "ses-2", j.key());
  journal_close(j, "ses-2", std::string(64, 'a'));
  auto v = j.run({"recording", "verify", r.path});
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_NE(v.out.find("not this recording's"), std::string::npos) << v.out;
}

TEST(RecordingCli, WrongKeyAndUnsignedAndNoKey) {
  JournalDir j, other;
  auto r = record(j.dir() / "ses-1.pwrec", "ses-1", other.key());
  auto v = j.run({"recording", "verify", r.path});
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  // Same key name (both journals are test.example/log), another key.
  EXPECT_NE(v.out.find("not by the expected key's ID"), std::string::npos) << v.out;

  // With the signing journal's verifier key given explicitly and no database: valid.
  auto vkey = app::load_key_file(other.key())->verifier_key();
  write_file(j.dir() / "other.vkey", vkey + "\n");
  v = run_portwarden({"--db", (j.dir() / "none.db").string(), "recording", "verify", r.path,
                      "--public-key", (j.dir() / "other.vkey").string()});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("not checked (no database"), std::string::npos) << v.out;
  // No key anywhere: the check cannot run (not a verdict).
  v = run_portwarden({"--db", (j.dir() / "none.db").string(), "recording", "verify", r.path});
  EXPECT_EQ(v.exit_code, 3) << v.out << v.err;
  EXPECT_NE(v.err.find("--public-key"), std::string::npos) << v.err;

  auto u = record(j.dir() / "ses-3.pwrec", "ses-3", "");
  v = j.run({"recording", "verify", u.path});
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_NE(v.out.find("not signed (control plane unreachable)"), std::string::npos) << v.out;
  v = j.run({"recording", "verify", u.path, "--allow-unsigned"});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("UNSIGNED"), std::string::npos) << v.out;

  v = j.run({"recording", "verify", (j.dir() / "missing.pwrec").string()});
  EXPECT_EQ(v.exit_code, 3) << v.out << v.err;
}

TEST(RecordingCli, ExportRawJsonlAndAsciicastMatchTheInput) {
  JournalDir j;
  auto r = record(j.dir() / "ses-1.pwrec", "ses-1", j.key());
  std::string up, down;
  for (const auto& f : session_frames()) (f.d == rec::Direction::kUp ? up : down) += f.bytes;

  auto e = j.run({"recording", "export", r.path, "--out", (j.dir() / "raw").string()});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_EQ(read_file(j.dir() / "raw" / "client-to-server.bin"), up);
  EXPECT_EQ(read_file(j.dir() / "raw" / "server-to-client.bin"), down);
  auto manifest = nlohmann::json::parse(read_file(j.dir() / "raw" / "manifest.json"));
  EXPECT_EQ(manifest["session"], "ses-1");

  e = j.run(
      {"recording", "export", r.path, "--out", (j.dir() / "jsonl").string(), "--format", "jsonl"});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  std::istringstream lines(read_file(j.dir() / "jsonl" / "frames.jsonl"));
  std::string line;
  std::size_t i = 0;
  const auto frames = session_frames();
  while (std::getline(lines, line)) {
    ASSERT_LT(i, frames.size());
    auto doc = nlohmann::json::parse(line);
    auto data = core::from_base64(doc["data"].get<std::string>());
    ASSERT_TRUE(data.has_value());
    EXPECT_EQ(std::string(data->begin(), data->end()), frames[i].bytes);
    EXPECT_EQ(doc["direction"], frames[i].d == rec::Direction::kUp ? "up" : "down");
    EXPECT_EQ(doc["time"], core::format_rfc3339(core::Timestamp{frames[i].micros}));
    ++i;
  }
  EXPECT_EQ(i, frames.size());

  e = j.run({"recording", "export", r.path, "--out", (j.dir() / "cast").string(), "--format",
             "asciicast"});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  std::istringstream cast(read_file(j.dir() / "cast" / "session.cast"));
  ASSERT_TRUE(std::getline(cast, line));
  auto header = nlohmann::json::parse(line);
  EXPECT_EQ(header["version"], 2);
  EXPECT_EQ(header["timestamp"], kStart / 1'000'000);
  std::string out_text, in_text;
  std::vector<double> times;
  while (std::getline(cast, line)) {
    auto ev = nlohmann::json::parse(line);
    times.push_back(ev[0].get<double>());
    (ev[1] == "o" ? out_text : in_text) += ev[2].get<std::string>();
  }
  EXPECT_EQ(out_text, down);  // valid UTF-8 throughout; the split "é" arrives whole
  EXPECT_EQ(in_text, std::string("tech\rls\r\0\xef\xbf\xbd", 12));  // 0xff becomes U+FFFD
  ASSERT_EQ(times.size(), 6u);  // "caf" at 1.0 s; "é" (held back) with the next frame
  EXPECT_DOUBLE_EQ(times.front(), 0.1);
  EXPECT_DOUBLE_EQ(times.back(), 2.6);

  // An export never overwrites.
  e = j.run({"recording", "export", r.path, "--out", (j.dir() / "raw").string()});
  EXPECT_EQ(e.exit_code, 3) << e.err;
  e = j.run({"recording", "export", r.path, "--out", (j.dir() / "x").string(), "--format", "pdf"});
  EXPECT_EQ(e.exit_code, 2) << e.err;
}

}  // namespace
}  // namespace pw::testing
