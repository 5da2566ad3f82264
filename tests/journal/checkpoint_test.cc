#include "journal/checkpoint.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "journal/note.h"

namespace pw::journal {
namespace {

::testing::AssertionResult Contains(const std::string& haystack, const std::string& needle) {
  if (haystack.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "\"" << haystack << "\" does not contain \"" << needle << "\"";
}

core::Hash test_root() {
  core::Hash h;
  for (std::size_t i = 0; i < h.size(); ++i) h[i] = static_cast<std::uint8_t>(i * 11 + 3);
  return h;
}

// The body of the example in C2SP tlog-checkpoint ("Note text" section).
const std::string kSpecExample =
    "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

TEST(Checkpoint, FormatsTheSpecLayout) {
  Checkpoint cp{.origin = "example.com/log", .size = 42, .root = test_root(), .extensions = {}};
  EXPECT_EQ(format_checkpoint(cp), "example.com/log\n42\n" + core::to_base64(test_root()) + "\n");
  cp.extensions = {"ext one", "\xE2\x80\x94 two"};
  EXPECT_EQ(format_checkpoint(cp), "example.com/log\n42\n" + core::to_base64(test_root()) +
                                       "\next one\n\xE2\x80\x94 two\n");
}

TEST(Checkpoint, ParsesTheSpecExample) {
  auto cp = parse_checkpoint(kSpecExample);
  ASSERT_TRUE(cp.has_value()) << cp.error().to_string();
  EXPECT_EQ(cp->origin, "example.com/behind-the-sofa");
  EXPECT_EQ(cp->size, 20852163u);
  EXPECT_EQ(core::to_base64(cp->root), "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
  EXPECT_TRUE(cp->extensions.empty());
  EXPECT_EQ(format_checkpoint(*cp), kSpecExample);
}

TEST(Checkpoint, RoundTrips) {
  const std::vector<Checkpoint> cases = {
      {"example.com/log", 0, core::Hash{}, {}},
      {"example.com/log", 1, test_root(), {}},
      {"o", UINT64_MAX, test_root(), {"a", "b c", "\xC3\xA9"}},
      {"origin with spaces+plus", 1ULL << 63, test_root(), {}},
  };
  for (const Checkpoint& want : cases) {
    const std::string text = format_checkpoint(want);
    auto got = parse_checkpoint(text);
    ASSERT_TRUE(got.has_value()) << text << ": " << got.error().to_string();
    EXPECT_EQ(got->origin, want.origin);
    EXPECT_EQ(got->size, want.size);
    EXPECT_EQ(got->root, want.root);
    EXPECT_EQ(got->extensions, want.extensions);
    EXPECT_EQ(format_checkpoint(*got), text);
  }
}

TEST(Checkpoint, IsTheTextOfASignedNote) {
  core::Ed25519Seed seed;
  seed.fill(9);
  auto signer = NoteSigner::create("example.com/log", *core::Ed25519PrivateKey::from_seed(seed));
  ASSERT_TRUE(signer.has_value());
  const Checkpoint cp{"example.com/log", 7, test_root(), {}};
  auto note = signer->sign(format_checkpoint(cp));
  ASSERT_TRUE(note.has_value());
  auto opened = open_note(*note, std::vector<NoteVerifier>{signer->verifier()});
  ASSERT_TRUE(opened.has_value());
  auto back = parse_checkpoint(opened->text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->size, 7u);
  EXPECT_EQ(back->root, test_root());
}

TEST(Checkpoint, RejectsMalformedText) {
  const std::string root = core::to_base64(test_root());
  const std::string short_root = core::to_base64(core::Bytes(31, 1));
  const std::string long_root = core::to_base64(core::Bytes(33, 1));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "must end in a newline"},
      {"example.com/log\n42\n" + root, "must end in a newline"},
      {"example.com/log\n42\n", "has 2 line(s), want at least 3"},
      {"example.com/log\n", "has 1 line(s)"},
      {"\n42\n" + root + "\n", "line 1 (origin): is empty"},
      {"example.com/log\n042\n" + root + "\n", "line 2 (tree size): '042' has leading zeros"},
      {"example.com/log\n00\n" + root + "\n", "leading zeros"},
      {"example.com/log\n\n" + root + "\n", "line 2 (tree size): '' is empty"},
      {"example.com/log\n-1\n" + root + "\n", "not a decimal number"},
      {"example.com/log\n+1\n" + root + "\n", "not a decimal number"},
      {"example.com/log\n 1\n" + root + "\n", "not a decimal number"},
      {"example.com/log\n0x10\n" + root + "\n", "not a decimal number"},
      {"example.com/log\n18446744073709551616\n" + root + "\n", "does not fit in 64 bits"},
      {"example.com/log\n42\n" + root.substr(1) + "\n", "line 3 (root hash)"},
      {"example.com/log\n42\n" + root.substr(0, 43) + "!\n", "not a base64 character"},
      {"example.com/log\n42\n" + core::to_hex(test_root()) + "\n", "line 3 (root hash)"},
      {"example.com/log\n42\n" + short_root + "\n", "is 31 bytes, want 32"},
      {"example.com/log\n42\n" + long_root + "\n", "is 33 bytes, want 32"},
      {"example.com/log\n42\n\n", "line 3 (root hash): is 0 bytes"},
      {"example.com/log\n42\n" + root + "\n\n", "line 4 (extension): is empty"},
      {"example.com/log\n42\n" + root + "\next\n\nmore\n", "line 5 (extension): is empty"},
      {"example.com/log\r\n42\n" + root + "\n", "control character"},
      {"example.com/\xC3\n42\n" + root + "\n", "invalid UTF-8"},
  };
  for (const auto& [text, why] : cases) {
    auto r = parse_checkpoint(text);
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_EQ(r.error().code(), core::Code::kInvalidArgument);
    EXPECT_TRUE(Contains(r.error().message(), why)) << text;
  }
}

TEST(Checkpoint, LargestSizeParses) {
  auto cp = parse_checkpoint("o\n18446744073709551615\n" + core::to_base64(test_root()) + "\n");
  ASSERT_TRUE(cp.has_value());
  EXPECT_EQ(cp->size, UINT64_MAX);
}

}  // namespace
}  // namespace pw::journal
