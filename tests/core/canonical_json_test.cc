#include "core/canonical_json.h"

#include <array>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/random.h"

namespace pw::core {
namespace {

using json = nlohmann::json;

// Substring check that prints both strings on failure (the tests link gtest without gmock).
::testing::AssertionResult Contains(const std::string& haystack, const std::string& needle) {
  if (haystack.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "\"" << haystack << "\" does not contain \"" << needle << "\"";
}

std::string must_canonicalize(std::string_view text) {
  auto r = canonicalize(text);
  EXPECT_TRUE(r.has_value()) << r.error().to_string();
  return r ? *r : std::string();
}

std::string parse_error(std::string_view text, const JsonLimits& limits = {}) {
  auto r = parse_json_strict(text, limits);
  EXPECT_FALSE(r.has_value()) << "accepted: " << text;
  if (r) return "";
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
  return r.error().message();
}

std::string check_error(std::string_view text, const JsonLimits& limits = {}) {
  auto r = check_canonical(text, limits);
  EXPECT_FALSE(r.has_value()) << "accepted as canonical: " << text;
  if (r) return "";
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
  return r.error().message();
}

std::string dump_error(const json& v) {
  auto r = canonical_dump(v);
  EXPECT_FALSE(r.has_value()) << "dumped: " << *r;
  if (r) return "";
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
  return r.error().message();
}

// --- RFC 8785 examples -----------------------------------------------------------------------

// RFC 8785 section 3.2.2 (sample input and its canonical form), without the "numbers" member:
// floats are outside the journal's subset.
TEST(CanonicalJson, Rfc8785StringAndLiteralsExample) {
  const std::string input = R"({
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
})";
  const std::string want =
      "{\"literals\":[null,true,false],\"string\":\"\xE2\x82\xAC$\\u000f\\nA'B"
      "\\\"\\\\\\\\\\\"/\"}";
  EXPECT_EQ(must_canonicalize(input), want);
  EXPECT_TRUE(check_canonical(want).has_value());
}

// RFC 8785 section 3.2.3, the property sorting example (all values are strings).
TEST(CanonicalJson, Rfc8785SortingExample) {
  const std::string input = R"({
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
})";
  const std::string want =
      "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xC2\x80\":\"Control\","
      "\"\xC3\xB6\":\"Latin Small Letter O With Diaeresis\",\"\xE2\x82\xAC\":\"Euro Sign\","
      "\"\xF0\x9F\x98\x80\":\"Emoji: Grinning Face\","
      "\"\xEF\xAC\xB3\":\"Hebrew Letter Dalet With Dagesh\"}";
  EXPECT_EQ(must_canonicalize(input), want);
  EXPECT_TRUE(check_canonical(want).has_value());
}

// --- Key order -------------------------------------------------------------------------------

TEST(CanonicalJson, KeysSortByUtf16CodeUnitsNotCodePoints) {
  // U+10000 is D800 DC00 in UTF-16, so it sorts before U+E000, U+FB33 and U+FFFD, although
  // its UTF-8 bytes (F0 ...) sort after theirs (EE/EF ...). U+D7FF stays before U+10000.
  const std::string u10000 = "\xF0\x90\x80\x80";
  const std::string ue000 = "\xEE\x80\x80";
  const std::string ufb33 = "\xEF\xAC\xB3";
  const std::string ufffd = "\xEF\xBF\xBD";
  const std::string ud7ff = "\xED\x9F\xBF";
  json v = json::object();
  v[ufffd] = 1;
  v[ufb33] = 2;
  v[ue000] = 3;
  v[u10000] = 4;
  v[ud7ff] = 5;
  v["z"] = 6;
  const std::string want = "{\"z\":6,\"" + ud7ff + "\":5,\"" + u10000 + "\":4,\"" + ue000 +
                           "\":3,\"" + ufb33 + "\":2,\"" + ufffd + "\":1}";
  auto dumped = canonical_dump(v);
  ASSERT_TRUE(dumped.has_value()) << dumped.error().to_string();
  EXPECT_EQ(*dumped, want);
  EXPECT_TRUE(check_canonical(want).has_value());

  // The same members in UTF-8 byte order are not canonical.
  const std::string byte_order = "{\"" + ufb33 + "\":2,\"" + u10000 + "\":4}";
  EXPECT_TRUE(Contains(check_error(byte_order), "out of order"));
  EXPECT_EQ(must_canonicalize(byte_order), "{\"" + u10000 + "\":4,\"" + ufb33 + "\":2}");
}

TEST(CanonicalJson, KeysSortAsDecodedTextNotAsEscapedBytes) {
  // Decoded, "\u0001" (0x01) < "\n" (0x0A) < "\"" (0x22) < "#" (0x23) < "\\" (0x5C) < "a".
  const std::string canonical = R"({"\u0001":1,"\n":2,"\"":3,"#":4,"\\":5,"a":6})";
  EXPECT_EQ(must_canonicalize(R"({"a":6,"\\":5,"#":4,"\"":3,"\n":2,"\u0001":1})"), canonical);
  EXPECT_TRUE(check_canonical(canonical).has_value());
  EXPECT_TRUE(Contains(check_error(R"({"\n":2,"\u0001":1})"), "out of order"));
  EXPECT_TRUE(Contains(check_error(R"({"#":1,"\"":2})"), "out of order"));
  EXPECT_TRUE(check_canonical(R"({"a":1,"a\u0000":2,"ab":3})").has_value());
  EXPECT_TRUE(Contains(check_error(R"({"ab":1,"a\u0000":2})"), "out of order"));
}

TEST(CanonicalJson, PrefixKeySortsFirst) {
  EXPECT_EQ(must_canonicalize(R"({"ab":1,"a":2,"":3})"), R"({"":3,"a":2,"ab":1})");
}

// --- Strings ---------------------------------------------------------------------------------

TEST(CanonicalJson, EscapesExactlyAsJsonStringify) {
  std::string raw;
  for (int c = 0; c < 0x20; ++c) raw.push_back(static_cast<char>(c));
  raw += "\"\\/\x7F\xE2\x80\xA8\xF0\x9F\x98\x80";  // '/', DEL, U+2028 and U+1F600 stay literal
  const std::string want =
      "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e"
      "\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a"
      "\\u001b\\u001c\\u001d\\u001e\\u001f\\\"\\\\/\x7F\xE2\x80\xA8\xF0\x9F\x98\x80\"";
  auto dumped = canonical_dump(json(raw));
  ASSERT_TRUE(dumped.has_value());
  EXPECT_EQ(*dumped, want);
  EXPECT_TRUE(check_canonical(want).has_value());
  auto back = parse_json_strict(want);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->get<std::string>(), raw);
}

TEST(CanonicalJson, ParserDecodesEveryEscapeForm) {
  auto v = parse_json_strict(R"("\u00e9\u00E9\/\ud83d\ude00\uD83D\uDE00\u0000")");
  ASSERT_TRUE(v.has_value()) << v.error().to_string();
  EXPECT_EQ(
      v->get<std::string>(),
      std::string("\xC3\xA9\xC3\xA9/\xF0\x9F\x98\x80\xF0\x9F\x98\x80") + std::string(1, '\0'));
}

TEST(CanonicalJson, LongStringsCrossTheWordAtATimeFastPath) {
  std::string s(1000, 'x');
  s[997] = '"';
  s[500] = '\n';
  s[9] = static_cast<char>(0xC3);
  s[10] = static_cast<char>(0xA9);
  auto dumped = canonical_dump(json(s));
  ASSERT_TRUE(dumped.has_value());
  EXPECT_TRUE(check_canonical(*dumped).has_value());
  auto back = parse_json_strict(*dumped);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->get<std::string>(), s);
}

// --- Integers --------------------------------------------------------------------------------

TEST(CanonicalJson, IntegersInTheSafeRangeRoundTrip) {
  EXPECT_EQ(must_canonicalize("[0,-1,1,9007199254740991,-9007199254740991,-0]"),
            "[0,-1,1,9007199254740991,-9007199254740991,0]");
  auto v = parse_json_strict("-0");
  ASSERT_TRUE(v.has_value());
  EXPECT_TRUE(v->is_number_integer());
  EXPECT_EQ(v->get<std::int64_t>(), 0);
}

TEST(CanonicalJson, IntegersOutsideTheSafeRangeAreRejected) {
  for (const char* text : {"9007199254740992", "-9007199254740992", "12345678901234567890",
                           "99999999999999999999999999999999"}) {
    EXPECT_TRUE(Contains(parse_error(text), "integer outside [-(2^53-1), 2^53-1]")) << text;
    EXPECT_TRUE(Contains(check_error(text), "integer outside")) << text;
  }
  EXPECT_TRUE(Contains(dump_error(json(std::int64_t{9007199254740992})), "integer outside"));
  EXPECT_TRUE(Contains(dump_error(json(std::int64_t{-9007199254740992})), "integer outside"));
  EXPECT_TRUE(Contains(dump_error(json(std::uint64_t{9007199254740992})), "integer outside"));
  EXPECT_TRUE(
      Contains(dump_error(json(std::uint64_t{18446744073709551615ULL})), "integer outside"));
  auto ok_unsigned = canonical_dump(json(std::uint64_t{9007199254740991}));
  ASSERT_TRUE(ok_unsigned.has_value());
  EXPECT_EQ(*ok_unsigned, "9007199254740991");
}

// --- Rejections, with the path and offset in the message -------------------------------------

TEST(CanonicalJson, FloatsAreRejectedNamingTheField) {
  EXPECT_EQ(parse_error(R"({"amount": 12.5})"),
            "$.amount at byte 11: floats are not allowed; send decimals as strings");
  EXPECT_EQ(
      parse_error(R"({"payload":{"items":[1,2,3,{"price":1.5}]}})"),
      "$.payload.items[3].price at byte 36: floats are not allowed; send decimals as strings");
  EXPECT_TRUE(Contains(parse_error("1e5"), "$ at byte 0: floats are not allowed"));
  EXPECT_TRUE(Contains(parse_error("[1E5]"), "$[0] at byte 1: floats"));
  EXPECT_TRUE(Contains(parse_error("[0.0]"), "floats"));
  EXPECT_TRUE(Contains(parse_error("-0.5"), "floats"));
  EXPECT_TRUE(Contains(check_error(R"({"a":1.0})"), "$.a at byte 5: floats are not allowed"));
  EXPECT_EQ(dump_error(json{{"amount", 12.5}}),
            "$.amount: floats are not allowed; send decimals as strings");
  EXPECT_TRUE(Contains(dump_error(json{{"a", json::array({1, 2.0})}}), "$.a[1]: floats"));
  EXPECT_TRUE(Contains(dump_error(json(3.0)), "$: floats"));
}

TEST(CanonicalJson, KeysThatAreNotIdentifiersUseBracketsInPaths) {
  EXPECT_TRUE(Contains(parse_error(R"({"a b":[1.5]})"), "$[\"a b\"][0] at byte 8: floats"));
  EXPECT_TRUE(Contains(parse_error(R"({"1x":{"q\"":2.5}})"), "$[\"1x\"][\"q\\\"\"] at byte 13"));
  EXPECT_TRUE(Contains(check_error(R"({"a\nb":1.5})"), "$[\"a\\nb\"] at byte 8"));
}

TEST(CanonicalJson, DuplicateKeysAreRejected) {
  EXPECT_EQ(parse_error(R"({"a":1,"a":2})"), "$.a at byte 7: duplicate key 'a'");
  EXPECT_TRUE(
      Contains(parse_error(R"({"x":{"b":1,"\u0062":2}})"), "$.x.b at byte 12: duplicate key 'b'"));
  EXPECT_TRUE(Contains(check_error(R"({"a":1,"a":2})"), "$.a at byte 7: duplicate key 'a'"));
}

TEST(CanonicalJson, InvalidUtf8IsRejected) {
  const std::vector<std::string> bad = {
      "\"\xC3\x28\"",          // bad continuation
      "\"\xC0\xAF\"",          // overlong '/'
      "\"\xE0\x80\xAF\"",      // overlong, 3 bytes
      "\"\xED\xA0\x80\"",      // UTF-8-encoded surrogate D800
      "\"\xF4\x90\x80\x80\"",  // above U+10FFFF
      "\"\xF8\x88\x80\x80\x80\"",
      "\"\x80\"",      // lone continuation byte
      "\"\xE2\x82\"",  // truncated before the quote
      "\"\xFF\"",
  };
  for (const std::string& text : bad) {
    EXPECT_TRUE(Contains(parse_error(text), "$ at byte 1: invalid UTF-8")) << text;
    EXPECT_TRUE(Contains(check_error(text), "invalid UTF-8")) << text;
  }
  EXPECT_TRUE(
      Contains(parse_error("{\"k\":[\"ok\",\"\xC3\"]}"), "$.k[1] at byte 12: invalid UTF-8"));
  EXPECT_TRUE(Contains(dump_error(json("\xC3\x28")), "$: invalid UTF-8 in string"));
  EXPECT_TRUE(Contains(dump_error(json{{"a", json{{"\xFF", 1}}}}), "$.a: object key is not valid"));
}

TEST(CanonicalJson, NestingLimitIsEnforced) {
  const std::string ok_depth = std::string(64, '[') + std::string(64, ']');
  EXPECT_TRUE(parse_json_strict(ok_depth).has_value());
  EXPECT_TRUE(check_canonical(ok_depth).has_value());
  const std::string too_deep = std::string(65, '[') + std::string(65, ']');
  EXPECT_TRUE(Contains(parse_error(too_deep), "at byte 64: nesting deeper than 64"));
  EXPECT_TRUE(Contains(check_error(too_deep), "nesting deeper than 64"));
  std::string objects;
  for (int i = 0; i < 65; ++i) objects += "{\"a\":";
  objects += "1" + std::string(65, '}');
  EXPECT_TRUE(Contains(parse_error(objects), "nesting deeper than 64"));

  json deep = 1;
  for (int i = 0; i < 65; ++i) deep = json::array({deep});
  EXPECT_TRUE(Contains(dump_error(deep), "nesting deeper than 64"));

  const JsonLimits shallow{.max_bytes = 1 << 20, .max_depth = 2};
  EXPECT_TRUE(parse_json_strict("[[1]]", shallow).has_value());
  EXPECT_TRUE(
      Contains(parse_error("[[[1]]]", shallow), "$[0][0] at byte 2: nesting deeper than 2"));
  EXPECT_TRUE(Contains(check_error("{\"a\":{\"b\":{}}}", shallow), "$.a.b at byte 10: nesting"));

  // Zero allows scalars only; a huge limit costs nothing for a small document.
  const JsonLimits flat{.max_bytes = 1 << 20, .max_depth = 0};
  EXPECT_TRUE(check_canonical("1", flat).has_value());
  EXPECT_TRUE(Contains(check_error("[]", flat), "nesting deeper than 0"));
  const JsonLimits unlimited{.max_bytes = 1 << 20, .max_depth = 2147483647};
  EXPECT_TRUE(parse_json_strict("[[[]]]", unlimited).has_value());
  EXPECT_TRUE(check_canonical("[[[]]]", unlimited).has_value());

  // A larger limit than the inline path storage holds still works.
  const JsonLimits deep_limits{.max_bytes = 1 << 20, .max_depth = 200};
  const std::string deep_text = std::string(200, '[') + std::string(200, ']');
  EXPECT_TRUE(parse_json_strict(deep_text, deep_limits).has_value());
  EXPECT_TRUE(check_canonical(deep_text, deep_limits).has_value());
  std::string deep_bad = std::string(150, '[') + "1.5" + std::string(150, ']');
  auto err = check_canonical(deep_bad, deep_limits);
  ASSERT_FALSE(err.has_value());
  EXPECT_TRUE(Contains(err.error().message(), "[0][0] at byte 150: floats"));
}

TEST(CanonicalJson, SizeLimitIsEnforcedBeforeReading) {
  const std::string big(2000000, ' ');
  EXPECT_EQ(parse_error(big), "document is 2000000 bytes, limit 1048576");
  EXPECT_EQ(check_error(big), "document is 2000000 bytes, limit 1048576");
  const JsonLimits small{.max_bytes = 4, .max_depth = 64};
  EXPECT_TRUE(check_canonical("1234", small).has_value());
  EXPECT_EQ(check_error("12345", small), "document is 5 bytes, limit 4");
}

TEST(CanonicalJson, TrailingGarbageIsRejected) {
  EXPECT_TRUE(Contains(parse_error("{} x"), "$ at byte 3: trailing characters"));
  EXPECT_TRUE(Contains(parse_error("1 2"), "trailing characters"));
  EXPECT_TRUE(Contains(parse_error("[1]]"), "trailing characters"));
  EXPECT_TRUE(Contains(check_error("{}{}"), "$ at byte 2: trailing characters"));
  EXPECT_TRUE(parse_json_strict(" {} \n").has_value());  // whitespace around a value is JSON
}

TEST(CanonicalJson, LoneSurrogateEscapesAreRejected) {
  for (const char* text : {R"("\ud800")", R"("\udc00")", R"("\ud800\u0041")", R"("\ud800x")",
                           R"("\udbff\udbff")", R"("\ude00\ud83d")"}) {
    EXPECT_TRUE(Contains(parse_error(text), "$ at byte 1: lone surrogate")) << text;
  }
  EXPECT_TRUE(Contains(parse_error(R"({"k":"ab\udfff"})"), "$.k at byte 8: lone surrogate"));
}

TEST(CanonicalJson, UnescapedControlCharactersAreRejected) {
  EXPECT_EQ(parse_error("\"a\tb\""),
            "$ at byte 2: control character U+0009 must be escaped (as \\t)");
  EXPECT_TRUE(Contains(parse_error(std::string("{\"a\":\"x\0\"}", 10)),
                       "$.a at byte 7: control character U+0000 must be escaped (as \\u0000)"));
  EXPECT_TRUE(Contains(check_error("[\"\x1f\"]"), "$[0] at byte 2: control character U+001F"));
  EXPECT_TRUE(Contains(parse_error("{\"a\nb\":1}"), "control character U+000A"));
}

TEST(CanonicalJson, ByteOrderMarkIsRejected) {
  EXPECT_EQ(parse_error("\xEF\xBB\xBF{}"),
            "$ at byte 0: a byte order mark (U+FEFF) is not allowed");
  EXPECT_EQ(check_error("\xEF\xBB\xBF{}"),
            "$ at byte 0: a byte order mark (U+FEFF) is not allowed");
}

TEST(CanonicalJson, MalformedDocumentsAreRejected) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty document"},
      {"   ", "unexpected end of input"},
      {"01", "leading zeros"},
      {"-01", "leading zeros"},
      {"[00]", "$[0] at byte 1: leading zeros"},
      {"-", "a digit must follow '-'"},
      {"+1", "unexpected character '+'"},
      {"tru", "invalid literal"},
      {"nul", "invalid literal"},
      {"True", "unexpected character 'T'"},
      {"NaN", "unexpected character 'N'"},
      {"Infinity", "unexpected character 'I'"},
      {"[1,]", "$[1] at byte 3: unexpected character ']'"},
      {"{\"a\":1,}", "unexpected character '}', expected a string key"},
      {"{a:1}", "expected a string key"},
      {"{'a':1}", "expected a string key"},
      {"{\"a\" 1}", "expected ':'"},
      {"[1 2]", "expected ',' or ']'"},
      {"{\"a\":1 \"b\":2}", "expected ',' or '}'"},
      {"\"abc", "unterminated string"},
      {"\"abc\\", "unterminated string"},
      {"[", "unexpected end of input"},
      {"{\"a\":", "unexpected end of input"},
      {"\"\\x\"", "invalid escape sequence"},
      {"\"\\u12\"", "invalid \\u escape"},
      {"\"\\u12G4\"", "invalid \\u escape"},
      {"\xC3\xA9", "unexpected byte 0xc3"},
  };
  for (const auto& [text, want] : cases) {
    EXPECT_TRUE(Contains(parse_error(text), want)) << "input: " << text;
    EXPECT_FALSE(check_canonical(text).has_value()) << "input: " << text;
  }
}

// --- Round trips and check_canonical ---------------------------------------------------------

TEST(CanonicalJson, CanonicalizeRemovesWhitespaceAndSortsNestedMembers) {
  const std::string input =
      " {\n \"b\" : [ 1 , { \"z\" : true , \"a\" : null } ] ,\r\n\t\"a\" : "
      "{ \"d\" : \"x\" , \"c\" : [ ] , \"e\" : { } } } ";
  const std::string want = R"({"a":{"c":[],"d":"x","e":{}},"b":[1,{"a":null,"z":true}]})";
  EXPECT_EQ(must_canonicalize(input), want);
  EXPECT_EQ(must_canonicalize(want), want);
  EXPECT_TRUE(check_canonical(want).has_value());
}

TEST(CanonicalJson, TopLevelScalarsAreValues) {
  for (const char* text : {"null", "true", "false", "0", "-7", "\"\"", "[]", "{}"}) {
    EXPECT_EQ(must_canonicalize(text), text);
    EXPECT_TRUE(check_canonical(text).has_value()) << text;
  }
}

TEST(CanonicalJson, ParseBuildsTheExpectedValue) {
  auto v = parse_json_strict(R"({"n":-42,"s":"t","a":[true,false,null],"o":{}})");
  ASSERT_TRUE(v.has_value());
  const json want = {{"n", -42}, {"s", "t"}, {"a", {true, false, nullptr}}, {"o", json::object()}};
  EXPECT_EQ(*v, want);
  EXPECT_TRUE((*v)["n"].is_number_integer());
}

TEST(CheckCanonical, RejectsEachNonCanonicalVariant) {
  const std::string canonical = R"({"a":[1,"A/"],"b":{"c":null}})";
  ASSERT_EQ(must_canonicalize(canonical), canonical);
  ASSERT_TRUE(check_canonical(canonical).has_value());

  EXPECT_EQ(check_error(R"({"a": [1,"A/"],"b":{"c":null}})"),
            "$.a at byte 5: whitespace is not allowed in canonical JSON");
  EXPECT_TRUE(Contains(check_error(R"( {"a":1})"), "$ at byte 0: whitespace"));
  EXPECT_TRUE(Contains(check_error(R"({"a":1})"
                                   "\n"),
                       "$ at byte 7: whitespace"));
  EXPECT_TRUE(Contains(check_error(R"({"a":[1 ]})"), "$.a at byte 7: whitespace"));
  EXPECT_TRUE(Contains(check_error(R"({"b":{"c":null},"a":[1,"A/"]})"),
                       "$.a at byte 16: key 'a' is out of order: it must come before 'b'"));
  EXPECT_TRUE(Contains(check_error(R"({"a":[1,"\u0041/"],"b":{"c":null}})"),
                       "$.a[1] at byte 9: non-canonical \\u escape"));
  EXPECT_TRUE(Contains(check_error(R"({"a":[1,"A\/"],"b":{"c":null}})"),
                       "$.a[1] at byte 10: non-canonical escape \\/"));
  EXPECT_TRUE(Contains(check_error(R"("\u001F")"), "non-canonical \\u escape"));
  EXPECT_TRUE(Contains(check_error(R"("\u000a")"),
                       "non-canonical escape: write this control character as \\n"));
  EXPECT_TRUE(Contains(check_error(R"("\u0009")"), "as \\t"));
  EXPECT_TRUE(Contains(check_error(R"("\u00e9")"), "non-canonical \\u escape"));
  EXPECT_TRUE(Contains(check_error(R"("\ud83d\ude00")"), "non-canonical \\u escape"));
  EXPECT_TRUE(Contains(check_error(R"({"a":[01,"A/"]})"), "$.a[0] at byte 6: leading zeros"));
  EXPECT_TRUE(Contains(check_error(R"({"a":[-0,"A/"]})"), "$.a[0] at byte 6: -0 is not canonical"));
  EXPECT_TRUE(Contains(check_error(R"({"a":1,"a":1})"), "duplicate key 'a'"));
  EXPECT_TRUE(Contains(check_error(R"({"a":1e0})"), "floats"));
  // Accepted escapes are exactly those JSON.stringify writes.
  EXPECT_TRUE(check_canonical(R"("\"\\\b\f\n\r\t\u0000\u001f\u000b")").has_value());
}

TEST(CheckCanonical, AgreesWithCanonicalizeOnCanonicalOutput) {
  const std::vector<std::string> inputs = {
      R"({"z":[{"b":2,"a":1}],"y":"\u00e9\ud83d\ude00","x":-9007199254740991})",
      R"([[],{},[[]],{"":{"":[]}}])",
      "\"tab\\there \\u2028 and \\u007f\"",
  };
  for (const std::string& in : inputs) {
    const std::string c = must_canonicalize(in);
    EXPECT_TRUE(check_canonical(c).has_value()) << c;
    EXPECT_EQ(must_canonicalize(c), c);
  }
}

// --- Randomized round trip -------------------------------------------------------------------

class RandomJson {
 public:
  explicit RandomJson(std::uint64_t seed) : random_(make_seeded_random(seed)) {}

  std::uint64_t below(std::uint64_t n) { return random_->next_u64() % n; }

  std::string string() {
    std::string s;
    const std::uint64_t len = below(12);
    for (std::uint64_t i = 0; i < len; ++i) {
      switch (below(8)) {
        case 0:
          s.push_back(static_cast<char>(below(0x20)));
          break;  // controls
        case 1:
          s.push_back("\"\\/ aZ~\x7f"[below(8)]);
          break;  // specials
        case 2:
          s += "\xC3\xA9";
          break;  // U+00E9
        case 3:
          s += below(2) ? "\xEE\x80\x80" : "\xEF\xBF\xBD";
          break;  // U+E000, U+FFFD
        case 4:
          s += below(2) ? "\xF0\x9F\x98\x80" : "\xF4\x8F\xBF\xBF";
          break;  // supplementary
        case 5:
          s += "\xE2\x80\xA8";
          break;  // U+2028
        default:
          s.push_back(static_cast<char>('a' + below(4)));
          break;
      }
    }
    return s;
  }

  json value(int depth) {
    const std::uint64_t kind = depth >= 5 ? below(5) : below(7);
    switch (kind) {
      case 0:
        return nullptr;
      case 1:
        return below(2) == 1;
      case 2: {
        const std::int64_t magnitude = static_cast<std::int64_t>(
            below(4) == 0 ? below(static_cast<std::uint64_t>(kMaxSafeInteger) + 1) : below(1000));
        return below(2) ? magnitude : -magnitude;
      }
      case 3:
        return std::uint64_t{below(100)};  // number_unsigned, as code might build it
      case 4:
        return string();
      case 5: {
        json a = json::array();
        for (std::uint64_t n = below(5); n > 0; --n) a.push_back(value(depth + 1));
        return a;
      }
      default: {
        json o = json::object();
        for (std::uint64_t n = below(6); n > 0; --n) o[string()] = value(depth + 1);
        return o;
      }
    }
  }

 private:
  std::unique_ptr<Random> random_;
};

TEST(CanonicalJson, RandomValuesRoundTripAndCheckCanonical) {
  RandomJson gen(20240601);
  for (int i = 0; i < 2000; ++i) {
    const json v = gen.value(0);
    auto dumped = canonical_dump(v);
    ASSERT_TRUE(dumped.has_value()) << dumped.error().to_string();
    auto parsed = parse_json_strict(*dumped);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().to_string() << "\n" << *dumped;
    EXPECT_EQ(*parsed, v) << *dumped;
    auto again = canonical_dump(*parsed);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(*again, *dumped);
    auto checked = check_canonical(*dumped);
    EXPECT_TRUE(checked.has_value()) << checked.error().to_string() << "\n" << *dumped;
    // The output is plain JSON to any other parser too.
    EXPECT_EQ(json::parse(*dumped), v) << *dumped;
  }
}

// check_canonical(t) must succeed exactly when canonicalize(t) == t. Mutating canonical text
// (flip, insert, delete a byte) explores the boundary between the two.
TEST(CheckCanonical, AgreesWithCanonicalizeOnRandomMutations) {
  RandomJson gen(77);
  const std::string alphabet =
      " \t\n\",:[]{}\\/0123456789-+.eEtrufalsn\x01\x7f\x80\xC3\xA9\xEE\xF0u";
  int accepted = 0;
  for (int i = 0; i < 3000; ++i) {
    auto base = canonical_dump(gen.value(0));
    ASSERT_TRUE(base.has_value());
    std::string t = *base;
    const std::uint64_t op = gen.below(3);
    const std::size_t at = gen.below(t.size() + 1);
    const char c = alphabet[gen.below(alphabet.size())];
    if (op == 0 && at < t.size()) t[at] = c;
    if (op == 1) t.insert(t.begin() + static_cast<std::ptrdiff_t>(at), c);
    if (op == 2 && at < t.size()) t.erase(at, 1);
    auto canonical = canonicalize(t);
    const bool is_fixed_point = canonical.has_value() && *canonical == t;
    const bool checked = check_canonical(t).has_value();
    EXPECT_EQ(checked, is_fixed_point) << "text: " << t;
    accepted += checked ? 1 : 0;
  }
  EXPECT_GT(accepted, 100);  // the mutations hit both sides
}

}  // namespace
}  // namespace pw::core

namespace pw::core {
namespace {

TEST(CheckCanonicalMembers, ReportsTopLevelMembersOnly) {
  std::array<JsonMember, 4> m;
  std::size_t count = 99;
  ASSERT_TRUE(check_canonical_members(R"({"a":{"b":1},"c":"x\"y","d":[1,{"e":2}]})", {}, m, count));
  ASSERT_EQ(count, 3u);
  EXPECT_EQ(m[0].key, "a");
  EXPECT_EQ(m[0].value, R"({"b":1})");
  EXPECT_EQ(m[1].key, "c");
  EXPECT_EQ(m[1].value, R"("x\"y")");
  EXPECT_EQ(m[2].key, "d");
  EXPECT_EQ(m[2].value, R"([1,{"e":2}])");
}

TEST(CheckCanonicalMembers, CountsMembersBeyondTheOutputAndNoneForNonObjects) {
  std::array<JsonMember, 1> m;
  std::size_t count = 0;
  ASSERT_TRUE(check_canonical_members(R"({"a":1,"b":2,"c":3})", {}, m, count));
  EXPECT_EQ(count, 3u);
  EXPECT_EQ(m[0].value, "1");
  ASSERT_TRUE(check_canonical_members("[1,2]", {}, m, count));
  EXPECT_EQ(count, 0u);
  // Not canonical: the check fails as check_canonical does.
  EXPECT_FALSE(check_canonical_members(R"({"b":1,"a":2})", {}, m, count));
}

}  // namespace
}  // namespace pw::core
