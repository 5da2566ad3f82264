// The C2SP signed-note example (../shared/testdata/signed-note, from C2SP/C2SP signed-note.md;
// see SOURCES.md there): a note by example.com/foo and the verifier key that checks it.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "journal/note.h"
#include "support/test_support.h"

namespace pw::journal {
namespace {

class SignedNoteConformance : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::filesystem::path dir = pw::testing::testdata_dir();
    if (dir.empty()) GTEST_SKIP() << "public conformance data not found (set PW_TESTDATA_DIR)";
    const std::filesystem::path folder = dir / "signed-note";
    if (!std::filesystem::exists(folder / "example.note")) {
      GTEST_SKIP() << "no signed-note example in " << dir;
    }
    note_ = pw::testing::read_file(folder / "example.note");
    vkey_ = pw::testing::read_file(folder / "example.vkey");
    while (!vkey_.empty() && (vkey_.back() == '\n' || vkey_.back() == '\r')) vkey_.pop_back();
  }

  std::string note_;
  std::string vkey_;
};

TEST_F(SignedNoteConformance, ExampleVerifiesWithItsVerifierKey) {
  auto verifier = parse_verifier_key(vkey_);
  ASSERT_TRUE(verifier.has_value()) << verifier.error().to_string();
  EXPECT_EQ(verifier->name, "example.com/foo");
  EXPECT_EQ(verifier->key_id, 0x530d903au);
  EXPECT_EQ(format_verifier_key(verifier->name, verifier->key), vkey_);

  auto opened = open_note(note_, std::vector<NoteVerifier>{*verifier});
  ASSERT_TRUE(opened.has_value()) << opened.error().to_string();
  EXPECT_EQ(opened->text, "This is an example message.\n");
  EXPECT_EQ(opened->verified_by, std::vector<std::string>{"example.com/foo"});
}

TEST_F(SignedNoteConformance, AnyOneByteChangeFails) {
  auto verifier = parse_verifier_key(vkey_);
  ASSERT_TRUE(verifier.has_value());
  const std::vector<NoteVerifier> verifiers{*verifier};
  // Change each byte of the text, and a spread of bytes in the signature line.
  for (std::size_t i = 0; i < note_.size(); ++i) {
    const bool in_text = i < note_.find("\n\n");
    if (!in_text && i % 7 != 0) continue;
    std::string changed = note_;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    auto r = open_note(changed, verifiers);
    EXPECT_FALSE(r.has_value()) << "byte " << i << " changed, still verifies";
  }
}

TEST_F(SignedNoteConformance, UnknownKeyDoesNotVerifyTheExample) {
  core::Ed25519Seed seed;
  seed.fill(1);
  auto other = NoteSigner::create("example.com/foo", *core::Ed25519PrivateKey::from_seed(seed));
  ASSERT_TRUE(other.has_value());
  auto r = open_note(note_, std::vector<NoteVerifier>{other->verifier()});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), core::Code::kUnauthenticated);
}

}  // namespace
}  // namespace pw::journal
