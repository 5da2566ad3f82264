// The journal commands through the real binary: happy paths, output formats and exit codes.
#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/cli_test_util.h"

namespace pw::testing {
namespace {

using nlohmann::json;

TEST(JournalCli, InitCreatesDatabaseAndOwnerOnlyKey) {
  JournalDir j;
  struct stat st {};
  ASSERT_EQ(stat(j.key().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(stat(j.db().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u);
}

TEST(JournalCli, InitRefusesToOverwrite) {
  JournalDir j;
  std::string key_before = read_file(j.key());
  auto r = j.run({"init"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(j.key()), key_before);
}

TEST(JournalCli, InitRefusesExistingKeyAndLeavesNoDatabase) {
  TempDir d;
  write_file(d / "j.key", "something precious\n");
  auto r = run_portwarden({"--db", (d / "j.db").string(), "init"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_FALSE(std::filesystem::exists(d / "j.db"));
  EXPECT_EQ(read_file(d / "j.key"), "something precious\n");
}

TEST(JournalCli, AppendPrintsSequenceNumbersInOrder) {
  JournalDir j;
  auto r = j.run({"journal", "append", "--type", "operator.note", "--payload", R"({"text":"a"})"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1\n");  // entry 0 is journal.initialized
  r = j.run({"--json", "journal", "append", "--type", "ops.test_event"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json out = json::parse(r.out);
  EXPECT_EQ(out["seq"], 2);
  EXPECT_EQ(out["leaf_hash"].get<std::string>().size(), 64u);
}

TEST(JournalCli, CheckpointIsASignedNoteThatVerifiesWithTheKey) {
  JournalDir j;
  ASSERT_TRUE(j.append_notes(5));
  auto cp = j.run({"journal", "checkpoint"});
  ASSERT_EQ(cp.exit_code, 0) << cp.err;
  EXPECT_EQ(cp.out.rfind("test.example/log\n6\n", 0), 0u) << cp.out;
  // Same size: the same checkpoint comes back, not a new one.
  EXPECT_EQ(j.run({"journal", "checkpoint"}).out, cp.out);

  ASSERT_EQ(j.run({"journal", "export", (j.dir() / "bundle").string()}).exit_code, 0);
  write_file(j.dir() / "cp", cp.out);
  auto v = run_portwarden({"verify", "note", (j.dir() / "cp").string(), "--key",
                           (j.dir() / "bundle" / "key.vkey").string()});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  std::string tampered = cp.out;
  tampered[tampered.find("\n6\n") + 1] = '7';
  write_file(j.dir() / "cp2", tampered);
  v = run_portwarden({"verify", "note", (j.dir() / "cp2").string(), "--key",
                      (j.dir() / "bundle" / "key.vkey").string()});
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
}

TEST(JournalCli, ProofFromTheJournalVerifiesOffline) {
  JournalDir j;
  ASSERT_TRUE(j.append_notes(20));
  for (int index : {0, 7, 20}) {
    auto p =
        j.run({"--json", "journal", "proof", "--index", std::to_string(index), "--size", "21"});
    ASSERT_EQ(p.exit_code, 0) << p.err;
    json pj = json::parse(p.out);
    std::string proof;
    for (const auto& h : pj["proof"]) proof += (proof.empty() ? "" : ",") + h.get<std::string>();
    auto args =
        std::vector<std::string>{"verify", "inclusion", "--index",     std::to_string(index),
                                 "--size", "21",        "--leaf-hash", pj["leaf_hash"],
                                 "--root", pj["root"],  "--proof",     proof};
    auto v = run_portwarden(args);
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
    // Another index: the proof no longer leads to the root. (A wrong size alone can still
    // verify: RFC 9162 binds the size through the root, so size and root must come from one
    // signed checkpoint.)
    args[3] = std::to_string(index ^ 1);
    EXPECT_EQ(run_portwarden(args).exit_code, 1) << index;
  }
}

TEST(JournalCli, ConsistencyProofVerifiesOfflineAndWrongRootFails) {
  JournalDir j;
  ASSERT_TRUE(j.append_notes(12));
  auto p = j.run({"--json", "journal", "consistency", "--from", "5", "--to", "13"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  json pj = json::parse(p.out);
  std::string proof;
  for (const auto& h : pj["proof"]) proof += (proof.empty() ? "" : ",") + h.get<std::string>();
  std::vector<std::string> args{"verify",  "consistency", "--size1", "5",         "--size2", "13",
                                "--root1", pj["root1"],   "--root2", pj["root2"], "--proof", proof};
  EXPECT_EQ(run_portwarden(args).exit_code, 0);
  args[7] = pj["root2"];
  EXPECT_EQ(run_portwarden(args).exit_code, 1);
}

TEST(JournalCli, EmptyProofArgumentIsAProofWithNoHashes) {
  JournalDir j;
  auto p = j.run({"--json", "journal", "proof", "--index", "0"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  json pj = json::parse(p.out);
  auto v = run_portwarden({"verify", "inclusion", "--index", "0", "--size", "1", "--leaf-hash",
                           pj["leaf_hash"], "--root", pj["root"], "--proof", ""});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

TEST(JournalCli, VerifyAcceptsBase64Hashes) {
  JournalDir j;
  ASSERT_TRUE(j.append_notes(3));
  auto p = j.run({"--json", "journal", "proof", "--index", "1"});
  json pj = json::parse(p.out);
  auto b64 = [](const std::string& hex) {
    auto bytes = core::from_hex(hex);
    return core::to_base64(*bytes);
  };
  std::string proof;
  for (const auto& h : pj["proof"]) proof += (proof.empty() ? "" : ",") + b64(h);
  auto v = run_portwarden({"verify", "inclusion", "--index", "1", "--size", "4", "--leaf-hash",
                           b64(pj["leaf_hash"]), "--root", b64(pj["root"]), "--proof", proof});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

TEST(JournalCli, ExportedBundleVerifiesWithPortwardenAndWithTheShippedScript) {
  JournalDir j;
  ASSERT_TRUE(j.append_notes(37));
  auto bundle = j.dir() / "bundle";
  auto e = j.run({"journal", "export", bundle.string()});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  for (const char* f :
       {"entries.jsonl", "checkpoint", "key.vkey", "VERIFY.md", "verify_bundle.py"}) {
    EXPECT_TRUE(std::filesystem::exists(bundle / f)) << f;
  }
  auto v = run_portwarden({"verify", "bundle", bundle.string()});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("38 entries"), std::string::npos) << v.out;
  // Line k of entries.jsonl is exactly the leaf input of entry k.
  auto proof = j.run({"--json", "journal", "proof", "--index", "9"});
  json pj = json::parse(proof.out);
  std::string entries = read_file(bundle / "entries.jsonl");
  std::size_t pos = 0;
  for (int k = 0; k < 9; ++k) pos = entries.find('\n', pos) + 1;
  EXPECT_EQ(entries.substr(pos, entries.find('\n', pos) - pos), pj["entry"].get<std::string>());

  // The script needs only Python 3 and openssl: an auditor's machine.
  if (std::filesystem::exists("/usr/bin/python3") ||
      std::filesystem::exists("/usr/local/bin/python3")) {
    auto py = run_process(
        {"/usr/bin/env", "python3", (bundle / "verify_bundle.py").string(), bundle.string()});
    EXPECT_EQ(py.exit_code, 0) << py.out << py.err;
    // A changed entry makes both checkers fail.
    std::string bad = entries;
    bad[bad.find("note 5")] = 'N';
    write_file(bundle / "entries.jsonl", bad);
    py = run_process(
        {"/usr/bin/env", "python3", (bundle / "verify_bundle.py").string(), bundle.string()});
    EXPECT_EQ(py.exit_code, 1) << py.out << py.err;
    EXPECT_EQ(run_portwarden({"verify", "bundle", bundle.string()}).exit_code, 1);
  }
}

TEST(JournalCli, ExportRefusesAnExistingDirectory) {
  JournalDir j;
  std::filesystem::create_directory(j.dir() / "exists");
  auto e = j.run({"journal", "export", (j.dir() / "exists").string()});
  EXPECT_EQ(e.exit_code, 3);
  EXPECT_TRUE(std::filesystem::is_empty(j.dir() / "exists"));
}

TEST(JournalCli, VerifyPassesOnAnUntouchedJournalAndReplayKeepsItValid) {
  JournalDir j;
  ASSERT_TRUE(j.append_notes(50));
  ASSERT_EQ(j.run({"journal", "checkpoint"}).exit_code, 0);
  auto v = j.run({"journal", "verify"});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("51 entries"), std::string::npos) << v.out;
  auto r = j.run({"journal", "replay"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(j.run({"journal", "verify"}).exit_code, 0);
}

TEST(JournalCli, ReplayRestoresViewsThatWereWiped) {
  JournalDir j;
  ASSERT_TRUE(j.append_notes(4));
  j.sql("DELETE FROM views");
  auto v = j.run({"journal", "verify"});
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_NE(v.out.find("view"), std::string::npos) << v.out;
  ASSERT_EQ(j.run({"journal", "replay"}).exit_code, 0);
  EXPECT_EQ(j.run({"journal", "verify"}).exit_code, 0);
}

TEST(JournalCli, HelpIsAvailableEverywhere) {
  for (std::vector<std::string> args : {std::vector<std::string>{"--help"},
                                        {"journal", "--help"},
                                        {"journal", "append", "--help"},
                                        {"verify", "bundle", "--help"},
                                        {"init", "--help"}}) {
    auto r = run_portwarden(args);
    EXPECT_EQ(r.exit_code, 0) << args.back();
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << r.out;
  }
}

}  // namespace
}  // namespace pw::testing
