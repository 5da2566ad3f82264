#include "journal/envelope.h"

#include <gtest/gtest.h>

#include "core/canonical_json.h"

namespace pw::journal {
namespace {

Envelope sample() {
  Envelope e;
  e.seq = 42;
  e.time = core::Timestamp{1'618'790'400'000'000};  // 2021-04-19T00:00:00Z
  e.actor = "cli:alice";
  e.type = "operator.note";
  e.payload = {{"text", "four of seven scanners are Nuctech's"}, {"n", 4}};
  return e;
}

TEST(Envelope, EncodesCanonicallyWithSortedFields) {
  auto bytes = encode_envelope(sample());
  ASSERT_TRUE(bytes.has_value()) << bytes.error().to_string();
  EXPECT_EQ(*bytes,
            R"({"actor":"cli:alice","payload":{"n":4,"text":"four of seven scanners are Nuctech's"},)"
            R"("seq":42,"time":"2021-04-19T00:00:00.000000Z","type":"operator.note","v":1})");
  EXPECT_TRUE(core::check_canonical(*bytes));
}

TEST(Envelope, DecodeRoundTrips) {
  auto bytes = encode_envelope(sample());
  auto e = decode_envelope(*bytes);
  ASSERT_TRUE(e.has_value()) << e.error().to_string();
  EXPECT_EQ(e->seq, 42u);
  EXPECT_EQ(e->actor, "cli:alice");
  EXPECT_EQ(e->payload["n"], 4);
}

TEST(Envelope, HeaderDecodeAgreesWithFullDecode) {
  for (std::string actor : {"cli:alice", "quote\"and\\backslash", "ünïcode"}) {
    Envelope in = sample();
    in.actor = actor;
    auto bytes = encode_envelope(in);
    ASSERT_TRUE(bytes.has_value());
    auto h = decode_envelope_header(*bytes);
    ASSERT_TRUE(h.has_value()) << h.error().to_string();
    EXPECT_EQ(h->actor, actor);
    EXPECT_EQ(h->seq, 42u);
    EXPECT_EQ(h->type, "operator.note");
    EXPECT_EQ(h->time, in.time);
    EXPECT_EQ(h->payload_json, R"({"n":4,"text":"four of seven scanners are Nuctech's"})");
  }
}

TEST(Envelope, HeaderDecodeRejectsWhatFullDecodeRejects) {
  const std::string good = *encode_envelope(sample());
  std::vector<std::string> bad = {
      good.substr(0, good.size() - 1),                                  // truncated
      good + " ",                                                       // trailing space
      std::string(good).replace(good.find("\"v\":1"), 5, "\"v\":2"),    // version
      std::string(good).replace(good.find(".000000Z"), 8, "Z"),         // time not canonical
      std::string(good).replace(good.find("operator.note"), 13, "Operator.note"),  // type
      std::string(good).replace(good.find("\"seq\":42"), 8, "\"seq\":-1"),
      std::string(good).replace(good.find("\"n\":4"), 5, "\"n\":4.5"),  // float in payload
      R"({"actor":"a","payload":{},"seq":1,"time":"2021-04-19T00:00:00.000000Z","type":"a.b","v":1,"x":1})",
      R"({"actor":"a","payload":[],"seq":1,"time":"2021-04-19T00:00:00.000000Z","type":"a.b","v":1})",
  };
  for (const auto& b : bad) {
    EXPECT_FALSE(decode_envelope(b).has_value()) << b;
    EXPECT_FALSE(decode_envelope_header(b).has_value()) << b;
  }
}

TEST(Envelope, PayloadLimitIsEnforcedAndNamed) {
  Envelope e = sample();
  e.payload = {{"text", std::string(kMaxPayloadBytes, 'x')}};
  auto bytes = encode_envelope(e);
  ASSERT_FALSE(bytes.has_value());
  EXPECT_NE(bytes.error().message().find(std::to_string(kMaxPayloadBytes)), std::string::npos);
}

TEST(Envelope, EventTypeRules) {
  EXPECT_TRUE(check_event_type("operator.note"));
  EXPECT_TRUE(check_event_type("access.visit.approved"));
  EXPECT_FALSE(check_event_type("note"));
  EXPECT_FALSE(check_event_type("Operator.note"));
  EXPECT_FALSE(check_event_type("a..b"));
  EXPECT_FALSE(check_event_type(".a.b"));
  EXPECT_FALSE(check_event_type("a.b."));
  EXPECT_FALSE(check_event_type("a.1b"));
  EXPECT_FALSE(check_event_type(std::string(65, 'a') + ".b"));
}

TEST(Envelope, ActorRules) {
  EXPECT_TRUE(check_actor("cli:alice"));
  EXPECT_FALSE(check_actor(""));
  EXPECT_FALSE(check_actor("bad\nactor"));
  EXPECT_FALSE(check_actor(std::string(257, 'a')));
}

}  // namespace
}  // namespace pw::journal
