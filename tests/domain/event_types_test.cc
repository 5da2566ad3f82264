#include "domain/event_types.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace pw::domain
