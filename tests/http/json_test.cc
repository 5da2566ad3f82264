#include "http/json.h"

#include <gtest/gtest.h>

namespace pw::http {
namespace {

Request json_request(std::string body, std::string type = "application/json") {
  Request r;
  r.headers.set("Content-Type", type);
  r.body = std::move(body);
  return r;
}

TEST(HttpJson, StatusForEveryCode) {
  EXPECT_EQ(http_status(core::Code::kInvalidArgument), 400);
  EXPECT_EQ(http_status(core::Code::kUnauthenticated), 401);
  EXPECT_EQ(http_status(core::Code::kPermissionDenied), 403);
  EXPECT_EQ(http_status(core::Code::kNotFound), 404);
  EXPECT_EQ(http_status(core::Code::kAlreadyExists), 409);
  EXPECT_EQ(http_status(core::Code::kFailedPrecondition), 409);
  EXPECT_EQ(http_status(core::Code::kUnavailable), 503);
  EXPECT_EQ(http_status(core::Code::kDataLoss), 500);
  EXPECT_EQ(http_status(core::Code::kInternal), 500);
}

TEST(HttpJson, ErrorResponseHasCodeMessageAndRequestId) {
  Response r = error_response(core::Error(core::Code::kNotFound, "asset a1 not found"), "rid-1");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/json");
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["error"]["code"], "not_found");
  EXPECT_EQ(j["error"]["message"], "asset a1 not found");
  EXPECT_EQ(j["error"]["request_id"], "rid-1");
  EXPECT_TRUE(r.log_note.empty());
}

TEST(HttpJson, InternalErrorsHideTheirMessageFromTheClient) {
  for (core::Code code : {core::Code::kInternal, core::Code::kDataLoss}) {
    Response r = error_response(core::Error(code, "sqlite: /var/lib/pw/db locked"), "rid");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body.find("sqlite"), std::string::npos);
    EXPECT_EQ(r.log_note, "sqlite: /var/lib/pw/db locked");
  }
}

TEST(HttpJson, JsonResponseNeverThrowsOnInvalidUtf8) {
  Response r = json_response(200, nlohmann::json{{"name", std::string("a\xff")}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{\"name\":\"a\xEF\xBF\xBD\"}");
}

TEST(HttpJson, ParseBodyIsStrictAndSaysWhere) {
  EXPECT_TRUE(parse_json_body(json_request("{\"a\":1}")));
  EXPECT_TRUE(parse_json_body(json_request("{\"a\":1}", "Application/JSON; charset=utf-8")));
  auto wrong_type = parse_json_body(json_request("{\"a\":1}", "text/plain"));
  ASSERT_FALSE(wrong_type);
  EXPECT_NE(wrong_type.error().message().find("Content-Type"), std::string::npos);
  auto dup = parse_json_body(json_request("{\"a\":1,\"a\":2}"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), core::Code::kInvalidArgument);
  EXPECT_NE(dup.error().message().find("request body: $.a"), std::string::npos);
  auto flt = parse_json_body(json_request("{\"price\":1.5}"));
  ASSERT_FALSE(flt);
  EXPECT_NE(flt.error().message().find("$.price"), std::string::npos);
  EXPECT_FALSE(parse_json_body(json_request("")));
  EXPECT_FALSE(parse_json_body(json_request("[1,2")));
  core::JsonLimits tiny;
  tiny.max_bytes = 4;
  EXPECT_FALSE(parse_json_body(json_request("{\"a\":1}"), tiny));
}

TEST(FieldReader, ReadsTypedFieldsAndRefusesUnknownOnes) {
  auto body = nlohmann::json::parse(
      R"({"name":"X-ray 1","count":3,"active":true,"tags":["a","b"],"window":{"start":"s"},
          "extra":1})");
  auto r = FieldReader::of(body);
  ASSERT_TRUE(r);
  std::string name;
  std::int64_t count = 0;
  bool active = false;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::string> missing;
  ASSERT_TRUE(r->required("name", name));
  ASSERT_TRUE(r->required("count", count));
  ASSERT_TRUE(r->required("active", active));
  ASSERT_TRUE(r->optional("tags", tags));
  ASSERT_TRUE(r->optional("missing", missing));
  EXPECT_EQ(name, "X-ray 1");
  EXPECT_EQ(count, 3);
  EXPECT_TRUE(active);
  EXPECT_EQ(tags->size(), 2u);
  EXPECT_FALSE(missing);
  auto window = r->object("window");
  ASSERT_TRUE(window);
  std::string start;
  ASSERT_TRUE(window->required("start", start));
  EXPECT_TRUE(window->finish());
  auto done = r->finish();
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().message(), "$.extra: unknown field");
}

TEST(FieldReader, NamesTheFieldOnAWrongTypeOrAMissingField) {
  auto body =
      nlohmann::json::parse(R"({"count":"3","window":{"start":5},"tags":["a",1],"odd key":1})");
  auto r = FieldReader::of(body);
  ASSERT_TRUE(r);
  std::int64_t count = 0;
  auto e1 = r->required("count", count);
  ASSERT_FALSE(e1);
  EXPECT_EQ(e1.error().message(), "$.count: expected an integer, got a string");
  std::string name;
  EXPECT_EQ(r->required("name", name).error().message(), "$.name: is required");
  auto window = r->object("window");
  ASSERT_TRUE(window);
  std::string start;
  EXPECT_EQ(window->required("start", start).error().message(),
            "$.window.start: expected a string, got an integer");
  std::vector<std::string> tags;
  EXPECT_EQ(r->required("tags", tags).error().message(),
            "$.tags[1]: expected a string, got an integer");
  EXPECT_EQ(r->finish().error().message(), "$[\"odd key\"]: unknown field");

  EXPECT_EQ(FieldReader::of(nlohmann::json::array()).error().message(),
            "$: expected an object, got an array");
}

TEST(FieldReader, NullCountsAsAbsent) {
  auto body = nlohmann::json::parse(R"({"note":null})");
  auto r = FieldReader::of(body);
  std::optional<std::string> note = "x";
  ASSERT_TRUE(r->optional("note", note));
  EXPECT_FALSE(note);
  std::string required;
  EXPECT_FALSE(r->required("note", required));
  EXPECT_TRUE(r->finish());
}

}  // namespace
}  // namespace pw::http
