#include "domain/event_types.h"

#include <gtest/gtest.h>

#include "domain/access.h"

namespace pw::domain {
namespace {

TEST(EventTypes, OperatorNoteNeedsText) {
  EXPECT_TRUE(validate_payload(kOperatorNote, {{"text", "camera 3 offline"}}));
  auto missing = validate_payload(kOperatorNote, nlohmann::json::object());
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message().find("payload.text"), std::string::npos);
  EXPECT_FALSE(validate_payload(kOperatorNote, {{"text", 3}}));
  EXPECT_FALSE(validate_payload(kOperatorNote, {{"text", ""}}));
  EXPECT_FALSE(validate_payload(kOperatorNote, {{"text", "x"}, {"subject", 1}}));
}

TEST(EventTypes, UnknownTypesAreGenericButPayloadMustBeAnObject) {
  EXPECT_TRUE(validate_payload("ops.anything", {{"x", 1}}));
  EXPECT_FALSE(validate_payload("ops.anything", nlohmann::json::array()));
}

TEST(EventTypes, GrantCertificateIssuedNamesTheGrantSerialAndFingerprint) {
  const nlohmann::json ok = {{"grant", "req-1#1"},
                             {"serial", "4f00aa"},
                             {"sha256", std::string(64, 'c')},
                             {"not_before", "2026-12-01T08:00:00Z"},
                             {"not_after", "2026-12-01T10:00:00Z"},
                             {"key_source", "csr"}};
  EXPECT_TRUE(validate_payload(kAccessGrantCertificateIssued, ok));
  for (auto [field, bad] :
       {std::pair{"sha256", nlohmann::json("ABC")}, std::pair{"serial", nlohmann::json("xyz")},
        std::pair{"not_after", nlohmann::json("tomorrow")},
        std::pair{"key_source", nlohmann::json("stolen")}, std::pair{"grant", nlohmann::json(7)}}) {
    nlohmann::json p = ok;
    p[field] = bad;
    auto st = validate_payload(kAccessGrantCertificateIssued, p);
    ASSERT_FALSE(st) << field;
    EXPECT_NE(st.error().message().find(std::string("payload.") + field), std::string::npos)
        << st.error().message();
  }
}

TEST(EventTypes, GatewaySessionEventsCarryTheirFields) {
  EXPECT_TRUE(validate_payload(kGatewaySessionClosed, {{"session", "ses-1"},
                                                       {"reason", "client closed"},
                                                       {"bytes_up", 1},
                                                       {"bytes_down", 2},
                                                       {"manifest_sha256", std::string(64, 'a')}}));
  EXPECT_FALSE(validate_payload(
      kGatewaySessionClosed,
      {{"session", "ses-1"}, {"reason", "x"}, {"bytes_up", -1}, {"bytes_down", 2}}));
  EXPECT_FALSE(validate_payload(kGatewaySessionClosed, {{"session", "ses-1"},
                                                        {"reason", "x"},
                                                        {"bytes_up", 1},
                                                        {"bytes_down", 2},
                                                        {"manifest_sha256", "zz"}}));
  EXPECT_FALSE(validate_payload(kGatewaySessionRefused, {{"gateway", "gw-1"}, {"reasons", {}}}))
      << "a refusal says why";
  EXPECT_TRUE(
      validate_payload(kGatewaySessionRefused, {{"gateway", "gw-1"}, {"reasons", {"expired"}}}));
  EXPECT_FALSE(validate_payload(kGatewaySessionOpened, {{"session", "ses-1"}}));
  EXPECT_FALSE(validate_payload(kGatewaySessionKillRequested, {{"session", "ses-1"}}));
}

}  // namespace
}  // namespace pw::domain
