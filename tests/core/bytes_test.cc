#include "core/bytes.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

namespace pw::core {
namespace {

::testing::AssertionResult Contains(const std::string& haystack, const std::string& needle) {
  if (haystack.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "\"" << haystack << "\" does not contain \"" << needle << "\"";
}

Bytes bytes_of(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

struct Vector {
  std::string data;
  std::string base16;
  std::string base64;
};

// RFC 4648 section 10 test vectors (BASE16 there is upper case; to_hex writes lower case).
const std::vector<Vector> kRfc4648 = {
    {"", "", ""},
    {"f", "66", "Zg=="},
    {"fo", "666f", "Zm8="},
    {"foo", "666f6f", "Zm9v"},
    {"foob", "666f6f62", "Zm9vYg=="},
    {"fooba", "666f6f6261", "Zm9vYmE="},
    {"foobar", "666f6f626172", "Zm9vYmFy"},
};

TEST(Hex, EncodesRfc4648Vectors) {
  for (const Vector& v : kRfc4648) EXPECT_EQ(to_hex(as_bytes(v.data)), v.base16) << v.data;
}

TEST(Hex, DecodesRfc4648VectorsInEitherCase) {
  for (const Vector& v : kRfc4648) {
    auto lower = from_hex(v.base16);
    ASSERT_TRUE(lower.has_value()) << v.base16;
    EXPECT_EQ(*lower, bytes_of(v.data));
    std::string upper = v.base16;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto u = from_hex(upper);
    ASSERT_TRUE(u.has_value()) << upper;
    EXPECT_EQ(*u, bytes_of(v.data));
  }
}

TEST(Hex, EncodesEveryByteValue) {
  Bytes all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<std::uint8_t>(i);
  const std::string hex = to_hex(all);
  EXPECT_EQ(hex.substr(0, 6), "000102");
  EXPECT_EQ(hex.substr(hex.size() - 4), "feff");
  auto back = from_hex(hex);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, all);
}

TEST(Hex, RejectsOddLengthAndNonHexDigits) {
  auto odd = from_hex("abc");
  ASSERT_FALSE(odd.has_value());
  EXPECT_EQ(odd.error().code(), Code::kInvalidArgument);
  EXPECT_TRUE(Contains(odd.error().message(), "odd number of digits"));

  auto bad = from_hex("00g0");
  ASSERT_FALSE(bad.has_value());
  EXPECT_TRUE(Contains(bad.error().message(), "position 2"));
  auto bad_low = from_hex("000x");
  ASSERT_FALSE(bad_low.has_value());
  EXPECT_TRUE(Contains(bad_low.error().message(), "position 3"));
  EXPECT_FALSE(from_hex("0 ").has_value());
  EXPECT_FALSE(from_hex("-1").has_value());
}

TEST(Base64, EncodesRfc4648Vectors) {
  for (const Vector& v : kRfc4648) EXPECT_EQ(to_base64(as_bytes(v.data)), v.base64) << v.data;
}

TEST(Base64, DecodesRfc4648Vectors) {
  for (const Vector& v : kRfc4648) {
    auto d = from_base64(v.base64);
    ASSERT_TRUE(d.has_value()) << v.base64 << ": " << d.error().to_string();
    EXPECT_EQ(*d, bytes_of(v.data));
  }
}

TEST(Base64, RoundTripsEveryLengthAndByteValue) {
  Bytes data;
  for (int n = 0; n < 300; ++n) {
    auto back = from_base64(to_base64(data));
    ASSERT_TRUE(back.has_value()) << n;
    EXPECT_EQ(*back, data);
    data.push_back(static_cast<std::uint8_t>(n * 37 + 11));
  }
}

TEST(Base64, RejectsBadCharacters) {
  for (const char* text :
       {"Zm9v!A==", "Zm9v\nYg==", "Zm9 ", "Zm-v", "Zm_v", "Zm9v Yg==", "\xC3\xA9\xC3\xA9"}) {
    auto r = from_base64(text);
    EXPECT_FALSE(r.has_value()) << text;
    if (!r) {
      EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
    }
  }
  auto r = from_base64("Zm9v!A==");
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(Contains(r.error().message(), "position 4"));
}

TEST(Base64, RejectsBadPadding) {
  for (const char* text : {"Zg", "Zg=", "Zm9vYg", "Zg=a",
                           "Z===", "====", "=Zg=", "Zg==Zg==", "Zm8=Zm8=", "Zm9vYg===", "Z"}) {
    EXPECT_FALSE(from_base64(text).has_value()) << text;
  }
  auto r = from_base64("Zg=a");
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(Contains(r.error().message(), "padding"));
  auto len = from_base64("Zg=");
  ASSERT_FALSE(len.has_value());
  EXPECT_TRUE(Contains(len.error().message(), "multiple of 4"));
}

TEST(Base64, RejectsNonCanonicalPaddingBits) {
  // "Zg==" is canonical for "f"; "Zh==" carries a non-zero bit in the dropped part. Likewise
  // "Zm8=" (canonical) versus "Zm9=" for "fo".
  for (const char* text : {"Zh==", "Zv==", "Zm9=", "Zm+=", "Zm9vYh=="}) {
    auto r = from_base64(text);
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_TRUE(Contains(r.error().message(), "non-canonical")) << text;
  }
}

TEST(ParseHash, AcceptsHexAndBase64) {
  Hash want;
  for (int i = 0; i < 32; ++i) want[i] = static_cast<std::uint8_t>(i * 7 + 1);
  const std::string hex = to_hex(want);
  ASSERT_EQ(hex.size(), 64u);
  auto from_lower = parse_hash(hex);
  ASSERT_TRUE(from_lower.has_value());
  EXPECT_EQ(*from_lower, want);
  std::string upper = hex;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto from_upper = parse_hash(upper);
  ASSERT_TRUE(from_upper.has_value());
  EXPECT_EQ(*from_upper, want);
  const std::string b64 = to_base64(want);
  ASSERT_EQ(b64.size(), 44u);
  auto from_b64 = parse_hash(b64);
  ASSERT_TRUE(from_b64.has_value());
  EXPECT_EQ(*from_b64, want);
}

TEST(ParseHash, RejectsWrongLengthsAndBadText) {
  const Bytes short_bytes(31, 0xAB);
  auto short_b64 = parse_hash(to_base64(short_bytes));
  ASSERT_FALSE(short_b64.has_value());
  EXPECT_TRUE(Contains(short_b64.error().message(), "is 31 bytes, want 32"));

  const Bytes long_bytes(33, 0xAB);
  auto long_b64 = parse_hash(to_base64(long_bytes));
  ASSERT_FALSE(long_b64.has_value());
  EXPECT_TRUE(Contains(long_b64.error().message(), "is 33 bytes, want 32"));

  auto short_hex = parse_hash(std::string(62, 'a'));
  ASSERT_FALSE(short_hex.has_value());
  EXPECT_TRUE(Contains(short_hex.error().message(), "hash '"));

  auto not_hex = parse_hash(std::string(63, 'a') + "z");
  ASSERT_FALSE(not_hex.has_value());
  EXPECT_TRUE(Contains(not_hex.error().message(), "not a hex digit"));

  EXPECT_FALSE(parse_hash("").has_value());
}

}  // namespace
}  // namespace pw::core
