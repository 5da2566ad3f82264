// Bad input to the CLI: a clear error naming the problem, a non-zero exit, and nothing written.
#include <sys/stat.h>

#include <filesystem>

#include "cli/cli_test_util.h"

namespace pw::testing {
namespace {

class BadInput : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(j_.append_notes(3)); }

  // Runs `args`, expects `exit_code` and `needle` in stderr, and that the journal is unchanged.
  void expect_rejected(std::vector<std::string> args, int exit_code, const std::string& needle,
                       const std::string& stdin_text = "") {
    const std::string before = j_.run({"journal", "checkpoint"}).out;
    auto r = j_.run(args, stdin_text);
    EXPECT_EQ(r.exit_code, exit_code) << r.out << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos)
        << "stderr should mention '" << needle << "', got: " << r.err;
    EXPECT_EQ(j_.run({"journal", "checkpoint"}).out, before) << "the journal changed";
  }

  JournalDir j_;
};

TEST_F(BadInput, MalformedJson) {
  expect_rejected({"journal", "append", "--type", "operator.note", "--payload", R"({"text": )"}, 2,
                  "payload");
  expect_rejected({"journal", "append", "--type", "operator.note", "--payload", R"({"text":"a",})"},
                  2, "payload");
}

TEST_F(BadInput, FloatsAreRefusedWithTheField) {
  expect_rejected({"journal", "append", "--type", "ops.reading", "--payload", R"({"temp":21.5})"},
                  2, "temp");
  expect_rejected({"journal", "append", "--type", "ops.reading", "--payload", R"({"n":1e3})"}, 2,
                  "floats");
}

TEST_F(BadInput, DuplicateKeys) {
  expect_rejected({"journal", "append", "--type", "ops.x", "--payload", R"({"a":1,"a":2})"}, 2,
                  "duplicate");
}

TEST_F(BadInput, PayloadMustBeAnObject) {
  expect_rejected({"journal", "append", "--type", "ops.x", "--payload", "[1,2]"}, 2, "object");
}

TEST_F(BadInput, OversizedPayloadNamesTheLimit) {
  std::string big = R"({"text":")" + std::string(70000, 'x') + "\"}";
  expect_rejected({"journal", "append", "--type", "operator.note", "--payload", big}, 2, "65536");
}

TEST_F(BadInput, BadEventType) {
  expect_rejected({"journal", "append", "--type", "NoDots", "--payload", "{}"}, 2, "event type");
  expect_rejected({"journal", "append", "--type", "a..b", "--payload", "{}"}, 2, "event type");
}

TEST_F(BadInput, KnownTypeWithInvalidPayload) {
  expect_rejected({"journal", "append", "--type", "operator.note", "--payload", R"({"txt":"a"})"},
                  2, "payload.text");
}

TEST_F(BadInput, UnknownFlagsAndMissingArguments) {
  expect_rejected({"journal", "append", "--tpye", "operator.note"}, 2, "--tpye");
  expect_rejected({"journal", "proof"}, 2, "--index");
  expect_rejected({"journal", "frobnicate"}, 2, "frobnicate");
  expect_rejected({"journal", "proof", "--index", "abc"}, 2, "abc");
}

TEST_F(BadInput, ProofOutsideTheTree) {
  expect_rejected({"journal", "proof", "--index", "4"}, 2, "index 4");
  expect_rejected({"journal", "proof", "--index", "0", "--size", "99"}, 2, "size 99");
  expect_rejected({"journal", "consistency", "--from", "0"}, 2, "from 0");
}

TEST_F(BadInput, JsonLinesStopAtTheFirstBadLineNamingIt) {
  std::string lines = R"({"type":"operator.note","payload":{"text":"ok"}})"
                      "\n"
                      R"({"type":"operator.note","payload":{"text":1.25}})"
                      "\n";
  auto r = j_.run({"journal", "append", "--jsonl", "-"}, lines);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("line 2"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "4\n");  // the good line before it was appended and acknowledged
}

TEST_F(BadInput, KeyFileReadableByOthersIsRefused) {
  ASSERT_EQ(chmod(j_.key().c_str(), 0644), 0);
  // Making a checkpoint needs the key: refused, nothing signed.
  ASSERT_EQ(
      j_.run({"journal", "append", "--type", "operator.note", "--payload", R"({"text":"grow"})"})
          .exit_code,
      0);
  auto r = j_.run({"journal", "checkpoint"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("mode 0644"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("chmod 600"), std::string::npos) << r.err;
}

TEST_F(BadInput, MissingKeyFileIsNamed) {
  auto r = j_.run({"--key", (j_.dir() / "nope.key").string(), "journal", "append", "--type",
                   "operator.note", "--payload", R"({"text":"grow"})"});
  ASSERT_EQ(r.exit_code, 0);
  r = j_.run({"--key", (j_.dir() / "nope.key").string(), "journal", "checkpoint"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("nope.key"), std::string::npos) << r.err;
}

TEST_F(BadInput, WrongKeyFileIsRefused) {
  JournalDir other;
  ASSERT_EQ(
      j_.run({"journal", "append", "--type", "operator.note", "--payload", R"({"text":"grow"})"})
          .exit_code,
      0);
  auto r = j_.run({"--key", other.key(), "journal", "checkpoint"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("does not hold this journal's signing key"), std::string::npos) << r.err;
}

TEST(BadInputNoJournal, MissingDatabaseSaysToInit) {
  TempDir d;
  auto r = run_portwarden({"--db", (d / "none.db").string(), "journal", "verify"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("portwarden init"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(d / "none.db"));
}

TEST(BadInputNoJournal, NotADatabase) {
  TempDir d;
  write_file(d / "junk.db", std::string(4096, 'j'));
  auto r = run_portwarden({"--db", (d / "junk.db").string(), "journal", "verify"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("junk.db"), std::string::npos) << r.err;
}

TEST(BadInputNoJournal, OfflineVerifyRejectsMalformedHashesAsUsage) {
  auto r = run_portwarden({"verify", "inclusion", "--index", "0", "--size", "1", "--leaf-hash",
                           "zz", "--root", std::string(64, '0'), "--proof", ""});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--leaf-hash"), std::string::npos) << r.err;
  r = run_portwarden({"verify", "inclusion", "--index", "0", "--size", "1", "--leaf-hash",
                      std::string(64, '0'), "--root", std::string(64, '0'), "--proof",
                      std::string(62, 'a')});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--proof item 1"), std::string::npos) << r.err;
}

TEST(BadInputNoJournal, InvalidOriginIsRefusedAndNothingCreated) {
  TempDir d;
  auto r = run_portwarden({"--db", (d / "j.db").string(), "init", "--origin", "has space"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_FALSE(std::filesystem::exists(d / "j.db"));
  EXPECT_FALSE(std::filesystem::exists(d / "j.key"));
}

}  // namespace
}  // namespace pw::testing
