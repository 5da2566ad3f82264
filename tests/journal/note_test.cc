#include "journal/note.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "core/bytes.h"

namespace pw::journal {
namespace {

::testing::AssertionResult Contains(const std::string& haystack, const std::string& needle) {
  if (haystack.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "\"" << haystack << "\" does not contain \"" << needle << "\"";
}

const std::string kEmDash = "\xE2\x80\x94";

core::Ed25519PrivateKey key_from(std::uint8_t fill) {
  core::Ed25519Seed seed;
  seed.fill(fill);
  auto key = core::Ed25519PrivateKey::from_seed(seed);
  EXPECT_TRUE(key.has_value());
  return std::move(*key);
}

NoteSigner signer(std::string name, std::uint8_t fill) {
  auto s = NoteSigner::create(std::move(name), key_from(fill));
  EXPECT_TRUE(s.has_value()) << s.error().to_string();
  return std::move(*s);
}

std::string sign(const NoteSigner& s, std::string_view text) {
  auto note = s.sign(text);
  EXPECT_TRUE(note.has_value()) << note.error().to_string();
  return note ? *note : std::string();
}

// The signature lines of a note (everything after the last blank line).
std::string signature_block(const std::string& note) {
  return note.substr(note.rfind("\n\n") + 2);
}

core::Error open_error(std::string_view note, const std::vector<NoteVerifier>& verifiers) {
  auto r = open_note(note, verifiers);
  EXPECT_FALSE(r.has_value()) << "opened: " << note;
  return r ? core::Error(core::Code::kOk, "") : r.error();
}

const std::string kText = "example.com/log\n42\nq6rL0h4yT6l7Y3n0Q0k3XfH0Wm2S9k3h8bQh0d1r2lM=\n";

TEST(NoteKeyId, IsTheFirstFourBytesOfTheSpecHash) {
  const NoteSigner s = signer("example.com/log", 1);
  std::string input = "example.com/log\n\x01";
  input.append(reinterpret_cast<const char*>(s.public_key().data()), s.public_key().size());
  const core::Hash h = core::sha256(input);
  const std::uint32_t want = std::uint32_t{h[0]} << 24 | std::uint32_t{h[1]} << 16 |
                             std::uint32_t{h[2]} << 8 | std::uint32_t{h[3]};
  EXPECT_EQ(note_key_id("example.com/log", s.public_key()), want);
  EXPECT_EQ(s.key_id(), want);
  EXPECT_NE(note_key_id("example.com/log2", s.public_key()), want);
}

TEST(VerifierKey, HasNameHexIdAndBase64Key) {
  const NoteSigner s = signer("example.com/log", 2);
  const std::string vkey = s.verifier_key();
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", s.key_id());
  std::vector<std::uint8_t> blob = {0x01};
  blob.insert(blob.end(), s.public_key().begin(), s.public_key().end());
  EXPECT_EQ(vkey, "example.com/log+" + std::string(hex) + "+" + core::to_base64(blob));
  EXPECT_EQ(vkey, format_verifier_key("example.com/log", s.public_key()));

  auto v = parse_verifier_key(vkey);
  ASSERT_TRUE(v.has_value()) << v.error().to_string();
  EXPECT_EQ(v->name, "example.com/log");
  EXPECT_EQ(v->key_id, s.key_id());
  EXPECT_EQ(v->key, s.public_key());
  const NoteVerifier direct = s.verifier();
  EXPECT_EQ(direct.name, v->name);
  EXPECT_EQ(direct.key_id, v->key_id);
  EXPECT_EQ(direct.key, v->key);
}

TEST(VerifierKey, RejectsMalformedKeys) {
  const NoteSigner s = signer("example.com/log", 3);
  const std::string good = s.verifier_key();
  const std::size_t p1 = good.find('+');
  const std::size_t p2 = good.find('+', p1 + 1);
  const std::string name = good.substr(0, p1);
  const std::string id = good.substr(p1 + 1, p2 - p1 - 1);
  const std::string key64 = good.substr(p2 + 1);

  std::vector<std::uint8_t> alg2 = {0x02};
  alg2.insert(alg2.end(), s.public_key().begin(), s.public_key().end());
  std::vector<std::uint8_t> short_key = {0x01, 1, 2, 3};
  std::string wrong_id = id;
  wrong_id[7] = wrong_id[7] == '0' ? '1' : '0';

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "want <name>+<key ID hex>+<base64 key>"},
      {name + "+" + id, "want <name>+<key ID hex>+<base64 key>"},
      {name + "+" + id + "+" + key64 + "+x", "base64"},
      {"+" + id + "+" + key64, "key name is empty"},
      {"a b+" + id + "+" + key64, "space"},
      {name + "+" + id.substr(1) + "+" + key64, "not 8 lowercase hex digits"},
      {name + "+0000000A+" + key64, "not 8 lowercase hex digits"},
      {name + "+0000000g+" + key64, "not 8 lowercase hex digits"},
      {name + "+" + wrong_id + "+" + key64, "does not match the key"},
      {name + "+" + id + "+" + key64.substr(1), "base64"},
      {name + "+" + id + "+" + core::to_base64(alg2), "unknown signature algorithm"},
      {name + "+" + id + "+" + core::to_base64(short_key), "is 3 bytes, want 32"},
      {name + "+" + id + "+", "unknown signature algorithm"},
  };
  for (const auto& [text, why] : cases) {
    auto r = parse_verifier_key(text);
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_EQ(r.error().code(), core::Code::kInvalidArgument);
    EXPECT_TRUE(Contains(r.error().message(), why)) << text;
    EXPECT_TRUE(Contains(r.error().message(), "verifier key")) << text;
  }
}

TEST(VerifierKey, Base64KeyMayContainPlusSigns) {
  // '+' separates the fields, but the standard base64 alphabet has '+' too: everything after
  // the second '+' is the key.
  int with_plus = 0;
  for (int fill = 0; fill < 64; ++fill) {
    const NoteSigner s = signer("example.com/log", static_cast<std::uint8_t>(fill));
    const std::string vkey = s.verifier_key();
    const std::string key64 = vkey.substr(vkey.find('+', vkey.find('+') + 1) + 1);
    if (key64.find('+') == std::string::npos) continue;
    ++with_plus;
    auto v = parse_verifier_key(vkey);
    ASSERT_TRUE(v.has_value()) << vkey << ": " << v.error().to_string();
    EXPECT_EQ(v->key, s.public_key());
    auto parsed = NoteSigner::parse(*s.encode_private());
    ASSERT_TRUE(parsed.has_value()) << parsed.error().to_string();
    EXPECT_EQ(parsed->public_key(), s.public_key());
  }
  EXPECT_GT(with_plus, 0);
}

TEST(KeyName, FollowsTheSpec) {
  EXPECT_TRUE(check_key_name("example.com/log42").has_value());
  EXPECT_TRUE(check_key_name("h\xC3\xA9llo").has_value());
  for (const char* bad : {"", "a b", "a+b", "a\tb", "a\nb",
                          "a\xC2\xA0"
                          "b",
                          "a\xE2\x80\x83"
                          "b",
                          "a\xE3\x80\x80"
                          "b",
                          "a\xC3", "a\x01"}) {
    EXPECT_FALSE(check_key_name(bad).has_value()) << bad;
  }
  EXPECT_FALSE(NoteSigner::create("bad name", key_from(1)).has_value());
}

TEST(NoteSigner, PrivateKeyEncodingRoundTrips) {
  const NoteSigner s = signer("example.com/log", 4);
  auto encoded = s.encode_private();
  ASSERT_TRUE(encoded.has_value());
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", s.key_id());
  EXPECT_TRUE(encoded->starts_with("PRIVATE+KEY+example.com/log+" + std::string(hex) + "+"));
  auto seed = core::from_base64(encoded->substr(encoded->rfind('+') + 1));
  ASSERT_TRUE(seed.has_value());
  EXPECT_EQ(seed->size(), 33u);
  EXPECT_EQ((*seed)[0], 0x01);
  EXPECT_EQ((*seed)[1], 4);

  for (const std::string& text : {*encoded, *encoded + "\n"}) {
    auto parsed = NoteSigner::parse(text);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().to_string();
    EXPECT_EQ(parsed->name(), s.name());
    EXPECT_EQ(parsed->key_id(), s.key_id());
    EXPECT_EQ(parsed->public_key(), s.public_key());
    EXPECT_EQ(parsed->verifier_key(), s.verifier_key());
    EXPECT_EQ(sign(*parsed, kText), sign(s, kText));  // Ed25519 is deterministic
  }
}

TEST(NoteSigner, ParseRejectsAKeyIdThatDoesNotMatch) {
  const NoteSigner s = signer("example.com/log", 5);
  const std::string encoded = *s.encode_private();
  const std::size_t p_id = std::string("PRIVATE+KEY+example.com/log+").size();
  std::string wrong = encoded;
  wrong[p_id] = wrong[p_id] == 'a' ? 'b' : 'a';
  auto r = NoteSigner::parse(wrong);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(Contains(r.error().message(), "does not match the key"));

  // Same key under another name: the ID was computed for the old name.
  std::string renamed = encoded;
  renamed.replace(renamed.find("example.com/log"), 15, "example.com/lug");
  r = NoteSigner::parse(renamed);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(Contains(r.error().message(), "does not match the key"));
}

TEST(NoteSigner, ParseRejectsMalformedKeys) {
  const NoteSigner s = signer("example.com/log", 6);
  const std::string encoded = *s.encode_private();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "PRIVATE+KEY+"},
      {encoded.substr(8), "PRIVATE+KEY+"},
      {s.verifier_key(), "PRIVATE+KEY+"},
      {encoded + "\n\n", "base64"},
      {encoded + "+x", "base64"},
      {"PRIVATE+KEY+" + s.verifier_key().substr(0, s.verifier_key().rfind('+')), "want"},
      {encoded.substr(0, encoded.size() - 1) + "!", "not a base64 character"},
      {encoded.substr(0, encoded.size() - 4), "is 29 bytes, want 32"},
  };
  for (const auto& [text, why] : cases) {
    auto r = NoteSigner::parse(text);
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_TRUE(Contains(r.error().message(), why)) << text;
  }
}

TEST(Note, SignThenOpenRoundTrips) {
  const NoteSigner s = signer("example.com/log", 7);
  const std::string note = sign(s, kText);
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", s.key_id());
  ASSERT_TRUE(note.starts_with(kText + "\n" + kEmDash + " example.com/log "));
  ASSERT_TRUE(note.ends_with("\n"));
  const std::string b64 = note.substr(kText.size() + 1 + kEmDash.size() + 17);
  auto blob = core::from_base64(b64.substr(0, b64.size() - 1));
  ASSERT_TRUE(blob.has_value());
  ASSERT_EQ(blob->size(), 68u);
  EXPECT_EQ(core::to_hex(core::ByteView(blob->data(), 4)), hex);
  core::Ed25519Signature sig;
  std::copy(blob->begin() + 4, blob->end(), sig.begin());
  EXPECT_TRUE(core::ed25519_verify(s.public_key(), core::as_bytes(kText), sig));

  auto opened = open_note(note, std::vector<NoteVerifier>{s.verifier()});
  ASSERT_TRUE(opened.has_value()) << opened.error().to_string();
  EXPECT_EQ(opened->text, kText);
  EXPECT_EQ(opened->verified_by, std::vector<std::string>{"example.com/log"});
}

TEST(Note, TextMayContainBlankLinesAndNonAscii) {
  const NoteSigner s = signer("example.com/log", 8);
  const std::string text = "first\n\nthird \xE2\x82\xAC\n\n";  // ends with an empty line
  const std::string note = sign(s, text);
  auto opened = open_note(note, std::vector<NoteVerifier>{s.verifier()});
  ASSERT_TRUE(opened.has_value()) << opened.error().to_string();
  EXPECT_EQ(opened->text, text);
}

TEST(Note, SignRejectsBadText) {
  const NoteSigner s = signer("example.com/log", 9);
  for (const std::string& text :
       {std::string(), std::string("no newline"), std::string("tab\there\n"), std::string("cr\r\n"),
        std::string("bad \xC3 utf8\n"), std::string("nul\0x\n", 6)}) {
    auto r = s.sign(text);
    EXPECT_FALSE(r.has_value()) << text;
  }
  auto r = s.sign(std::string("a\x01\n"));
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(Contains(r.error().message(), "control character 0x01"));
}

TEST(Note, MultipleSignersAndUnknownKeys) {
  const NoteSigner log = signer("example.com/log", 10);
  const NoteSigner witness = signer("witness.example/w1", 11);
  const NoteSigner stranger = signer("stranger.example/x", 12);
  const std::string note = sign(log, kText) + signature_block(sign(witness, kText)) +
                           signature_block(sign(stranger, kText));

  auto both = open_note(note, std::vector<NoteVerifier>{witness.verifier(), log.verifier()});
  ASSERT_TRUE(both.has_value()) << both.error().to_string();
  EXPECT_EQ(both->verified_by, (std::vector<std::string>{"example.com/log", "witness.example/w1"}));

  auto one = open_note(note, std::vector<NoteVerifier>{witness.verifier()});
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->verified_by, std::vector<std::string>{"witness.example/w1"});
}

TEST(Note, UnknownKeysOnlyIsNotVerified) {
  const NoteSigner log = signer("example.com/log", 13);
  const NoteSigner other = signer("example.com/log", 14);  // same name, different key
  const std::string note = sign(log, kText);
  const core::Error e = open_error(note, {other.verifier()});
  EXPECT_EQ(e.code(), core::Code::kUnauthenticated);
  EXPECT_TRUE(Contains(e.message(), "no signature by a known key"));
  const core::Error none = open_error(note, {});
  EXPECT_EQ(none.code(), core::Code::kUnauthenticated);
}

TEST(Note, VerifierMatchingNameButNotIdIsIgnored) {
  // A known name with a different key ID is another key: ignored, not a failure.
  const NoteSigner log = signer("example.com/log", 15);
  const NoteSigner rotated = signer("example.com/log", 16);
  const std::string note = sign(log, kText) + signature_block(sign(rotated, kText));
  auto r = open_note(note, std::vector<NoteVerifier>{rotated.verifier()});
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->verified_by, std::vector<std::string>{"example.com/log"});
}

TEST(Note, TamperedTextFails) {
  const NoteSigner s = signer("example.com/log", 17);
  std::string note = sign(s, kText);
  note[kText.find("42")] = '3';
  const core::Error e = open_error(note, {s.verifier()});
  EXPECT_EQ(e.code(), core::Code::kUnauthenticated);
  EXPECT_TRUE(Contains(e.message(), "does not verify"));
}

TEST(Note, TamperedSignatureFails) {
  const NoteSigner s = signer("example.com/log", 18);
  const std::string note = sign(s, kText);
  // Change one base64 character of the signature part (after the 4-byte key ID: 6 characters).
  for (std::size_t back : {3u, 20u, 60u}) {
    std::string bad = note;
    char& c = bad[bad.size() - 1 - back];
    c = c == 'A' ? 'B' : 'A';
    const core::Error e = open_error(bad, {s.verifier()});
    EXPECT_NE(e.code(), core::Code::kOk) << bad;
  }
  // A signature of the wrong length by a known key does not verify either.
  std::vector<std::uint8_t> blob;
  for (int shift = 24; shift >= 0; shift -= 8)
    blob.push_back(static_cast<std::uint8_t>(s.key_id() >> shift));
  blob.resize(4 + 32, 0xAA);
  const std::string short_sig =
      kText + "\n" + kEmDash + " example.com/log " + core::to_base64(blob) + "\n";
  EXPECT_EQ(open_error(short_sig, {s.verifier()}).code(), core::Code::kUnauthenticated);
}

TEST(Note, WrongKeyWithTheSameIdFails) {
  const NoteSigner s = signer("example.com/log", 19);
  const NoteSigner other = signer("example.com/log", 20);
  const std::string note = sign(s, kText);
  NoteVerifier impostor = other.verifier();
  impostor.key_id = s.key_id();  // a verifier configured with the wrong public key
  const core::Error e = open_error(note, {impostor});
  EXPECT_EQ(e.code(), core::Code::kUnauthenticated);
  EXPECT_TRUE(Contains(e.message(), "does not verify"));
}

TEST(Note, BadSignatureByAKnownKeyAmongGoodOnesFails) {
  const NoteSigner log = signer("example.com/log", 21);
  const NoteSigner witness = signer("witness.example/w1", 22);
  // The witness signed different text; its line is well formed but does not verify here.
  const std::string note = sign(log, kText) + signature_block(sign(witness, "other text\n"));
  auto only_log = open_note(note, std::vector<NoteVerifier>{log.verifier()});
  EXPECT_TRUE(only_log.has_value());
  const core::Error e = open_error(note, {log.verifier(), witness.verifier()});
  EXPECT_EQ(e.code(), core::Code::kUnauthenticated);
  EXPECT_TRUE(Contains(e.message(), "witness.example/w1"));
}

TEST(Note, TwoSignaturesByOneKnownKeyAreMalformed) {
  const NoteSigner s = signer("example.com/log", 23);
  const std::string note = sign(s, kText);
  const core::Error e = open_error(note + signature_block(note), {s.verifier()});
  EXPECT_EQ(e.code(), core::Code::kInvalidArgument);
  EXPECT_TRUE(Contains(e.message(), "two signatures"));
}

TEST(Note, MalformedNotesAreRejected) {
  const NoteSigner s = signer("example.com/log", 24);
  const std::string note = sign(s, kText);
  const std::string sigs = signature_block(note);
  const std::string sig_b64 = sigs.substr(sigs.rfind(' ') + 1, sigs.size() - sigs.rfind(' ') - 2);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {kText, "no blank line"},
      {note.substr(0, note.size() - 1), "must end in a newline"},
      {kText + "\n", "must end in a newline"},
      {kText + "\n- example.com/log " + sig_b64 + "\n", "U+2014"},
      {kText + "\n" + kEmDash + "example.com/log " + sig_b64 + "\n", "U+2014"},
      {kText + "\n" + kEmDash + " example.com/log\n", "want"},
      {kText + "\n" + kEmDash + "  " + sig_b64 + "\n", "key name is empty"},
      {kText + "\n" + kEmDash + " example.com/log " + sig_b64 + " \n", "base64"},
      {kText + "\n" + kEmDash + " example.com/log !!!!\n", "base64"},
      {kText + "\n" + kEmDash + " example.com/log AAAA\n", "want a 4-byte key ID"},
      {"bad \xC3 utf8\n" + std::string("\n") + sigs, "invalid UTF-8"},
      {"tab\t\n\n" + sigs, "control character"},
      {kText + "\n" + sigs.substr(0, sigs.size() - 1) + "\r\n", "control character"},
  };
  for (const auto& [text, why] : cases) {
    const core::Error e = open_error(text, {s.verifier()});
    EXPECT_EQ(e.code(), core::Code::kInvalidArgument) << text;
    EXPECT_TRUE(Contains(e.message(), why)) << text;
  }
}

TEST(Note, AtMostOneHundredSignatures) {
  const NoteSigner s = signer("example.com/log", 25);
  const std::string note = sign(s, kText);
  std::string many = note;
  for (int i = 0; i < 99; ++i)
    many += signature_block(sign(signer("x.example/" + std::to_string(i), 26), kText));
  auto ok = open_note(many, std::vector<NoteVerifier>{s.verifier()});  // 100 lines
  ASSERT_TRUE(ok.has_value()) << ok.error().to_string();
  many += signature_block(sign(signer("x.example/last", 27), kText));
  const core::Error e = open_error(many, {s.verifier()});
  EXPECT_EQ(e.code(), core::Code::kInvalidArgument);
  EXPECT_TRUE(Contains(e.message(), "more than 100 signatures"));
}

}  // namespace
}  // namespace pw::journal
